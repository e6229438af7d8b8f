// Virtual time is deterministic: the same scenario and seed give the same
// events and results, run after run; another seed gives another run.
#include "small_drill.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

bool same(const run_result& a, const run_result& b) {
  if (a.obs.cells() != b.obs.cells() || a.phases.size() != b.phases.size())
    return false;
  for (std::size_t i = 0; i < a.phases.size(); ++i)
    if (a.phases[i].at != b.phases[i].at || a.phases[i].phase != b.phases[i].phase)
      return false;
  return true;
}

} // namespace

TEST(Determinism, SameSeedGivesIdenticalResults) {
  auto a = run(small_drill(11));
  auto b = run(small_drill(11));
  EXPECT_TRUE(same(a, b));
  EXPECT_GT(a.obs.total(counter::calls_started), 1000u);
}

TEST(Determinism, OtherSeedGivesOtherResults) {
  auto a = run(small_drill(11));
  auto b = run(small_drill(12));
  EXPECT_FALSE(same(a, b));
}

TEST(Determinism, HostGranularityDoesNotChangeTheRules) {
  auto s = small_drill(11);
  s.run.users_per_host = 7;
  auto r = run(s);
  EXPECT_EQ(r.obs.get(0, column::failover_during, counter::resiliency_ok), 0u);
  EXPECT_EQ(r.obs.total(counter::established_dropped), 0u);
}
