// Option values checked like scenario files (see option_values.hpp).
#include "cli/option_values.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace po = boost::program_options;

namespace calldrill {

namespace {

/// A bad value for the option being stored; Boost fills in the option name.
[[noreturn]] void invalid(const std::string& text, const std::string& why) {
  po::error_with_option_name e(
    "the argument ('%value%') for option '%canonical_option%' is invalid: "
      + why,
    "", text);
  e.set_substitute("value", text);
  throw e;
}

} // namespace

std::string range_text(double lo, double hi) {
  std::ostringstream out;
  out.precision(15);
  out << lo << ".." << hi;
  return out.str();
}

std::string parse_whole(const std::string& text, std::uint64_t lo,
                        std::uint64_t hi, std::uint64_t& out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return text.find('-') == 0 ? "must not be negative"
                               : "expected a whole number";
  errno = 0;
  auto v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE)
    return "too large (at most " + std::to_string(hi) + ")";
  if (v < lo || v > hi)
    return "expected " + std::to_string(lo) + ".." + std::to_string(hi);
  out = v;
  return {};
}

std::string parse_real(const std::string& text, double lo, double hi,
                       double& out) {
  if (text.empty()
      || text.find_first_not_of("0123456789.eE+-") != std::string::npos)
    return "expected a number";
  char* end = nullptr;
  errno = 0;
  auto v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size())
    return "expected a number";
  if (!std::isfinite(v) || errno == ERANGE || !(v >= lo && v <= hi))
    return "expected " + range_text(lo, hi);
  out = v;
  return {};
}

void validate(boost::any& out, const std::vector<std::string>& values,
              whole_arg*, int) {
  po::validators::check_first_occurrence(out);
  const auto& text = po::validators::get_single_string(values);
  whole_arg w;
  auto why = parse_whole(text, 0, UINT64_MAX, w.value);
  if (!why.empty())
    invalid(text, why);
  out = w;
}

void validate(boost::any& out, const std::vector<std::string>& values,
              real_arg*, int) {
  po::validators::check_first_occurrence(out);
  const auto& text = po::validators::get_single_string(values);
  real_arg r;
  auto why = parse_real(text, -HUGE_VAL, HUGE_VAL, r.value);
  if (!why.empty())
    invalid(text, why);
  out = r;
}

} // namespace calldrill
