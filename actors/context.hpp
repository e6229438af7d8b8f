// What every actor of a run shares read-only: the topology, the scenario, the
// clock mapping between simulated and framework time, and the handles of the
// other actors (filled in before the first message flows).
#pragma once

#include "actors/messages.hpp"
#include "history/fact.hpp"
#include "model/partitions.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <atomic>
#include <cmath>
#include <memory>
#include <vector>

namespace calldrill {

/// The actors of one partition. Pools and hosts are indexed as in the whole
/// run; those of other partitions are left empty (reach them with
/// send_to_pool and send_to_host).
struct directory {
  std::vector<pool_actor> pools;
  std::vector<host_actor> hosts;
  collector_actor collector;
  ticker_actor generator;
  ticker_actor controller;
};

/// A message to an actor of another partition, delivered at `at`.
struct crossing {
  sim_duration at{};
  std::uint32_t partition = 0; ///< the receiver's
  bool to_pool = false;        ///< else to a client host
  std::uint32_t index = 0;     ///< the pool or host
  caf::message msg;
};

struct run_context {
  std::shared_ptr<const topology> topo;
  std::shared_ptr<const scenario> scn;
  double speed = 1.0; ///< simulated seconds per framework-clock second
  caf::actor_clock::time_point start{};
  bool realtime = false;
  /// This context's partition of the run, and how the run is cut.
  std::uint32_t partition = 0;
  std::shared_ptr<const partition_plan> plan;
  /// Messages for other partitions, handed over at the window's end.
  std::vector<crossing>* outbox = nullptr;
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

  std::uint32_t host_of(user_id u) const { return plan->host_of(u); }
};

using context_ptr = std::shared_ptr<const run_context>;

/// Sends `m` to an actor of this partition now, or to one of another after
/// the inter-pair delay.
template <class Self, class Handle, class Msg>
void send_across(Self* self, const run_context& ctx, std::uint32_t partition,
                 bool to_pool, std::uint32_t index, const Handle& local,
                 Msg&& m) {
  if (partition == ctx.partition) {
    self->send(local, std::forward<Msg>(m));
    return;
  }
  ctx.outbox->push_back(crossing{ctx.now(self->clock()) + inter_pair_delay,
                                 partition, to_pool, index,
                                 caf::make_message(std::forward<Msg>(m))});
}

template <class Self, class Msg>
void send_to_pool(Self* self, const run_context& ctx, pool_id p, Msg&& m) {
  send_across(self, ctx, ctx.plan->partition_of_pool(p), true, p,
              ctx.dir.pools[p], std::forward<Msg>(m));
}

template <class Self, class Msg>
void send_to_host(Self* self, const run_context& ctx, std::uint32_t h, Msg&& m) {
  send_across(self, ctx, ctx.plan->partition_of_host(h), false, h,
              ctx.dir.hosts[h], std::forward<Msg>(m));
}

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
