// Durations written the way users write them: 90s, 5m, 1h, 1h30m, 250ms.
#pragma once

#include "model/types.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace calldrill {

/// Parses "90s", "5m", "1h30m", "250ms", "1.5s"; nullopt (and `why`) if not.
std::optional<sim_duration> parse_duration(std::string_view text,
                                           std::string* why = nullptr);

/// Formats a duration compactly ("1h30m", "90s", "250ms").
std::string format_duration(sim_duration d);

/// Formats a simulated instant as a clock, "01:06:00".
std::string format_clock(sim_duration d);

} // namespace calldrill
