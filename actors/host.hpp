// The client host actor: hosts a block of users (clients) of one partition, each
// with its own registration state machine, and the calls ringing them, each
// with its own call state machine. One framework timer per host.
#pragma once

#include "actors/context.hpp"

namespace calldrill {

/// Spawns host `index`, which owns the users the run's plan gives it.
host_actor spawn_host(caf::actor_system& sys, context_ptr ctx,
                      std::uint32_t index);

} // namespace calldrill
