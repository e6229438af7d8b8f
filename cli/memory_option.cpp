// The memory budget option (see memory_option.hpp).
#include "cli/memory_option.hpp"

#include "scenarios/budget.hpp"

namespace calldrill {

std::string check_memory(const std::string& text, const scenario& s) {
  if (auto why = hosts_problem(s); !why.empty())
    return s.source + ": " + why;
  auto budget = machine_memory_bytes();
  if (!text.empty()) {
    auto size = parse_size(text);
    if (!size || *size == 0)
      return "--memory-max: expected a size such as 512M, 4G or 1T, got '"
             + text + "'";
    budget = *size;
  }
  auto why = memory_problem(s, budget);
  if (why.empty())
    return {};
  return s.source + ": " + why
         + (text.empty() ? " (the machine's memory; --memory-max sets another)"
                         : " (--memory-max)");
}

} // namespace calldrill
