// The actors that drive a run: the traffic generator (open-model arrivals),
// the chaos controller (plays the drill timeline), and the collector.
#pragma once

#include "actors/context.hpp"
#include "model/run_result.hpp"

#include <future>

namespace calldrill {

ticker_actor spawn_generator(caf::actor_system& sys, context_ptr ctx);

ticker_actor spawn_controller(caf::actor_system& sys, context_ptr ctx);

/// What the collector needs beyond the context.
struct collector_setup {
  std::size_t expected = 0;          ///< actors that send a final snapshot
  std::shared_ptr<run_result> out;   ///< filled at the end
  std::shared_ptr<std::promise<void>> done; ///< fulfilled once `out` is full
  live_sink sink;                    ///< optional: live views
  sim_duration every{};              ///< simulated time between live views
  /// A partition's collector: where its final merged snapshot goes (the
  /// driver merges the partitions' into `out` and the sink's final view).
  std::shared_ptr<actor_snapshot> total_out;
};

/// Fills `out` with what the merged final snapshot of a run says.
void fill_result(run_result& out, const actor_snapshot& total);

/// The collector asks every actor for a snapshot every `every` (when a sink
/// is set), merges the final snapshots into the result and signals `done`.
collector_actor spawn_collector(caf::actor_system& sys, context_ptr ctx,
                                collector_setup setup);

} // namespace calldrill
