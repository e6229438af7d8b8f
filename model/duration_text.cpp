// Parsing and formatting of human-written durations.
#include "model/duration_text.hpp"

#include <cmath>
#include <cstdio>

namespace calldrill {

std::optional<sim_duration> parse_duration(std::string_view text,
                                           std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<sim_duration> {
    if (why != nullptr)
      *why = std::move(reason);
    return std::nullopt;
  };
  if (text.empty())
    return fail("a duration needs a number and a unit, e.g. 90s, 5m, 1h");
  if (text.front() == '-')
    return fail("a duration cannot be negative");
  const std::string_view whole = text;
  // Grammar: one or more NUMBER UNIT parts, units from largest to smallest,
  // each at most once (1h30m, 90s, 1.5s); NUMBER is digits with at most one
  // decimal point between digits.
  double total_us = 0;
  int last_rank = 5; // ranks: d 4, h 3, m 2, s 1, ms 0
  while (!text.empty()) {
    std::size_t i = 0;
    int points = 0;
    while (i < text.size()
           && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) {
      points += text[i] == '.';
      ++i;
    }
    auto number = text.substr(0, i);
    if (i == 0)
      return fail("expected a number in '" + std::string{text} + "'");
    if (points > 1 || number.front() == '.' || number.back() == '.')
      return fail("'" + std::string{number} + "' is not a number");
    double value = std::stod(std::string{number});
    text.remove_prefix(i);
    std::size_t j = 0;
    while (j < text.size() && text[j] >= 'a' && text[j] <= 'z')
      ++j;
    auto unit = text.substr(0, j);
    text.remove_prefix(j);
    double scale = 0;
    int rank = 0;
    if (unit == "ms")
      scale = 1e3, rank = 0;
    else if (unit == "s")
      scale = 1e6, rank = 1;
    else if (unit == "m")
      scale = 60e6, rank = 2;
    else if (unit == "h")
      scale = 3600e6, rank = 3;
    else if (unit == "d")
      scale = 86400e6, rank = 4;
    else
      return fail(unit.empty() ? "a duration needs a unit: ms, s, m, h or d"
                               : "unknown unit '" + std::string{unit}
                                   + "' (use ms, s, m, h or d)");
    if (rank >= last_rank)
      return fail("units must go from largest to smallest, each once "
                  "(e.g. 1h30m), got '" + std::string{whole} + "'");
    last_rank = rank;
    total_us += value * scale;
  }
  if (!std::isfinite(total_us) || total_us > 365.0 * 86400e6)
    return fail("a duration must be at most 365d");
  return sim_duration{static_cast<std::int64_t>(std::llround(total_us))};
}

std::string format_duration(sim_duration d) {
  auto us = d.count();
  if (us % 1000000 != 0)
    return std::to_string(us / 1000) + "ms";
  auto s = us / 1000000;
  std::string out;
  if (s >= 3600) {
    out += std::to_string(s / 3600) + "h";
    s %= 3600;
  }
  if (s >= 60) {
    out += std::to_string(s / 60) + "m";
    s %= 60;
  }
  if (s > 0 || out.empty())
    out += std::to_string(s) + "s";
  return out;
}

std::string format_clock(sim_duration d) {
  auto s = static_cast<long long>(to_seconds(d));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60,
                s % 60);
  return buf;
}

} // namespace calldrill
