// The checker on the conforming model under random chaos: no false failure
// over hundreds of seeds, and each seed's report identical on a second run
// outside its wall-clock facts.
#include "oracle/checks.hpp"
#include "oracle/report_json.hpp"
#include "scenarios/loader.hpp"

#include <gtest/gtest.h>

using namespace calldrill;

namespace {

scenario load(const std::string& name) {
  auto path = std::string{CALLDRILL_SOURCE_DIR} + "/tests/data/" + name + ".yaml";
  auto l = load_scenario_file(path);
  if (!l.ok())
    throw std::runtime_error(path + " does not load");
  return *l.scn;
}

struct seeded {
  checked_run run;
  std::string report;
};

seeded play(scenario s, std::uint64_t seed) {
  s.run.seed = seed;
  auto shared = std::make_shared<scenario>(std::move(s));
  auto built = build_topology(*shared);
  seeded out{run_checked(shared, built.topo), {}};
  out.run.result.wall = wall_facts{};
  report_facts facts;
  facts.replay = "replay";
  out.report = report_json(*built.topo, *shared, out.run.result, out.run.v(),
                           facts);
  return out;
}

std::string failing(const verdict& v) {
  std::string out;
  for (const auto& c : v.checks)
    if (c.status == check_status::fail)
      out += c.id + "@" + c.pair + ": " + c.observed
             + (c.evidence.empty() ? "" : " e.g. " + c.evidence.front()) + "\n";
  return out;
}

} // namespace

TEST(ChaosSweep, TwoHundredSeedsPassAndReplayIdentically) {
  auto s = load("chaos-sweep");
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    auto a = play(s, seed);
    ASSERT_TRUE(a.run.v().pass()) << "seed " << seed << "\n" << failing(a.run.v());
    ASSERT_TRUE(a.run.disagreements.empty()) << "seed " << seed;
    auto b = play(s, seed);
    ASSERT_EQ(a.report, b.report) << "seed " << seed;
  }
}

TEST(ChaosSweep, HarshChaosBreaksNoRuleOfTheTable) {
  auto s = load("chaos-harsh");
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    auto a = play(s, seed);
    for (const auto& c : a.run.v().checks) {
      if (c.id == "coverage")
        continue;
      ASSERT_NE(c.status, check_status::fail)
        << "seed " << seed << " " << c.id << "@" << c.pair << ": "
        << c.observed << "\n" << failing(a.run.v());
    }
    ASSERT_TRUE(a.run.disagreements.empty()) << "seed " << seed;
  }
}
