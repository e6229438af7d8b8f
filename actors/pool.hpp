// The pool actor: a Front End pool's registrar (rate-limited admission), its
// Call Park application with the Group Call Pickup queues, and up/down state.
#pragma once

#include "actors/context.hpp"

namespace calldrill {

/// Spawns the actor of pool `id`.
pool_actor spawn_pool(caf::actor_system& sys, context_ptr ctx, pool_id id,
                      bool lazy);

} // namespace calldrill
