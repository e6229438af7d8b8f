// The oracle passes the conforming system and catches every deliberate
// defect with exactly the check the defect breaks.
#include "oracle/checks.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

std::set<std::string> failing(const scenario& s) {
  auto r = run(s);
  auto topo = build_topology(s).topo;
  auto v = evaluate(*topo, s, r);
  std::set<std::string> out;
  for (const auto& c : v.checks)
    if (c.status == check_status::fail)
      out.insert(c.id);
  return out;
}

scenario with(defect d, scenario s = small_drill()) {
  s.defects.add(d);
  return s;
}

/// The small drill cut after failover completes (no failback).
scenario failover_only() {
  auto s = small_drill();
  s.drill.resize(4);
  s.run.duration = std::chrono::minutes{10};
  return s;
}

/// The small drill whose runbook never redirects the ranges.
scenario no_redirect() {
  auto s = small_drill();
  s.drill.erase(s.drill.begin() + 7);
  s.drill.erase(s.drill.begin() + 3);
  return s;
}

} // namespace

TEST(Oracle, ConformingSystemPassesEveryCheck) {
  auto s = small_drill();
  auto r = run(s);
  auto v = evaluate(*build_topology(s).topo, s, r);
  for (const auto& c : v.checks) {
    SCOPED_TRACE(c.id + " " + c.observed);
    EXPECT_EQ(c.status, check_status::pass);
  }
  EXPECT_TRUE(v.pass());
  EXPECT_EQ(v.checks.size(), 12u + 3u);
}

TEST(Oracle, DropEstablishedOnFailoverIsCaught) {
  EXPECT_EQ(failing(with(defect::drop_established_on_failover)),
            (std::set<std::string>{"established_calls.failover_during"}));
}

TEST(Oracle, PickupInResiliencyIsCaught) {
  EXPECT_EQ(failing(with(defect::pickup_in_resiliency)),
            (std::set<std::string>{"new_calls.failover_during",
                                   "new_calls.failback_during"}));
}

TEST(Oracle, AnswerStaleQueueIsCaught) {
  EXPECT_EQ(failing(with(defect::answer_stale_queue, failover_only())),
            (std::set<std::string>{"queued_calls.failover_during"}));
}

TEST(Oracle, KeepStaleQueueIsCaught) {
  EXPECT_EQ(failing(with(defect::keep_stale_queue)),
            (std::set<std::string>{"queued_calls.failover_after"}));
}

TEST(Oracle, IgnoreOrbitTargetIsCaughtWhenRunbookSkipsRedirect) {
  EXPECT_EQ(failing(with(defect::ignore_orbit_target, no_redirect())),
            (std::set<std::string>{"new_calls.failover_after"}));
}

TEST(Oracle, DegradeBystandersIsCaught) {
  EXPECT_EQ(failing(with(defect::degrade_bystanders)),
            (std::set<std::string>{"blast_radius"}));
}

TEST(Oracle, RunbookWithoutRedirectPassesAndSaysGcpStayedDown) {
  auto s = no_redirect();
  auto r = run(s);
  auto v = evaluate(*build_topology(s).topo, s, r);
  EXPECT_TRUE(v.pass());
  const auto* c = v.find("new_calls.failover_after");
  ASSERT_NE(c, nullptr);
  EXPECT_NE(c->note.find("GCP stayed down"), std::string::npos);
  EXPECT_NE(c->note.find("range ra points at a.test"), std::string::npos);
}

TEST(Oracle, NoDrEventMeansCoverageFails) {
  auto s = small_drill();
  s.drill.clear();
  auto r = run(s);
  auto v = evaluate(*build_topology(s).topo, s, r);
  EXPECT_FALSE(v.pass());
  EXPECT_EQ(v.find("coverage")->status, check_status::fail);
}

TEST(Oracle, PhaseWithoutTrafficFailsCoverage) {
  auto s = small_drill();
  s.traffic.stages = {{std::chrono::minutes{4}, 6.0}}; // traffic stops early
  auto r = run(s);
  auto v = evaluate(*build_topology(s).topo, s, r);
  EXPECT_EQ(v.find("coverage")->status, check_status::fail);
  EXPECT_NE(v.find("coverage")->observed.find("new_calls.failover_during"),
            std::string::npos);
}

TEST(Oracle, CellsOfPhasesNeverEnteredAreNotCovered) {
  auto s = failover_only();
  auto r = run(s);
  auto v = evaluate(*build_topology(s).topo, s, r);
  EXPECT_TRUE(v.pass());
  EXPECT_EQ(v.find("new_calls.failback_during")->status,
            check_status::not_covered);
}
