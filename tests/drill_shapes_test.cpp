// The conforming model on drills of random shape (tests/drill_shapes.hpp):
// whatever the topology, client timings and runbook, it breaks no rule of the
// table. A drill may still fail on what its writer chose: a runbook that
// leaves ranges astray (`runbook`), phases too short for traffic
// (`coverage`), a failover slower than the RTO target (`rto`), or GCP
// refused where a range was sent to a pool without Call Park, which the
// table's cells fail by design. Anything else failing is the checker reading
// a rule too narrowly, or the model breaking one: each was one of the two.
#include "drill_shapes.hpp"

#include "oracle/checks.hpp"
#include "scenarios/loader.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

using namespace calldrill;

namespace {

/// Whether a failing check is the drill's own choice rather than a rule
/// broken.
bool the_drills_choice(const check_outcome& c) {
  static const std::set<std::string> chosen{"runbook", "coverage", "rto"};
  if (chosen.count(c.id) != 0)
    return true;
  if (c.pair.empty() || c.evidence.empty())
    return false;
  for (const auto& e : c.evidence)
    if (e.find("Call Park is not enabled") == std::string::npos)
      return false;
  return true;
}

std::string broken_rules(const verdict& v) {
  std::string out;
  for (const auto& c : v.checks)
    if (c.status == check_status::fail && !the_drills_choice(c)) {
      out += c.id + "@" + c.pair + ": " + c.observed + "\n";
      for (const auto& e : c.evidence)
        out += "  e.g. " + e + "\n";
    }
  return out;
}

struct sweep_figures {
  std::uint64_t played = 0, in_dr = 0;
};

/// Plays shapes 1..`drills`, each as is or cut into partitions on two
/// workers, and fails at the first that breaks a rule.
sweep_figures sweep(std::uint64_t drills, bool partitioned) {
  sweep_figures out;
  for (std::uint64_t seed = 1; seed <= drills; ++seed) {
    auto text = shapes::drill_of_shape(seed);
    auto l = load_scenario_text(text, "shape-" + std::to_string(seed) + ".yaml");
    if (!l.ok())
      continue; // a shape the validator refuses (e.g. actions the phases forbid)
    ++out.played;
    auto s = std::make_shared<scenario>(*l.scn);
    s->run.partition_by_pair = partitioned;
    s->run.workers = partitioned ? 2 : 0;
    // Live views every few seconds, as a metrics endpoint or a series asks
    // for them: the checker bounds each at its instant too.
    run_hooks hooks;
    hooks.sink = [](const live_view&) {};
    hooks.every = std::chrono::seconds{5};
    auto r = run_checked(s, l.topo, hooks);
    EXPECT_EQ(broken_rules(r.v()), "") << "seed " << seed << ":\n" << text;
    EXPECT_TRUE(r.disagreements.empty()) << "seed " << seed << ":\n" << text;
    if (::testing::Test::HasFailure())
      return out;
    for (const auto& c : r.v().checks)
      if (c.id == "coverage"
          && c.observed.find("no pair went through") == std::string::npos) {
        ++out.in_dr;
        break;
      }
  }
  return out;
}

/// CALLDRILL_SHAPES=N tries N shapes instead of `fallback` (2,000 take about
/// 25 s).
std::uint64_t shapes_wanted(std::uint64_t fallback) {
  const auto* wanted = std::getenv("CALLDRILL_SHAPES");
  return wanted != nullptr ? std::stoull(wanted) : fallback;
}

} // namespace

TEST(DrillShapes, TheConformingModelBreaksNoRuleOnDrillsOfAnyShape) {
  auto drills = shapes_wanted(120);
  auto f = sweep(drills, false);
  // Not vacuous: most shapes are valid drills, and most of them go through DR.
  EXPECT_GE(f.played, drills * 9 / 10);
  EXPECT_GE(f.in_dr, f.played / 2);
}

TEST(DrillShapes, CutIntoPartitionsItBreaksNoRuleEither) {
  auto drills = shapes_wanted(40);
  auto f = sweep(drills, true);
  EXPECT_GE(f.played, drills * 9 / 10);
}

TEST(DrillShapes, TheSameSeedGivesTheSameDrill) {
  EXPECT_EQ(shapes::drill_of_shape(7), shapes::drill_of_shape(7));
  EXPECT_NE(shapes::drill_of_shape(7), shapes::drill_of_shape(8));
}
