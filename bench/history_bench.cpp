// What a stored history costs: facts written through history_writer (1 MiB
// blocks, checksum, commit with fsync) and read back by history_reader
// (verify, then stream into a sink that only counts), per fact and per byte.
#include "history/history_file.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <unistd.h>

namespace calldrill {
namespace {

constexpr std::int64_t facts_per_run = 1'000'000;

std::string bench_path() {
  const char* dir = std::getenv("TMPDIR");
  return std::string{dir ? dir : "/tmp"} + "/calldrill-bench-"
         + std::to_string(getpid()) + ".history";
}

void write_history(const std::string& path) {
  std::string err;
  auto w = history_writer::create(path, history_meta{}, err);
  if (!w)
    std::abort();
  fact f;
  f.kind = fact_kind::call_started;
  for (std::int64_t i = 0; i < facts_per_run; ++i) {
    f.at = sim_duration{i};
    f.id = static_cast<std::uint64_t>(i);
    w->put(f);
  }
  if (!w->commit().empty())
    std::abort();
}

void HistoryWrite(benchmark::State& state) {
  auto path = bench_path();
  for (auto _ : state)
    write_history(path);
  unlink(path.c_str());
  state.SetItemsProcessed(state.iterations() * facts_per_run);
  state.SetBytesProcessed(state.iterations() * facts_per_run * 48);
}
BENCHMARK(HistoryWrite)->Unit(benchmark::kMillisecond);

struct counting_sink : fact_sink {
  std::uint64_t n = 0;
  void put(const fact& f) override { n += f.id != 0; }
};

void HistoryVerifyAndStream(benchmark::State& state) {
  auto path = bench_path();
  write_history(path);
  counting_sink sink;
  for (auto _ : state) {
    history_meta meta;
    if (!read_history(path, meta, sink).empty())
      std::abort();
  }
  benchmark::DoNotOptimize(sink.n);
  unlink(path.c_str());
  state.SetItemsProcessed(state.iterations() * facts_per_run);
  state.SetBytesProcessed(state.iterations() * facts_per_run * 48);
}
BENCHMARK(HistoryVerifyAndStream)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace calldrill
