// The machine's yardstick: raw CAF ping-pong between two actors, measured in
// the same process as a benchmark so results read as ratios on a noisy host.
#pragma once

#include <cstdint>

namespace calldrill {

/// Messages per second of a ping-pong between two actors for `messages`
/// round trips on a single-worker scheduler.
double ping_pong_rate(std::uint64_t messages);

} // namespace calldrill
