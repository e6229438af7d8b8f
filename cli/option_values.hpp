// Option values that apply the same checks as scenario files: whole numbers
// that refuse signs and overflow, finite reals, ranges named in the message,
// and a value name in --help. A bad value is a usage error (exit code 2).
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace calldrill {

/// A whole number as typed: digits only (no sign), within 64 bits.
struct whole_arg {
  std::uint64_t value = 0;
};

/// A real number as typed: finite, no hexadecimal, no trailing text.
struct real_arg {
  double value = 0;
};

/// Boost.Program_options hooks (found by argument-dependent lookup).
void validate(boost::any& out, const std::vector<std::string>& values,
              whole_arg*, int);
void validate(boost::any& out, const std::vector<std::string>& values,
              real_arg*, int);

/// Parses a whole number in lo..hi; "" or why not.
std::string parse_whole(const std::string& text, std::uint64_t lo,
                        std::uint64_t hi, std::uint64_t& out);
/// Parses a finite real number in lo..hi; "" or why not.
std::string parse_real(const std::string& text, double lo, double hi,
                       double& out);

/// The range lo..hi as text, e.g. "0..256".
std::string range_text(double lo, double hi);

/// An option value stored into `*target` once it is known to lie in lo..hi;
/// `option` names it in the error ("--workers").
template <class T>
boost::program_options::typed_value<whole_arg>*
whole_value(T* target, std::uint64_t lo, std::uint64_t hi, const char* option,
            const char* value_name = "N") {
  auto* v = boost::program_options::value<whole_arg>();
  v->value_name(value_name);
  v->notifier([=](const whole_arg& w) {
    if (w.value < lo || w.value > hi)
      throw boost::program_options::error(
        std::string{option} + ": expected " + std::to_string(lo) + ".."
        + std::to_string(hi) + ", got " + std::to_string(w.value));
    *target = static_cast<T>(w.value);
  });
  return v;
}

/// As whole_value, for real numbers.
template <class T>
boost::program_options::typed_value<real_arg>*
real_value(T* target, double lo, double hi, const char* option,
           const char* value_name = "X") {
  auto* v = boost::program_options::value<real_arg>();
  v->value_name(value_name);
  v->notifier([=](const real_arg& r) {
    if (!(r.value >= lo && r.value <= hi))
      throw boost::program_options::error(std::string{option} + ": expected "
                                          + range_text(lo, hi));
    *target = static_cast<T>(r.value);
  });
  return v;
}

} // namespace calldrill
