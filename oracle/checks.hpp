// The verdict of a run: the actors play the scenario and record a history of
// facts; the checker (checker/) replays it as it is made and decides every
// check. The run's live counters are a second witness: where they and the
// history disagree on a count both keep, recording is broken (exit 3).
#pragma once

#include "actors/run.hpp"
#include "checker/checker.hpp"
#include "checker/verdict.hpp"

#include <string>
#include <vector>

namespace calldrill {

/// A finished run and the checker's judgment of it.
struct checked_run {
  run_result result;
  check_report report;
  /// Counts the history and the live counters both keep, for the run and
  /// for each pair, where they differ.
  std::vector<std::string> disagreements;

  const verdict& v() const { return report.v; }
};

/// Runs `s` with the checker consuming its history; `also` (optional)
/// receives every fact too (e.g. a history file).
checked_run run_checked(std::shared_ptr<const scenario> s,
                        std::shared_ptr<const topology> topo,
                        run_hooks hooks = {}, fact_sink* also = nullptr);

/// Where a live view taken mid-run reads outside the history's bounds at
/// its instant (history_checker::expect_live_views).
std::vector<std::string> view_disagreements(const live_view& v,
                                            const instant_bounds& b);

/// The counts on which the live counters and the history disagree.
std::vector<std::string> disagreements(const run_result& r,
                                       const history_counts& h);

} // namespace calldrill
