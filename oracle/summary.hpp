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

/// The source's table (rows: call state; columns: the normal column and
/// the DR phases) for each DR pair, with each cell's figures and status as
/// the checker decided, then the pair's DR figures.
std::string render_table(const topology& t, const check_report& rep,
                         bool colour);

/// A pair's DR rehearsal figures in one line ("" without an outage).
std::string render_figures(const pair_figures& f);

/// The run-wide checks, every failing check with expected vs observed, and
/// the notes a run needs to say (e.g. why GCP stayed down).
std::string render_checks(const verdict& v, bool colour);

/// Realtime runs: how late the actors acted against the checker's
/// tolerance, in one line ("" in virtual time).
std::string render_timing(const run_timing& t);

/// The verdict line: PASS, FAIL or INCONCLUSIVE and the seed, and for an
/// inconclusive run why and what to change.
std::string render_verdict(const verdict& v, std::uint64_t seed);

/// Totals: calls by outcome, pickups by result, registrations.
std::string render_totals(const run_result& r);

} // namespace calldrill
