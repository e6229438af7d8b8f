// Names of check statuses and look-ups in a verdict.
#include "checker/verdict.hpp"

namespace calldrill {

std::string_view name(check_status s) {
  switch (s) {
    case check_status::pass:
      return "pass";
    case check_status::fail:
      return "fail";
    default:
      return "not_covered";
  }
}

std::string_view name(verdict_status s) {
  switch (s) {
    case verdict_status::pass:
      return "pass";
    case verdict_status::fail:
      return "fail";
    default:
      return "inconclusive";
  }
}

const check_outcome* verdict::find(std::string_view id,
                                   std::string_view pair) const {
  for (const auto& c : checks)
    if (c.id == id && (pair.empty() || c.pair == pair))
      return &c;
  return nullptr;
}

} // namespace calldrill
