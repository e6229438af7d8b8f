// `--memory-max`: the memory budget a run must fit, checked against the
// scenario's estimate (scenarios/budget.hpp) before anything is built.
#pragma once

#include "model/scenario.hpp"

#include <string>

namespace calldrill {

/// "" when `s` fits the budget `text` (a size such as 4G; empty: the
/// machine's memory), else the usage error to print.
std::string check_memory(const std::string& text, const scenario& s);

} // namespace calldrill
