// The JSON report of a run (`--report FILE`): seed, verdict, checks, totals,
// phases, per-cell counters, and wall-clock facts only under "wall", so two
// virtual-clock runs of one scenario and seed differ only there.
#pragma once

#include "model/run_result.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"
#include "oracle/checks.hpp"

#include <string>

namespace calldrill {

/// The report as JSON text.
std::string report_json(const topology& t, const scenario& s,
                        const run_result& r, const verdict& v,
                        const std::string& replay);

/// Writes `text` to `path` atomically (temporary file, then rename), so a
/// crash or Ctrl-C never leaves half a file. Returns "" or the error.
std::string write_atomically(const std::string& path, const std::string& text);

/// Whether a report could be written at `path`; returns "" or the reason.
std::string check_writable(const std::string& path);

} // namespace calldrill
