// The one-screen summary `calldrill validate` prints for a valid scenario:
// topology, traffic, drill (with chaos expanded when the seed is known),
// expectations and run settings.
#pragma once

#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <string>

namespace calldrill {

std::string describe(const scenario& s, const topology& t);

} // namespace calldrill
