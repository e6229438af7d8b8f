// Human number formatting for the terminal (see human_format.hpp).
#include "cli/human_format.hpp"

#include <cmath>
#include <cstdio>

namespace calldrill {

namespace {

/// `v` with three significant figures (no exponent), then `unit`.
std::string three_figures(double v, const char* unit) {
  char buf[48];
  int decimals = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  std::snprintf(buf, sizeof buf, "%.*f %s", decimals, v, unit);
  return buf;
}

} // namespace

std::string human_count(std::uint64_t n) {
  auto digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

std::string human_seconds(double s) {
  if (!std::isfinite(s))
    return "?";
  if (s < 0)
    return "-" + human_seconds(-s);
  if (s == 0)
    return "0 s";
  if (s < 1e-3)
    return three_figures(s * 1e6, "us");
  if (s < 1)
    return three_figures(s * 1e3, "ms");
  if (s < 600)
    return three_figures(s, "s");
  auto whole = static_cast<long long>(std::llround(s));
  char buf[48];
  if (whole < 3600)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", whole / 60, whole % 60);
  else
    std::snprintf(buf, sizeof buf, "%lldh%02lldm%02llds", whole / 3600,
                  whole / 60 % 60, whole % 60);
  return buf;
}

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  std::size_t u = 0;
  while (bytes >= 1024 && u + 1 < sizeof units / sizeof *units) {
    bytes /= 1024;
    ++u;
  }
  return u == 0 ? std::to_string(static_cast<long long>(bytes)) + " B"
                : three_figures(bytes, units[u]);
}

} // namespace calldrill
