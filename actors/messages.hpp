// The one message contract of calldrill's actors: message types, atoms, the
// type-ID block and the typed interfaces of pools, client hosts and the
// collector. Included only by the actor translation units (CAF is heavy).
#pragma once

#include "model/snapshot.hpp"

#include <caf/all.hpp>

#include <string>
#include <vector>

namespace calldrill {

/// A call arriving for a callee at a simulated instant (open model).
struct arrival {
  call_id call = 0;
  user_id callee = 0;
  sim_duration at{};
};

/// Arrivals for the callees of one client host, in time order.
struct arrival_batch {
  std::vector<arrival> items;
};

/// Host -> serving pool: a ringing call of a group member enters the queue.
struct enqueue_msg {
  call_id call = 0;
  user_id callee = 0;
  group_id group = 0;
  sim_duration since{};
};

/// Host -> pool: a queued call stopped ringing (answered, abandoned, ...).
struct dequeue_msg {
  call_id call = 0;
  group_id group = 0;
};

/// Callee's host -> picker's host: the picker dials the group's number.
struct dial_msg {
  user_id picker = 0;
  group_id group = 0;
  user_id callee = 0;
  call_id call = 0;
  pool_id callee_serving = no_pool;
};

/// Picker's host -> the pool the group's range points at.
struct pickup_msg {
  user_id picker = 0;
  user_mode picker_mode = user_mode::normal;
  bool picker_at_home = false;
  group_id group = 0;
  user_id callee = 0;
  call_id call = 0;
  pool_id callee_serving = no_pool;
  pool_id range_target = no_pool;
};

/// Pool -> callee's host: a pickup answered this call.
struct picked_msg {
  call_id call = 0;
  user_id picker = 0;
};

/// Host -> pool: these users ask to register (admission is rate-limited).
struct register_msg {
  std::uint32_t host = 0;
  std::vector<user_id> users;
  std::vector<sim_duration> requested; ///< when each asked
  /// Each one's home pool, which the client knows: the registrar then reads
  /// no per-user table of the topology (a cache miss each on large estates).
  std::vector<pool_id> homes;
};

/// Pool -> host: these users are now registered on `pool`.
struct registered_msg {
  pool_id pool = no_pool;
  std::vector<user_id> users;
  std::vector<sim_duration> requested;
};

/// Host -> old pool: these users registered elsewhere.
struct unregister_msg {
  std::vector<user_id> users;
};

/// Any actor -> collector: what it has seen so far (`final` at the end).
struct snapshot_msg {
  bool final = false;
  actor_snapshot snap;
};

/// Controller -> collector: a pair transition or a refused action.
struct phase_msg {
  sim_duration at{};
  pair_id pair = 0;
  pair_phase phase = pair_phase::normal;
  std::string action;
  bool refused = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pair_state& x) {
  return f(x.phase, x.epoch, x.failed);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, world_event& x) {
  return f(x.what, x.index, x.pair, x.target, x.at);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, arrival& x) {
  return f(x.call, x.callee, x.at);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, arrival_batch& x) {
  return f(x.items);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, enqueue_msg& x) {
  return f(x.call, x.callee, x.group, x.since);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dequeue_msg& x) {
  return f(x.call, x.group);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dial_msg& x) {
  return f(x.picker, x.group, x.callee, x.call, x.callee_serving);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pickup_msg& x) {
  return f(x.picker, x.picker_mode, x.picker_at_home, x.group, x.callee,
           x.call, x.callee_serving, x.range_target);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, picked_msg& x) {
  return f(x.call, x.picker);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, register_msg& x) {
  return f(x.host, x.users, x.requested, x.homes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, registered_msg& x) {
  return f(x.pool, x.users, x.requested);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unregister_msg& x) {
  return f(x.users);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, boundary_totals& x) {
  return f(x.started, x.established, x.failed, x.abandoned, x.ringing);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, observations& x) {
  return f(x.cells(), x.bounds());
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, latency_histogram& x) {
  return f(x.counts, x.sum_s);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_gauge& x) {
  return f(x.pool, x.up, x.queue_length, x.admission_backlog);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, actor_snapshot& x) {
  return f(x.obs, x.latencies, x.users_by_mode, x.pools, x.calls_ringing,
           x.calls_established, x.arrivals, x.messages, x.lags_ms, x.pairs,
           x.orbit_targets, x.pool_fqdns, x.actions);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, snapshot_msg& x) {
  return f(x.final, x.snap);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, phase_msg& x) {
  return f(x.at, x.pair, x.phase, x.action, x.refused);
}

} // namespace calldrill

CAF_BEGIN_TYPE_ID_BLOCK(calldrill, caf::first_custom_type_id)
  CAF_ADD_TYPE_ID(calldrill, (calldrill::world_event))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::arrival_batch))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::enqueue_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::dequeue_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::dial_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::pickup_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::picked_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::register_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::registered_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::unregister_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::snapshot_msg))
  CAF_ADD_TYPE_ID(calldrill, (calldrill::phase_msg))
  CAF_ADD_ATOM(calldrill, calldrill, tick_atom, "tick")
  CAF_ADD_ATOM(calldrill, calldrill, start_atom, "start")
  CAF_ADD_ATOM(calldrill, calldrill, finish_atom, "finish")
  CAF_ADD_ATOM(calldrill, calldrill, snapshot_atom, "snapshot")
CAF_END_TYPE_ID_BLOCK(calldrill)

namespace calldrill {

/// A Front End pool: registrar, Call Park application and its queues.
using pool_actor = caf::typed_actor<
  caf::reacts_to<world_event>, caf::reacts_to<enqueue_msg>,
  caf::reacts_to<dequeue_msg>, caf::reacts_to<pickup_msg>,
  caf::reacts_to<register_msg>, caf::reacts_to<unregister_msg>,
  caf::reacts_to<tick_atom>, caf::reacts_to<finish_atom>,
  caf::reacts_to<snapshot_atom>>;

/// A client host: a block of users (clients) and the calls ringing them.
using host_actor = caf::typed_actor<
  caf::reacts_to<world_event>, caf::reacts_to<arrival_batch>,
  caf::reacts_to<dial_msg>, caf::reacts_to<picked_msg>,
  caf::reacts_to<registered_msg>, caf::reacts_to<tick_atom>,
  caf::reacts_to<finish_atom>, caf::reacts_to<snapshot_atom>>;

/// Gathers every actor's report into the run's result.
using collector_actor = caf::typed_actor<
  caf::reacts_to<snapshot_msg>, caf::reacts_to<phase_msg>,
  caf::reacts_to<start_atom>, caf::reacts_to<tick_atom>>;

/// Ticking actors with no inbound contract beyond their own timer.
using ticker_actor
  = caf::typed_actor<caf::reacts_to<tick_atom>, caf::reacts_to<start_atom>,
                     caf::reacts_to<finish_atom>, caf::reacts_to<snapshot_atom>>;

} // namespace calldrill
