// Numbers for people in the terminal: grouped digits, three significant
// figures and a fitting unit. Files (CSV, JSON) keep exact values instead.
#pragma once

#include <cstdint>
#include <string>

namespace calldrill {

/// 1234567 -> "1,234,567".
std::string human_count(std::uint64_t n);

/// Seconds with three significant figures in a fitting unit:
/// 9.95093 -> "9.95 s", 0.00043208 -> "432 us", 0.0123 -> "12.3 ms",
/// 4000 -> "1h06m40s".
std::string human_seconds(double s);

/// Bytes in binary units with three significant figures: "12.0 MiB".
std::string human_bytes(double bytes);

} // namespace calldrill
