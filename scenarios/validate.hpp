// The checks a scenario gets once its file has been read: the topology
// (pairs, ranges, groups), the drill played through a copy of the DR phase
// machine, chaos settings, and DR-readiness warnings. Errors stop a run;
// warnings only inform.
#pragma once

#include "model/scenario.hpp"
#include "model/topology.hpp"
#include "scenarios/diagnostic.hpp"

#include <memory>

namespace calldrill {

/// Checks `s`, adding errors and warnings to `d` by key path; returns the
/// topology when it could be built.
std::shared_ptr<const topology> validate_scenario(const scenario& s,
                                                  diagnostics& d);

} // namespace calldrill
