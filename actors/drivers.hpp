// The actors that drive a run: the traffic generator (open-model arrivals),
// the chaos controller (plays the drill timeline), and the collector.
#pragma once

#include "actors/context.hpp"
#include "model/run_result.hpp"

#include <future>

namespace calldrill {

ticker_actor spawn_generator(caf::actor_system& sys, context_ptr ctx);

ticker_actor spawn_controller(caf::actor_system& sys, context_ptr ctx);

/// The collector fills `out` and fulfils `done` once `expected` reports came.
collector_actor spawn_collector(caf::actor_system& sys, context_ptr ctx,
                                std::size_t expected,
                                std::shared_ptr<run_result> out,
                                std::shared_ptr<std::promise<void>> done);

} // namespace calldrill
