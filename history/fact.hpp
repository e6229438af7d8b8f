// The history of a run: a flat sequence of facts, recorded where each event
// happened (controller, pool, client host). A fact says what happened, never
// whether it was right: the checker (checker/) decides that on its own.
#pragma once

#include "model/types.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace calldrill {

/// What a fact records. Field use per kind is listed beside it; unused
/// fields are zero (or no_pool / no_group).
enum class fact_kind : std::uint8_t {
  // -- the world (controller) ------------------------------------------------
  pool_down,      ///< pool
  pool_up,        ///< pool
  call_park_on,   ///< pool
  call_park_off,  ///< pool
  orbit_set,      ///< group = range, pool = the pool its FQDN names (no_pool: none)
  pair_phase,     ///< group = pair, code = pair_phase, pool = the failed pool
  action,         ///< code = action_kind, pool = acted on, value = 1 if refused
  // -- registrations ---------------------------------------------------------
  reg_requested,  ///< host: user asks pool to register it
  reg_admitted,   ///< pool: pool's registrar now holds user
  reg_dropped,    ///< pool: registrar let user go (it registered elsewhere)
  regs_lost,      ///< pool: went down holding `value` registrations
  reg_confirmed,  ///< host: the user's client learnt it is registered on pool
  // -- calls -----------------------------------------------------------------
  // A call's id names the host that holds it in its top 16 bits (host:16 |
  // generation:24 | slot:24, model/call_table.hpp): the active-call limit
  // is each host's.
  call_started,   ///< host: id = call, user = callee, group = callee's group,
                  ///< pool = the pool the callee's client was registered on
  call_queued,    ///< pool: id = call, user = callee, group, pool = this pool
  call_dequeued,  ///< pool: id = call, group, pool (answered, ended or purged)
  call_established, ///< host: id = call, code = 0 answered / 1 picked up,
                    ///< value = hold time drawn (us)
  call_ended,     ///< host: id = call, code = end_cause
  // -- Group Call Pickup -------------------------------------------------------
  pickup_dialed,  ///< host: id = attempt, user = picker, group,
                  ///< pool = where the group's range pointed (no_pool: nothing),
                  ///< pool2 = the pool the request went to (no_pool: none)
  pickup_done,    ///< host or pool: id = attempt, code = pickup_result,
                  ///< ref = the call answered (0: none), pool = deciding pool,
                  ///< value = entries of the group waiting there
  // -- the end ---------------------------------------------------------------
  run_end,        ///< controller: the run stopped at `at`
  // -- realtime only ---------------------------------------------------------
  clock_lag,      ///< controller, before run_end: value = the largest
                  ///< lateness (us of simulated time) with which any actor
                  ///< acted on a timer or a message
  // -- calls, since format version 2 -----------------------------------------
  call_refused,   ///< host: id = call, user = callee: a call arrived and the
                  ///< active-call limit kept it from starting
};
constexpr std::size_t fact_kind_count = 22;

std::string_view name(fact_kind k);

/// One fact. 48 bytes, trivially copyable: the history file stores it as is
/// (little-endian, see history/history_file.hpp).
struct fact {
  sim_duration at{};        ///< simulated instant it happened
  std::uint64_t id = 0;     ///< call or pickup attempt
  std::uint64_t ref = 0;    ///< a second call (the one a pickup answered)
  std::int64_t value = 0;   ///< a count or a duration (us), per kind
  std::uint32_t user = 0;
  std::uint32_t group = no_group; ///< group, pair or range, per kind
  pool_id pool = no_pool;
  pool_id pool2 = no_pool;
  fact_kind kind = fact_kind::run_end;
  std::uint8_t code = 0;
  std::uint8_t pad[2] = {0, 0};
};
static_assert(sizeof(fact) == 48, "the history file stores facts as is");

/// Where facts go as they are made. In virtual time one thread calls it; in
/// realtime a synchronised sink (see history/sink.hpp) orders them.
class fact_sink {
public:
  virtual ~fact_sink() = default;
  virtual void put(const fact& f) = 0;
  /// Puts `n` facts in order; a sink that can look ahead (to fetch what
  /// the next facts will touch while it handles this one) overrides it.
  virtual void put_all(const fact* first, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      put(first[i]);
  }
};

// -- constructors, one per kind, so call sites read as what they record -------

namespace facts {

inline fact make(fact_kind k, sim_duration at) {
  fact f;
  f.kind = k;
  f.at = at;
  return f;
}

inline fact pool_event(fact_kind k, sim_duration at, pool_id p) {
  auto f = make(k, at);
  f.pool = p;
  return f;
}

inline fact orbit_set(sim_duration at, std::uint32_t range, pool_id target) {
  auto f = make(fact_kind::orbit_set, at);
  f.group = range;
  f.pool = target;
  return f;
}

inline fact pair_phase(sim_duration at, std::uint32_t pair,
                       calldrill::pair_phase ph, pool_id failed) {
  auto f = make(fact_kind::pair_phase, at);
  f.group = pair;
  f.code = static_cast<std::uint8_t>(ph);
  f.pool = failed;
  return f;
}

inline fact registration(fact_kind k, sim_duration at, user_id u, pool_id p) {
  auto f = make(k, at);
  f.user = u;
  f.pool = p;
  return f;
}

inline fact call(fact_kind k, sim_duration at, call_id c) {
  auto f = make(k, at);
  f.id = c;
  return f;
}

} // namespace facts

} // namespace calldrill
