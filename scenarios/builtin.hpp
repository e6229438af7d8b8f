// Scenarios compiled into calldrill, starting with the default drill that
// `calldrill run` plays when given no file.
#pragma once

#include "model/scenario.hpp"

namespace calldrill {

/// The source's full drill on a DR pair plus a bystander pool: outage,
/// failover, redirect, restore, failback, redirect back, under steady traffic.
scenario default_drill();

} // namespace calldrill
