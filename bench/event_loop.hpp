// The bench's second yardstick: a plain single-threaded event loop, no
// actors, no messages, no history, carrying a workload's call mix, so that
// `calldrill bench` prints how far the actors are from the simplest program
// doing the same calls on the same machine in the same run.
#pragma once

#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <cstdint>

namespace calldrill {

struct event_loop_result {
  std::uint64_t calls = 0;   ///< calls started
  std::uint64_t events = 0;  ///< events handled
  double wall_seconds = 0;   ///< the loop alone, not building its inputs
};

/// Plays the traffic of `s` over `t` for its whole simulated duration: the
/// same Poisson arrivals over the stages, callees drawn uniformly, and each
/// call's answer, pickup, ring timeout, abandon and hang-up drawn as a client
/// host draws them, in one binary heap of timed events. Pickups take the
/// longest-ringing call of the callee's group. Every user stays registered
/// at home: no chaos, no registrations, no checks (what it does not do is
/// what the actors add). Deterministic for `seed`.
event_loop_result run_event_loop(const scenario& s, const topology& t,
                                 std::uint64_t seed);

} // namespace calldrill
