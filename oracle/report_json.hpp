// The JSON report of a run (`--report FILE`): seed, verdict, checks, totals,
// phases, per-cell counters, and wall-clock facts only in the last two keys,
// "started_at" and "wall", so two virtual-clock runs of one scenario and seed
// differ only there.
#pragma once

#include "model/run_result.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"
#include "oracle/checks.hpp"

#include <string>

namespace calldrill {

/// What a report says about the run beyond its results.
struct report_facts {
  std::string version;         ///< calldrill's version
  std::string started_at;      ///< wall-clock start, UTC, RFC 3339
  std::string scenario_sha256; ///< hash of the scenario text played
  std::string replay;          ///< the one command that replays the run
  std::string interrupted_by;  ///< "SIGINT"/"SIGTERM", or "" if it ran out
};

/// The report as JSON text.
std::string report_json(const topology& t, const scenario& s,
                        const run_result& r, const verdict& v,
                        const report_facts& facts);

} // namespace calldrill
