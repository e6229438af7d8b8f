// The oracle: every run ends in a verdict computed from what was observed
// (counters recorded where events happened), never from what the model
// intended. One check per cell of the source's table per DR pair, plus
// blast radius, call conservation and coverage.
#pragma once

#include "model/run_result.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <string>
#include <vector>

namespace calldrill {

enum class check_status : std::uint8_t { pass, fail, not_covered };

std::string_view name(check_status s);

struct check_outcome {
  std::string id;   ///< "<row>.<column>", "blast_radius", ...
  std::string pair; ///< the DR pair's name, or "" for run-wide checks
  check_status status = check_status::not_covered;
  std::string expected;
  std::string observed;
  std::string note; ///< why, when the run needs to say (e.g. GCP stayed down)
};

struct verdict {
  std::vector<check_outcome> checks;

  bool pass() const {
    for (const auto& c : checks)
      if (c.status == check_status::fail)
        return false;
    return true;
  }
  /// The check with this id (and pair, if given), or nullptr.
  const check_outcome* find(std::string_view id,
                            std::string_view pair = {}) const;
};

/// Evaluates every check over the observations of a finished run.
verdict evaluate(const topology& t, const scenario& s, const run_result& r);

} // namespace calldrill
