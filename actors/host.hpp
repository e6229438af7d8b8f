// The client host actor: hosts a contiguous block of users (clients), each
// with its own registration state machine, and the calls ringing them, each
// with its own call state machine. One framework timer per host.
#pragma once

#include "actors/context.hpp"

namespace calldrill {

/// Spawns host `index`, which owns users [first, first + count).
host_actor spawn_host(caf::actor_system& sys, context_ptr ctx,
                      std::uint32_t index, user_id first, std::uint32_t count);

} // namespace calldrill
