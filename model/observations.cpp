// Counter names and the merging of per-actor observations.
#include "model/observations.hpp"

namespace calldrill {

namespace {

constexpr std::array<std::string_view, counter_count> names{
#define CALLDRILL_NAME(name, help) #name,
  CALLDRILL_COUNTERS(CALLDRILL_NAME)
#undef CALLDRILL_NAME
};

constexpr std::array<std::string_view, counter_count> helps{
#define CALLDRILL_HELP(name, help) help,
  CALLDRILL_COUNTERS(CALLDRILL_HELP)
#undef CALLDRILL_HELP
};

} // namespace

std::string_view name(counter c) {
  return names[static_cast<std::size_t>(c)];
}

std::string_view help(counter c) {
  return helps[static_cast<std::size_t>(c)];
}

bool is_max(counter c) {
  return c == counter::registration_wait_max_us;
}

counter pickup_counter(pickup_result r) {
  return static_cast<counter>(static_cast<std::size_t>(counter::pickup_ok)
                              + static_cast<std::size_t>(r));
}

counter end_counter(end_cause c) {
  return static_cast<counter>(static_cast<std::size_t>(counter::ended_hang_up)
                              + static_cast<std::size_t>(c));
}

std::uint64_t observations::total(counter k) const {
  std::uint64_t n = 0;
  for (std::size_t p = 0; p < pairs(); ++p) {
    auto v = pair_total(static_cast<pair_id>(p), k);
    n = is_max(k) ? (v > n ? v : n) : n + v;
  }
  return n;
}

std::uint64_t observations::pair_total(pair_id p, counter k) const {
  std::uint64_t n = 0;
  for (std::size_t c = 0; c < column_count; ++c) {
    auto v = get(p, static_cast<column>(c), k);
    n = is_max(k) ? (v > n ? v : n) : n + v;
  }
  return n;
}

void observations::boundary(std::size_t i, const boundary_totals& t) {
  if (bounds_.size() <= i)
    bounds_.resize(i + 1);
  bounds_[i] = t;
}

void observations::merge(const observations& other) {
  if (cells_.size() < other.cells_.size())
    cells_.resize(other.cells_.size(), counter_row{});
  for (std::size_t i = 0; i < other.cells_.size(); ++i)
    for (std::size_t k = 0; k < counter_count; ++k) {
      auto& mine = cells_[i][k];
      auto theirs = other.cells_[i][k];
      if (is_max(static_cast<counter>(k)))
        mine = theirs > mine ? theirs : mine;
      else
        mine += theirs;
    }
  if (bounds_.size() < other.bounds_.size())
    bounds_.resize(other.bounds_.size());
  for (std::size_t i = 0; i < other.bounds_.size(); ++i) {
    bounds_[i].started += other.bounds_[i].started;
    bounds_[i].established += other.bounds_[i].established;
    bounds_[i].failed += other.bounds_[i].failed;
    bounds_[i].abandoned += other.bounds_[i].abandoned;
    bounds_[i].ringing += other.bounds_[i].ringing;
  }
}

} // namespace calldrill
