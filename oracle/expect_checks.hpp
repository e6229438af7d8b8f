// Checks of a scenario's own thresholds beyond the source's table (the
// `expect` section of a scenario file): today the longest registration
// storm clients may see. Run-wide, read from observed counters only.
#pragma once

#include "oracle/checks.hpp"

#include <vector>

namespace calldrill {

/// One check per threshold the scenario sets; empty when it sets none.
std::vector<check_outcome> expect_checks(const scenario& s,
                                         const run_result& r);

} // namespace calldrill
