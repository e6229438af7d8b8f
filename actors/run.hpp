// Running a scenario on the actors, in either clock. This header is free of
// the actor framework so the CLI, tests and benches include it cheaply.
#pragma once

#include "history/fact.hpp"
#include "model/run_result.hpp"
#include "model/snapshot.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <atomic>
#include <memory>
#include <stdexcept>

namespace calldrill {

/// Thrown when a run cannot start or finish for a reason of our own making.
class run_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// How far ahead of the clock the traffic generator hands arrivals to the
/// hosts (its tick): a live view counts the arrivals drawn that far ahead.
constexpr sim_duration arrivals_handed_ahead = std::chrono::milliseconds{100};

/// Optional observers of a run.
struct run_hooks {
  live_sink sink;                 ///< called with merged live views
  sim_duration every{std::chrono::seconds{10}}; ///< between live views
  /// Receives the run's history of facts, in the order they were made
  /// (calls are serialised in realtime).
  fact_sink* history = nullptr;
  /// Once this reads non-zero (set by a signal handler, say), the run ends
  /// at the current simulated instant: the drill and traffic stop, every
  /// actor sends its last snapshot, and `simulated` is that instant.
  const std::atomic<int>* stop = nullptr;
};

/// Runs `s` on `topo` (built from `s`) and returns what happened. With
/// clock_kind::virtual_time the run is deterministic for a given seed.
run_result run_scenario(std::shared_ptr<const scenario> s,
                        std::shared_ptr<const topology> topo,
                        run_hooks hooks = {});

} // namespace calldrill
