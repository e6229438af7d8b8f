// The terminal summary of a run: the DR timeline and the source's table with
// observed counts per pair, readable at 100 columns.
#pragma once

#include "model/run_result.hpp"
#include "model/topology.hpp"
#include "oracle/checks.hpp"

#include <string>

namespace calldrill {

/// The phase-by-phase timeline of pair transitions and refused actions.
std::string render_timeline(const topology& t, const run_result& r);

/// The source's table (rows: call state; columns: DR phase) for each DR
/// pair, with observed counts and the check's status in every cell.
std::string render_table(const topology& t, const run_result& r,
                         const verdict& v, bool colour);

/// The run-wide checks, every failing check with expected vs observed, and
/// the notes a run needs to say (e.g. why GCP stayed down).
std::string render_checks(const verdict& v, bool colour);

/// Totals: calls by outcome, pickups by result, registrations.
std::string render_totals(const run_result& r);

} // namespace calldrill
