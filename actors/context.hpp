// What every actor of a run shares read-only: the topology, the scenario, the
// clock mapping between simulated and framework time, and the handles of the
// other actors (filled in before the first message flows).
#pragma once

#include "actors/messages.hpp"
#include "history/fact.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <atomic>
#include <cmath>
#include <memory>
#include <vector>

namespace calldrill {

struct directory {
  std::vector<pool_actor> pools;
  std::vector<host_actor> hosts;
  collector_actor collector;
  ticker_actor generator;
  ticker_actor controller;
};

struct run_context {
  std::shared_ptr<const topology> topo;
  std::shared_ptr<const scenario> scn;
  double speed = 1.0; ///< simulated seconds per framework-clock second
  caf::actor_clock::time_point start{};
  std::uint32_t users_per_host = 4096;
  bool realtime = false;
  directory dir;
  fact_sink* history = nullptr; ///< where facts go (synchronised in realtime)
  /// Realtime: the largest lateness, in simulated microseconds, with which
  /// any actor acted on a timer or a message so far (recorded at the end as
  /// a clock_lag fact: the checker's tolerance must cover it).
  mutable std::atomic<std::int64_t> lateness_max_us{0};

  /// Notes that an actor acts at `now` on what was due at `intended`.
  void late(sim_duration intended, sim_duration now) const {
    if (!realtime)
      return;
    auto l = (now - intended).count();
    auto seen = lateness_max_us.load(std::memory_order_relaxed);
    while (l > seen
           && !lateness_max_us.compare_exchange_weak(seen, l,
                                                     std::memory_order_relaxed)) {
    }
  }

  /// Records a fact of the run's history.
  void record(const fact& f) const {
    if (history != nullptr)
      history->put(f);
  }

  /// Simulated time now, as seen by an actor's clock.
  sim_duration now(caf::actor_clock& clock) const {
    auto elapsed = clock.now() - start;
    return std::chrono::duration_cast<sim_duration>(elapsed * speed);
  }

  /// Framework-clock time since the start for a simulated instant
  /// (rounded up: a tick never fires before its instant).
  caf::timespan wall_at(sim_duration at) const {
    auto ns = std::chrono::duration_cast<caf::timespan>(at);
    if (speed == 1.0)
      return ns;
    return caf::timespan{static_cast<caf::timespan::rep>(
      std::ceil(static_cast<double>(ns.count()) / speed))};
  }

  std::uint32_t host_of(user_id u) const { return u / users_per_host; }
};

using context_ptr = std::shared_ptr<const run_context>;

/// Arms a tick for `self` at simulated time `at` unless one is armed earlier.
/// `armed` holds the earliest armed tick (or a time in the past if none).
template <class Self>
void arm_tick(Self* self, const run_context& ctx, sim_duration at,
              sim_duration& armed, sim_duration now) {
  if (armed > now && armed <= at)
    return;
  armed = at;
  // Relative to the start, not to `now` (which is rounded to microseconds):
  // every actor's tick for one instant fires at the same framework time, so
  // facts of one simulated instant carry one timestamp.
  auto elapsed = self->clock().now() - ctx.start;
  auto target = ctx.wall_at(at);
  auto delay = target > elapsed ? target - elapsed : caf::timespan{0};
  caf::delayed_anon_send(caf::actor_cast<caf::actor>(self), delay, tick_atom_v);
}

} // namespace calldrill
