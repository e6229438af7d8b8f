// Sample histories for tests: a run's metadata and a varied stream of facts,
// written with history_writer, plus byte surgery on the written file.
#pragma once

#include "history/history_file.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace calldrill::testing {

/// Fact `i` of a sample history: every field varies, the last is run_end.
inline fact sample_fact(std::uint64_t i, std::uint64_t n) {
  fact f;
  f.at = sim_duration{static_cast<std::int64_t>(i * 1000 + 7)};
  f.id = i * 3 + 1;
  f.ref = i ^ 0xdeadbeefull;
  f.value = -static_cast<std::int64_t>(i) * 11;
  f.user = static_cast<std::uint32_t>(i * 7);
  f.group = i % 5 == 0 ? no_group : static_cast<std::uint32_t>(i % 40);
  f.pool = i % 4 == 0 ? no_pool : static_cast<pool_id>(i % 3);
  f.pool2 = static_cast<pool_id>(i % 2);
  f.kind = i + 1 == n ? fact_kind::run_end
                      : static_cast<fact_kind>(i % (fact_kind_count - 1));
  f.code = static_cast<std::uint8_t>(i % 9);
  return f;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spill(const std::string& path, const std::string& bytes) {
  std::ofstream{path, std::ios::binary | std::ios::trunc} << bytes;
}

/// Fact `i` of a sample history that fits any topology: calls established
/// and ended (ids and codes only), the last is run_end.
inline fact fitting_fact(std::uint64_t i, std::uint64_t n) {
  fact f;
  f.at = sim_duration{static_cast<std::int64_t>(i * 1000)};
  f.id = i / 2 + 1;
  f.kind = i + 1 == n ? fact_kind::run_end
           : i % 2 == 0 ? fact_kind::call_established
                        : fact_kind::call_ended;
  f.value = 1000;
  return f;
}

/// Writes `n` facts made by `make(i, n)` under `meta` to `path`; "" or the
/// error.
template <class Make = fact (*)(std::uint64_t, std::uint64_t)>
std::string write_sample(const std::string& path, const history_meta& meta,
                         std::uint64_t n, Make make = sample_fact) {
  std::string err;
  auto w = history_writer::create(path, meta, err);
  if (!w)
    return err;
  for (std::uint64_t i = 0; i < n; ++i)
    w->put(make(i, n));
  return w->commit();
}

/// Offset of the first fact of the history in `bytes`.
inline std::uint64_t facts_offset(const std::string& bytes) {
  std::uint64_t length = 0;
  std::memcpy(&length, bytes.data() + 16, 8);
  return 24 + length + 8;
}

/// A sink that keeps every fact.
struct fact_list : fact_sink {
  std::vector<fact> facts;
  void put(const fact& f) override { facts.push_back(f); }
};

} // namespace calldrill::testing
