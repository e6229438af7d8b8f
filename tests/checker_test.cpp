// The checker on hand-written histories: each rule of the table, shown to
// pass on a history that keeps it and to fail on one that breaks it. No
// actors run here: the checker judges facts alone.
#include "checker/checker.hpp"
#include "checker_history.hpp"
#include "pair_scenario.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace std::chrono;

namespace {

/// Pools a and b back each other up, 4 users each, groups of 2: users 0-1
/// and 2-3 are a's groups 0 and 1 (range ra), 4-5 and 6-7 are b's (rb).
scenario pair_scenario() {
  auto s = calldrill::testing::pair_scenario();
  s.pools[0].users = s.pools[1].users = 4;
  s.grouping.group_size = 2;
  s.grouping.share_in_groups = 1.0;
  s.run.duration = minutes{10};
  return s;
}

/// The checker over the pair above, ended at 10 minutes.
class history : public calldrill::testing::fact_history {
public:
  history() : fact_history(pair_scenario()) {}
  check_report finish() { return fact_history::finish(minutes{10}); }
};

check_status status(const check_report& r, const std::string& id) {
  const auto* c = r.v.find(id);
  return c == nullptr ? check_status::not_covered : c->status;
}

} // namespace

TEST(CheckerRules, AnEligiblePickupSucceedsInNormalOperation) {
  history h;
  h.call(seconds{10}, 1, 0, 0);
  h.queue(seconds{10}, 1, 0, 0);
  h.pickup(seconds{12}, 1, 1, 0, 0, 1);
  h.established(seconds{12}, 1, seconds{60}, true);
  auto r = h.finish();
  EXPECT_EQ(status(r, "new_calls.normal"), check_status::pass);
}

TEST(CheckerRules, AnEligiblePickupRefusedInNormalOperationFailsTheRun) {
  history h;
  h.call(seconds{10}, 1, 0, 0);
  h.queue(seconds{10}, 1, 0, 0);
  h.pickup(seconds{12}, 1, 1, 0, 0, 0, pickup_result::no_call_ringing);
  auto r = h.finish();
  EXPECT_EQ(status(r, "new_calls.normal"), check_status::fail);
  EXPECT_FALSE(r.v.pass());
}

TEST(CheckerRules, ACauseThatWasNotTrueIsReported) {
  history h;
  h.call(seconds{10}, 1, 0, 0);
  h.queue(seconds{10}, 1, 0, 0);
  // Refused as "pool down" while a.test was up.
  h.pickup(seconds{12}, 1, 1, 0, 0, 0, pickup_result::pool_down);
  auto r = h.finish();
  EXPECT_EQ(status(r, "failure_causes"), check_status::fail);
}

TEST(CheckerRules, ThePickupMustTakeTheLongestRingingCall) {
  history h;
  h.call(seconds{10}, 1, 0, 0);
  h.queue(seconds{10}, 1, 0, 0);
  h.call(seconds{11}, 2, 1, 0);
  h.queue(seconds{11}, 2, 1, 0);
  h.pickup(seconds{12}, 3, 2, 0, 0, 2); // took the newer call
  auto r = h.finish();
  EXPECT_EQ(status(r, "new_calls.normal"), check_status::fail);
}

TEST(CheckerRules, AnEstablishedCallEndingBeforeItsHangUpIsDropped) {
  history h;
  h.call(seconds{10}, 1, 0, 0);
  h.established(seconds{12}, 1, seconds{60});
  h.ended(seconds{30}, 1, end_cause::hang_up); // booked as a hang-up, early
  auto r = h.finish();
  EXPECT_EQ(status(r, "established_calls.normal"), check_status::fail);
}

TEST(CheckerRules, AnEstablishedCallEndingAtItsHangUpStaysConnected) {
  history h;
  h.call(seconds{10}, 1, 0, 0);
  h.established(seconds{12}, 1, seconds{60});
  h.ended(seconds{72}, 1, end_cause::hang_up);
  auto r = h.finish();
  EXPECT_EQ(status(r, "established_calls.normal"), check_status::pass);
}

TEST(CheckerRules, NoPickupSucceedsWhileTheCalleeIsInResiliency) {
  history h;
  // a fails; user 0 re-registers on b in resiliency; its call is queued on
  // b; b's range points at b only for b's groups, so redirect ra to b.
  h.phase(seconds{60}, pair_phase::primary_outage);
  h.put(facts::pool_event(fact_kind::pool_down, seconds{60}, 0));
  h.put(facts::registration(fact_kind::reg_admitted, seconds{100}, 0, 1));
  h.put(facts::registration(fact_kind::reg_confirmed, seconds{100}, 0, 1));
  h.put(facts::registration(fact_kind::reg_admitted, seconds{100}, 1, 1));
  h.put(facts::registration(fact_kind::reg_confirmed, seconds{100}, 1, 1));
  h.put(facts::orbit_set(seconds{110}, 0, 1));
  h.call(seconds{120}, 1, 0, 1);
  h.queue(seconds{120}, 1, 0, 1);
  h.pickup(seconds{125}, 1, 5, 0, 1, 1); // a b.test user picks it up
  auto r = h.finish();
  EXPECT_EQ(status(r, "new_calls.failover_during"), check_status::fail);
  EXPECT_EQ(status(r, "queued_calls.failover_during"), check_status::fail);
}

// A pool that found nothing to answer books the reason of the call that had
// rung longest there (the one a pickup takes first), not any true reason.
TEST(CheckerRules, ARefusalForTheQueueGivesTheLongestRingingCallsReason) {
  auto refused_as = [](pickup_result r) {
    history h;
    // a fails; users 0 and 1 (group 0) re-register on b in resiliency, ra
    // is redirected to b; both ring there, then b lets user 1 go.
    h.phase(seconds{60}, pair_phase::primary_outage);
    h.put(facts::pool_event(fact_kind::pool_down, seconds{60}, 0));
    for (user_id u : {0u, 1u}) {
      h.put(facts::registration(fact_kind::reg_admitted, seconds{100}, u, 1));
      h.put(facts::registration(fact_kind::reg_confirmed, seconds{100}, u, 1));
    }
    h.put(facts::orbit_set(seconds{110}, 0, 1));
    h.call(seconds{120}, 1, 0, 1);
    h.queue(seconds{120}, 1, 0, 1);
    h.call(seconds{121}, 2, 1, 1);
    h.queue(seconds{121}, 2, 1, 1);
    h.put(facts::registration(fact_kind::reg_dropped, seconds{122}, 1, 1));
    h.pickup(seconds{125}, 2, 5, 1, 1, 0, r); // a b.test user dials
    return status(h.finish(), "failure_causes");
  };
  EXPECT_EQ(refused_as(pickup_result::callee_in_resiliency), check_status::pass);
  EXPECT_EQ(refused_as(pickup_result::range_not_redirected), check_status::fail);
}

TEST(CheckerRules, ACallNeverEnteredInItsGroupsQueueIsReported) {
  history h;
  h.call(seconds{10}, 1, 0, 0); // rings through a.test, never queued
  h.put(facts::make(fact_kind::action, seconds{11}));
  auto r = h.finish();
  EXPECT_EQ(status(r, "queued_calls.normal"), check_status::fail);
}

TEST(CheckerRules, InNormalOperationEveryEligiblePickupSucceedsNotMostOfThem) {
  // 199 of 200 would pass a 0.99 ratio: the ratio is for the DR phases.
  history h;
  call_id id = 1;
  for (int i = 0; i < 200; ++i, ++id) {
    auto at = seconds{10 + i};
    h.call(at, id, 0, 0);
    h.queue(at, id, 0, 0);
    if (i == 100) {
      h.pickup(at, id, 1, 0, 0, 0, pickup_result::no_call_ringing);
      h.ended(at + seconds{30}, id, end_cause::ring_timeout);
      continue;
    }
    h.pickup(at, id, 1, 0, 0, id);
    h.established(at, id, seconds{1}, true);
    h.ended(at + seconds{1}, id, end_cause::hang_up);
  }
  auto r = h.finish();
  const auto* c = r.v.find("new_calls.normal");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->status, check_status::fail) << c->observed;
  EXPECT_EQ(c->threshold, 1.0);
}

namespace {

/// The pair above and fe c, a lone pool of 4 users (8-11) with range rc;
/// a has failed over to b, user 0 is registered on b out of resiliency, and
/// Call Park stopped on `stopped`. User 0 then dials the group of user 8
/// (c's, through c) or of user 4 (b's, through b) and is refused.
check_report pickup_without_call_park(pool_id stopped) {
  auto s = pair_scenario();
  pool_spec c;
  c.fqdn = "c.test";
  c.users = 4;
  s.pools.push_back(c);
  s.ranges.push_back({"rc", "*300", "*399", range_type::group_pickup, "c.test", {}});
  calldrill::testing::fact_history h(s);
  h.put(facts::pool_event(fact_kind::pool_down, seconds{60}, 0));
  h.phase(seconds{60}, pair_phase::primary_outage);
  h.phase(seconds{70}, pair_phase::failover_in_progress);
  h.put(facts::registration(fact_kind::reg_requested, seconds{70}, 0, 1));
  h.put(facts::registration(fact_kind::reg_admitted, seconds{70}, 0, 1));
  h.put(facts::registration(fact_kind::reg_confirmed, seconds{70}, 0, 1));
  h.phase(seconds{80}, pair_phase::failover_complete);
  h.put(facts::pool_event(fact_kind::call_park_off, seconds{90}, stopped));
  user_id callee = stopped == 2 ? 8 : 4;
  h.call(seconds{120}, 1, callee, stopped);
  h.pickup(seconds{125}, 2, 0, callee, stopped, 0,
           pickup_result::call_park_disabled);
  return h.finish(minutes{10});
}

} // namespace

// After failover completes, Call Park must run in both pools of the pair:
// a pool of the pair without it fails the affected users' cell; a pool
// outside the pair is not the pair's promise.
TEST(CheckerRules, CallParkMissingInThePairFailsTheCellButNotElsewhere) {
  auto in_pair = pickup_without_call_park(1);
  EXPECT_EQ(status(in_pair, "new_calls.failover_after"), check_status::fail);
  auto lone = pickup_without_call_park(2);
  EXPECT_NE(status(lone, "new_calls.failover_after"), check_status::fail);
}
