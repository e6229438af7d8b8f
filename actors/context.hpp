// What every actor of a run shares read-only: the topology, the scenario, the
// clock mapping between simulated and framework time, and the handles of the
// other actors (filled in before the first message flows).
#pragma once

#include "actors/messages.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"

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

  /// Simulated time now, as seen by an actor's clock.
  sim_duration now(caf::actor_clock& clock) const {
    auto elapsed = clock.now() - start;
    return std::chrono::duration_cast<sim_duration>(elapsed * speed);
  }

  /// Framework-clock delay for a simulated delay (rounded up, never negative).
  caf::timespan wall(sim_duration d) const {
    if (d.count() <= 0)
      return caf::timespan{0};
    auto ns = std::chrono::duration_cast<caf::timespan>(d);
    return caf::timespan{
      static_cast<caf::timespan::rep>(static_cast<double>(ns.count()) / speed)
      + 1};
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
  caf::delayed_anon_send(caf::actor_cast<caf::actor>(self), ctx.wall(at - now),
                         tick_atom_v);
}

} // namespace calldrill
