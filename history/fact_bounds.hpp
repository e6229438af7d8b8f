// Whether a fact fits a topology: every id it carries names a pool, user,
// group, pair or range that exists, and every code is a value of its enum.
// A history read from a file is checked with it before the checker sees a
// fact, so a crafted file cannot make the checker index out of bounds.
#pragma once

#include "history/fact.hpp"
#include "model/topology.hpp"

#include <string>

namespace calldrill {

/// "" when `f` fits `t`, else which field is out of range.
std::string out_of_bounds(const fact& f, const topology& t);

} // namespace calldrill
