// Call park orbit numbers and ranges as Set-CsCallParkOrbit accepts them:
// `([*#]?[1-9]\d{0,7})|([1-9]\d{0,8})`, start <= end, same length, same prefix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calldrill {

struct orbit_number {
  char prefix = 0; ///< '*', '#' or 0
  std::uint64_t value = 0;
  std::uint8_t digits = 0;

  std::string text() const;
};

/// Parses one orbit number; on failure returns nullopt and sets `why`.
std::optional<orbit_number> parse_orbit_number(std::string_view text,
                                               std::string* why = nullptr);

/// Checks a range's two ends against each other; returns an empty string when
/// they form a valid range, else the reason.
std::string check_orbit_range(const orbit_number& start,
                              const orbit_number& end);

/// Whether two valid ranges share at least one number.
bool overlaps(const orbit_number& a_start, const orbit_number& a_end,
              const orbit_number& b_start, const orbit_number& b_end);

} // namespace calldrill
