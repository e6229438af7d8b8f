// What one actor has seen so far, as it reports it: its observations, latency
// histograms and gauges. Actors answer snapshot requests with one (live
// metrics) and send a last one when the run ends; the collector merges them.
#pragma once

#include "model/latencies.hpp"
#include "model/observations.hpp"
#include "model/scenario.hpp"
#include "model/world.hpp"

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace calldrill {

/// A fixed-bucket histogram; the last count is the +Inf bucket.
struct latency_histogram {
  std::array<std::uint64_t, latency_buckets> counts{};
  double sum_s = 0;

  void observe(double s) {
    std::size_t i = 0;
    while (i < latency_bounds_s.size() && s > latency_bounds_s[i])
      ++i;
    ++counts[i];
    sum_s += s;
  }
  std::uint64_t count() const {
    std::uint64_t n = 0;
    for (auto c : counts)
      n += c;
    return n;
  }
  void merge(const latency_histogram& o) {
    for (std::size_t i = 0; i < counts.size(); ++i)
      counts[i] += o.counts[i];
    sum_s += o.sum_s;
  }
};

/// A pool's gauges.
struct pool_gauge {
  pool_id pool = no_pool;
  bool up = true;
  std::uint64_t queue_length = 0;
  std::uint64_t admission_backlog = 0;
};

struct actor_snapshot {
  observations obs;
  std::array<latency_histogram, latency_count> latencies{};
  /// Users by [pool * 3 + mode]: registered users count at the pool that
  /// serves them, unregistered ones at their home pool. Hosts only.
  std::vector<std::uint64_t> users_by_mode;
  std::vector<pool_gauge> pools; ///< pools only: their own gauge
  std::uint64_t calls_ringing = 0;
  std::uint64_t calls_established = 0;
  std::uint64_t arrivals = 0; ///< generator only: arrivals drawn
  std::uint64_t messages = 0; ///< messages handled
  std::vector<double> lags_ms; ///< realtime arrival lag samples (final only)
  /// Controller only: the world's truth and actions played, by kind.
  std::vector<pair_state> pairs;
  std::vector<pool_id> orbit_targets;
  std::vector<std::string> pool_fqdns; ///< each pool's FQDN now (replace_pool)
  std::array<std::uint64_t, action_kind_count> actions{};

  latency_histogram& at(latency l) {
    return latencies[static_cast<std::size_t>(l)];
  }
  const latency_histogram& at(latency l) const {
    return latencies[static_cast<std::size_t>(l)];
  }

  /// Adds `o` into this one (gauges add up; truth fields are taken).
  void merge(const actor_snapshot& o);
};

/// What a live sink sees: the merged snapshot of every actor at `now`.
struct live_view {
  sim_duration now{};
  bool final = false;
  actor_snapshot total;
};

/// Receives live views on the collector's thread; must not block for long.
using live_sink = std::function<void(const live_view&)>;

inline void actor_snapshot::merge(const actor_snapshot& o) {
  obs.merge(o.obs);
  for (std::size_t i = 0; i < latency_count; ++i)
    latencies[i].merge(o.latencies[i]);
  if (users_by_mode.size() < o.users_by_mode.size())
    users_by_mode.resize(o.users_by_mode.size());
  for (std::size_t i = 0; i < o.users_by_mode.size(); ++i)
    users_by_mode[i] += o.users_by_mode[i];
  pools.insert(pools.end(), o.pools.begin(), o.pools.end());
  calls_ringing += o.calls_ringing;
  calls_established += o.calls_established;
  arrivals += o.arrivals;
  messages += o.messages;
  lags_ms.insert(lags_ms.end(), o.lags_ms.begin(), o.lags_ms.end());
  if (!o.pairs.empty())
    pairs = o.pairs;
  if (!o.orbit_targets.empty())
    orbit_targets = o.orbit_targets;
  if (!o.pool_fqdns.empty())
    pool_fqdns = o.pool_fqdns;
  for (std::size_t i = 0; i < action_kind_count; ++i)
    actions[i] += o.actions[i];
}

} // namespace calldrill
