// Parsing and checking of call park orbit numbers and ranges.
#include "model/orbit_number.hpp"

namespace calldrill {

std::string orbit_number::text() const {
  std::string out;
  if (prefix != 0)
    out.push_back(prefix);
  out += std::to_string(value);
  return out;
}

std::optional<orbit_number> parse_orbit_number(std::string_view text,
                                               std::string* why) {
  auto fail = [&](const char* reason) -> std::optional<orbit_number> {
    if (why != nullptr)
      *why = reason;
    return std::nullopt;
  };
  orbit_number n;
  if (!text.empty() && (text.front() == '*' || text.front() == '#')) {
    n.prefix = text.front();
    text.remove_prefix(1);
  }
  if (text.empty())
    return fail("an orbit number needs digits");
  if (text.front() == '0')
    return fail("an orbit number cannot start with 0");
  for (char c : text)
    if (c < '0' || c > '9')
      return fail("an orbit number holds only digits after an optional * or #");
  std::size_t max_digits = n.prefix != 0 ? 8 : 9;
  if (text.size() > max_digits)
    return fail(n.prefix != 0
                  ? "an orbit number with a * or # prefix has at most 8 digits"
                  : "an orbit number has at most 9 digits");
  for (char c : text)
    n.value = n.value * 10 + static_cast<std::uint64_t>(c - '0');
  n.digits = static_cast<std::uint8_t>(text.size());
  return n;
}

std::string check_orbit_range(const orbit_number& start,
                              const orbit_number& end) {
  if (start.prefix != end.prefix)
    return "start and end must carry the same * or # prefix";
  if (start.digits != end.digits)
    return "start and end must have the same number of digits";
  if (start.value > end.value)
    return "start must not be greater than end";
  return {};
}

bool overlaps(const orbit_number& a_start, const orbit_number& a_end,
              const orbit_number& b_start, const orbit_number& b_end) {
  if (a_start.prefix != b_start.prefix || a_start.digits != b_start.digits)
    return false;
  return a_start.value <= b_end.value && b_start.value <= a_end.value;
}

} // namespace calldrill
