// Every scenario of the library (scenarios/*.yaml) runs in virtual time with
// its expected verdict, and the check that makes its point says so.
#include "actors/run.hpp"
#include "oracle/checks.hpp"
#include "scenarios/loader.hpp"

#include <gtest/gtest.h>

using namespace calldrill;

namespace {

struct outcome {
  run_result result;
  verdict v;
  scenario s;
  std::vector<std::string> disagreements;
};

outcome play(const std::string& name) {
  auto path = std::string{CALLDRILL_SOURCE_DIR} + "/scenarios/" + name + ".yaml";
  auto l = load_scenario_file(path);
  if (!l.ok())
    throw std::runtime_error(path + " does not load: "
                             + format(l.diagnostics.front()));
  auto s = std::make_shared<scenario>(*l.scn);
  auto r = run_checked(s, l.topo);
  return {std::move(r.result), std::move(r.report.v), *s,
          std::move(r.disagreements)};
}

const check_outcome& check(const outcome& o, const std::string& id) {
  const auto* c = o.v.find(id);
  if (c == nullptr)
    throw std::runtime_error("no check " + id);
  return *c;
}

/// How many times the run played action `k` (pool outages, ...).
std::uint64_t played(const outcome& o, action_kind k) {
  return o.result.actions[static_cast<std::size_t>(k)];
}

std::string failing(const verdict& v) {
  std::string out;
  for (const auto& c : v.checks)
    if (c.status == check_status::fail)
      out += c.id + "@" + c.pair + ": " + c.observed + "\n";
  return out;
}

} // namespace

TEST(Library, FailoverAndFailbackPasses) {
  auto o = play("failover-failback");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_EQ(check(o, "coverage").status, check_status::pass);
}

TEST(Library, ForgottenRedirectFailsTheRunbookAndTheVerdictSaysWhy) {
  auto o = play("forgot-redirect");
  EXPECT_FALSE(o.v.pass());
  EXPECT_EQ(failing(o.v).find("new_calls"), std::string::npos) << failing(o.v);
  EXPECT_EQ(check(o, "runbook").status, check_status::fail);
  EXPECT_NE(check(o, "runbook").note.find("Set-CsCallParkOrbit -Identity "
                                          "\"gcp-a\""),
            std::string::npos);
  const auto& c = check(o, "new_calls.failover_after");
  EXPECT_NE(c.note.find("GCP stayed down"), std::string::npos);
  EXPECT_GT(o.result.obs.get(0, column::failover_after,
                             counter::pickup_range_not_redirected), 0u);
  EXPECT_EQ(o.result.obs.get(0, column::failover_after,
                             counter::unredirected_ok), 0u);
}

TEST(Library, CallParkOffOnTheBackupFailsOnlyTheAffectedUsersCells) {
  auto o = play("call-park-off-backup");
  EXPECT_FALSE(o.v.pass());
  EXPECT_EQ(check(o, "new_calls.failover_after").status, check_status::fail);
  EXPECT_EQ(check(o, "blast_radius").status, check_status::pass);
  EXPECT_EQ(check(o, "new_calls.normal").status, check_status::pass);
  EXPECT_NE(check(o, "runbook").note.find("enable the Call Park application"),
            std::string::npos);
  EXPECT_GT(o.result.obs.total(counter::pickup_call_park_disabled), 0u);
}

TEST(Library, ReplacedPrimaryWithRangesReassignedPasses) {
  auto o = play("replace-primary");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_EQ(o.result.orbit_targets[0], 0); // gcp-a names the new pool's slot
}

TEST(Library, ReplacedPrimaryWithoutReassigningFailsTheRunbook) {
  auto o = play("replace-primary-no-reassign");
  EXPECT_FALSE(o.v.pass());
  EXPECT_EQ(failing(o.v).find("new_calls"), std::string::npos) << failing(o.v);
  EXPECT_NE(check(o, "runbook").note.find("ApplicationServer:fe-a2.drill.test"),
            std::string::npos);
  const auto& c = check(o, "new_calls.failback_after");
  EXPECT_NE(c.note.find("GCP stayed down"), std::string::npos);
  EXPECT_GT(o.result.obs.get(0, column::failback_after,
                             counter::unredirected_attempts), 0u);
  EXPECT_EQ(o.result.obs.get(0, column::failback_after,
                             counter::unredirected_ok), 0u);
}

TEST(Library, RandomChaosAtPeakRatePassesAndReplays) {
  auto a = play("chaos-peak");
  EXPECT_TRUE(a.v.pass()) << failing(a.v);
  EXPECT_GE(played(a, action_kind::pool_outage), 2u);
  auto b = play("chaos-peak");
  EXPECT_EQ(a.result.obs.cells(), b.result.obs.cells());
}

TEST(Library, GroupSpanningTwoPoolsLosesPickupForMembersAwayFromItsRange) {
  auto o = play("spanning-group");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_GT(o.result.obs.get(0, column::normal,
                             counter::pickup_range_not_redirected), 0u);
  // Groups spanning into the lone pool (pair 1): the pair's range pool
  // refuses its members' pickups, counted in the callee's pair.
  EXPECT_GT(o.result.obs.get(1, column::normal,
                             counter::pickup_range_not_redirected), 0u);
}

TEST(Library, RegistrationStormOnASmallBackupFailsItsThreshold) {
  auto o = play("storm-small-backup");
  EXPECT_FALSE(o.v.pass());
  EXPECT_EQ(check(o, "registration_storm").status, check_status::fail);
  EXPECT_GT(std::chrono::microseconds{o.result.obs.total(
              counter::registration_wait_max_us)},
            o.s.expect.registration_storm_max);
}

TEST(Library, ShortOutageForgetsClientsWhoRegisterAgainAtTheirRefresh) {
  auto o = play("short-outage");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_EQ(check(o, "registration_recovery").status, check_status::pass);
  EXPECT_GT(o.result.obs.total(counter::ended_callee_unreachable), 0u);
}

TEST(Library, FailoverInvokedBeforeTheIntervalSignsClientsInAtOnce) {
  auto o = play("early-invoke");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_EQ(check(o, "registrations").status, check_status::pass);
  // Failover completes at 8m, before the five-minute interval of an outage
  // at 5m is over: only the invoke at 5m30s brings clients in before it.
  EXPECT_GT(o.result.obs.get(0, column::failover_during,
                             counter::registrations), 0u);
  // Answers due after the 30 s ring timeout never come: it ends them.
  EXPECT_GT(o.result.obs.total(counter::ended_ring_timeout), 0u);
}

TEST(Library, AFlappingPoolSendsNoClientToTheBackupBeforeTheInterval) {
  auto o = play("flapping-pool");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_EQ(check(o, "registrations").status, check_status::pass);
  // Two blips, then the real outage: three outages of fe-a.
  EXPECT_EQ(played(o, action_kind::pool_outage), 3u);
}

TEST(Library, TheBackupFailingTooEndsOnlyWhatRangThereAndPasses) {
  auto o = play("backup-fails-too");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_GT(o.result.obs.total(counter::ended_pool_down), 0u);
  EXPECT_EQ(check(o, "registration_recovery").status, check_status::pass);
}

TEST(Library, ANewPoolWithoutCallParkFailsGroupCallPickupAfterFailback) {
  auto o = play("new-pool-without-call-park");
  EXPECT_FALSE(o.v.pass());
  const auto* cell = o.v.find("new_calls.failback_after",
                              "fe-a.drill.test/fe-b.drill.test");
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(cell->status, check_status::fail);
  ASSERT_FALSE(cell->evidence.empty());
  EXPECT_NE(cell->evidence.front().find("Call Park is not enabled"),
            std::string::npos);
  EXPECT_EQ(check(o, "runbook").status, check_status::fail);
  EXPECT_EQ(check(o, "new_calls.failover_after").status, check_status::pass);
}

TEST(Library, ABackupFailingMidStormHasItsWaitingClientsAskAgain) {
  auto o = play("storm-interrupted");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_EQ(check(o, "registration_recovery").status, check_status::pass);
  // fe-b lost its own 400 users and the primary's with it: more than the
  // two pools' users were admitted in all.
  EXPECT_GT(o.result.obs.total(counter::registrations), 800u);
}

TEST(Library, AHastyFailbackLeavesStragglersInResiliencyAndAPoolMayFailAgain) {
  auto o = play("hasty-failback");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  // fe-a fails twice, the second time from failback complete.
  EXPECT_EQ(played(o, action_kind::pool_outage), 2u);
  EXPECT_EQ(check(o, "world_steps").status, check_status::pass);
  // Stragglers still on fe-b after failback completed were refused.
  EXPECT_GT(o.result.obs.total(counter::pickup_picker_in_resiliency), 0u);
  EXPECT_GT(o.result.obs.total(counter::pickup_callee_in_resiliency), 0u);
}

TEST(Library, CallParkStoppingOnALonePoolRefusesItsPickupsAndPasses) {
  auto o = play("call-park-stops");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_GT(o.result.obs.total(counter::pickup_call_park_disabled), 0u);
  EXPECT_EQ(check(o, "blast_radius").status, check_status::pass);
  // The blip after failback: a second outage, played as the drill says.
  EXPECT_EQ(played(o, action_kind::pool_outage), 2u);
  EXPECT_EQ(check(o, "world_steps").status, check_status::pass);
}

TEST(Library, AHalfRedirectLeavesThePairShortOfRangesRedirected) {
  auto o = play("half-redirect");
  EXPECT_FALSE(o.v.pass());
  // The runbook names the range it forgot, not the one it redirected.
  const auto& rb = check(o, "runbook");
  EXPECT_EQ(rb.status, check_status::fail);
  EXPECT_NE(rb.note.find("-Identity \"gcp-a2\""), std::string::npos) << rb.note;
  EXPECT_EQ(rb.note.find("-Identity \"gcp-a1\""), std::string::npos) << rb.note;
  // One redirect of two is not the ranges_redirected step.
  EXPECT_EQ(check(o, "world_steps").status, check_status::pass);
  ASSERT_FALSE(o.result.phases.empty());
  for (const auto& ph : o.result.phases)
    EXPECT_NE(ph.phase, pair_phase::ranges_redirected) << ph.action;
  EXPECT_GT(o.result.obs.get(0, column::failover_after,
                             counter::pickup_range_not_redirected), 0u);
}

TEST(Library, AnEstateAtItsActiveCallLimitRefusesArrivalsAndPasses) {
  auto o = play("full-house");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  // The limit binds: arrivals were refused, and each refusal was made
  // while its host held its share (call_conservation judges it).
  EXPECT_GT(o.result.obs.total(counter::calls_not_started), 100u);
  EXPECT_EQ(check(o, "call_conservation").status, check_status::pass);
  EXPECT_EQ(check(o, "offered_load").status, check_status::pass);
}

TEST(Library, ABranchPoolListedFirstMakesThePairTheSecondAndPasses) {
  auto o = play("branch-first");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_TRUE(o.disagreements.empty());
  // The pair is the estate's second, though its pools are the file's second
  // and third: its calls and registrations are counted under pair 1.
  ASSERT_EQ(o.result.obs.pairs(), 2u);
  EXPECT_GT(o.result.obs.pair_total(1, counter::registrations), 400u);
  EXPECT_GT(o.result.obs.pair_total(0, counter::calls_started), 0u);
  EXPECT_GT(o.result.obs.pair_total(1, counter::calls_started), 0u);
  EXPECT_EQ(check(o, "coverage").status, check_status::pass);
}

TEST(Library, ALongBlipWithAnEarlyRedirectLeavesResiliencyEntriesUnanswerable) {
  auto o = play("blip-redirect");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
  EXPECT_TRUE(o.disagreements.empty());
  // The clients signed in to fe-b in resiliency; failover was never
  // invoked, and fe-a's restore put the pair back to normal, where calls
  // queued at fe-b while their callees were in resiliency still ring.
  EXPECT_EQ(played(o, action_kind::invoke_failover), 0u);
  EXPECT_GT(o.result.obs.pair_total(0, counter::registrations_resiliency), 0u);
  EXPECT_EQ(check(o, "queued_calls.normal").status, check_status::pass);
  EXPECT_EQ(check(o, "new_calls.normal").status, check_status::pass);
}

TEST(Library, TheDefaultDrillIsWithinGroupCallPickupCapacitySoValidateIsSilent) {
  // Microsoft's recommended capacity of an 8-server pool (500 GCP calls and
  // 200 pickups a minute) with both pools' groups on the backup: the drill
  // sizes its traffic to it instead of declaring larger capacities.
  auto path = std::string{CALLDRILL_SOURCE_DIR} + "/scenarios/default-drill.yaml";
  auto l = load_scenario_file(path);
  ASSERT_TRUE(l.ok());
  std::string said;
  for (const auto& d : l.diagnostics)
    said += format(d) + "\n";
  EXPECT_TRUE(said.empty()) << said;
  for (const auto& p : l.scn->pools) {
    EXPECT_EQ(p.gcp_calls_per_minute, 500.0) << p.fqdn;
    EXPECT_EQ(p.pickups_per_minute, 200.0) << p.fqdn;
  }
  auto o = play("default-drill");
  EXPECT_TRUE(o.v.pass()) << failing(o.v);
}
