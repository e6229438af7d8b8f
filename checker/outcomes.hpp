// From what the checker counted to the verdict: one outcome per cell of the
// table per pair (the normal column included), and the run-wide checks.
#pragma once

#include "checker/replica.hpp"
#include "checker/tally.hpp"

namespace calldrill::checking {

struct outcome_inputs {
  const topology& topo;
  const scenario& scn;
  const std::vector<pair_tally>& pairs;
  const run_tally& run;
  const std::vector<pool_id>& orbit;          ///< where ranges point at the end
  const std::vector<std::uint8_t>& call_park; ///< Call Park at the end
  const replica& rep;
};

verdict decide(const outcome_inputs& in);

} // namespace calldrill::checking
