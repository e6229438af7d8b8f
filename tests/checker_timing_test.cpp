// The checker's reading of time in realtime runs, on hand-written histories:
// a decision recorded shortly after a world change may have been made under
// the world before it (an actor sees changes late), up to the run's
// tolerance and no further; a run whose actors lagged beyond the tolerance
// gets no PASS or FAIL it cannot stand behind.
#include "checker/checker.hpp"
#include "checker_history.hpp"
#include "pair_scenario.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace std::chrono;

namespace {

scenario timed(clock_kind clock, sim_duration tolerance) {
  auto s = calldrill::testing::pair_scenario();
  s.grouping.group_size = 2;
  s.grouping.share_in_groups = 1.0;
  s.run.duration = minutes{10};
  s.run.clock = clock;
  s.run.speed = 600;
  s.run.tolerance = tolerance;
  return s;
}

/// Feeds a checker: pool a (0) and b (1), users 0..9 homed on a.
class history : public calldrill::testing::fact_history {
public:
  using fact_history::fact_history;

  void call_queued(sim_duration at, sim_duration queued_at, call_id id,
                   user_id callee) {
    call(at, id, callee, 0);
    queue(queued_at, id, callee, 0);
  }
  void pickup_ok(sim_duration at, call_id attempt, user_id picker,
                 user_id callee, call_id taken) {
    pickup(at, attempt, picker, callee, 0, taken);
  }
  /// Pool a fails at `at`: the controller's facts.
  void outage(sim_duration at) {
    phase(at, pair_phase::primary_outage);
    put(facts::pool_event(fact_kind::pool_down, at, 0));
  }
  check_report finish(sim_duration lag = sim_duration{0}) {
    auto l = facts::make(fact_kind::clock_lag, minutes{10});
    l.value = lag.count();
    put(l);
    return fact_history::finish(minutes{10});
  }
};

check_status status(const check_report& r, const std::string& id) {
  const auto* c = r.v.find(id);
  return c == nullptr ? check_status::not_covered : c->status;
}

/// A pickup through pool a, `after` the outage of a: a success the world
/// before the outage allows and the world after forbids.
check_report pickup_after_outage(const scenario& s, sim_duration after) {
  history h{s};
  h.call_queued(seconds{50}, seconds{50}, 1, 0);
  h.outage(seconds{60});
  h.pickup_ok(seconds{60} + after, 1, 1, 0, 1);
  return h.finish();
}

} // namespace

TEST(CheckerTiming, RealtimeReadsADecisionWithinTheToleranceUnderTheWorldBefore) {
  auto r = pickup_after_outage(timed(clock_kind::realtime, seconds{2}),
                               milliseconds{1500});
  EXPECT_EQ(status(r, "new_calls.failover_during"), check_status::pass);
  EXPECT_EQ(status(r, "queued_calls.failover_during"), check_status::pass);
}

TEST(CheckerTiming, ADecisionBeyondTheToleranceIsJudgedUnderTheWorldAfter) {
  auto r = pickup_after_outage(timed(clock_kind::realtime, seconds{2}),
                               milliseconds{2500});
  EXPECT_EQ(status(r, "new_calls.failover_during"), check_status::fail);
  EXPECT_EQ(r.v.status(), verdict_status::fail);
}

TEST(CheckerTiming, VirtualTimeHasNoTolerance) {
  // The scenario's tolerance is a realtime setting: a virtual run's actors
  // see every change at its instant.
  auto r = pickup_after_outage(timed(clock_kind::virtual_time, seconds{2}),
                               milliseconds{1});
  EXPECT_EQ(status(r, "new_calls.failover_during"), check_status::fail);
  EXPECT_FALSE(r.v.timing.realtime);
}

TEST(CheckerTiming, ALagBeyondTheToleranceMakesTheVerdictInconclusive) {
  auto s = timed(clock_kind::realtime, seconds{2});
  history h{s};
  h.call_queued(seconds{50}, seconds{50}, 1, 0);
  h.pickup_ok(seconds{52}, 1, 1, 0, 1);
  auto r = h.finish(milliseconds{2001});
  EXPECT_EQ(status(r, "new_calls.normal"), check_status::pass);
  EXPECT_EQ(r.v.status(), verdict_status::inconclusive);
  EXPECT_DOUBLE_EQ(r.v.timing.lag_max, 2.001);
  EXPECT_DOUBLE_EQ(r.v.timing.tolerance, 2.0);
  // At speed 600 the run would have been within its tolerance at about 600
  // * 2 / 2.001.
  EXPECT_NEAR(r.v.timing.speed_within(), 599.7, 0.1);
}

TEST(CheckerTiming, AFailingRunThatLaggedIsInconclusiveNotFail) {
  auto r = [] {
    auto s = timed(clock_kind::realtime, seconds{2});
    history h{s};
    h.call_queued(seconds{50}, seconds{50}, 1, 0);
    h.outage(seconds{60});
    h.pickup_ok(seconds{65}, 1, 1, 0, 1);
    return h.finish(seconds{6});
  }();
  EXPECT_FALSE(r.v.checks_pass());
  EXPECT_EQ(r.v.status(), verdict_status::inconclusive);
}

TEST(CheckerTiming, ALagWithinTheToleranceKeepsTheVerdict) {
  auto s = timed(clock_kind::realtime, seconds{2});
  history h{s};
  h.call_queued(seconds{50}, seconds{50}, 1, 0);
  h.pickup_ok(seconds{52}, 1, 1, 0, 1);
  auto r = h.finish(milliseconds{1999});
  EXPECT_TRUE(r.v.timing.trusted());
  // The checks decide: this short history covers no DR phase.
  EXPECT_EQ(r.v.status(), verdict_status::fail);
  EXPECT_EQ(status(r, "coverage"), check_status::fail);
  EXPECT_EQ(status(r, "new_calls.normal"), check_status::pass);
}

TEST(CheckerTiming, APoolMayQueueARingingCallWithinTheTolerance) {
  auto s = timed(clock_kind::realtime, seconds{2});
  history late{s};
  late.call_queued(seconds{50}, milliseconds{51900}, 1, 0);
  EXPECT_EQ(status(late.finish(), "queued_calls.normal"), check_status::pass);
  history never{s};
  never.call_queued(seconds{50}, milliseconds{52100}, 1, 0);
  EXPECT_EQ(status(never.finish(), "queued_calls.normal"), check_status::fail);
}

TEST(CheckerTiming, APickupReadUnderTheWorldBeforeTheOutageDoesNotRestoreGcp) {
  // Allowed only because the picker's pool may not have seen the outage
  // yet: GCP did not come back 1.5 s after the outage.
  auto r = pickup_after_outage(timed(clock_kind::realtime, seconds{2}),
                               milliseconds{1500});
  ASSERT_EQ(r.v.figures.size(), 1u);
  EXPECT_LT(r.v.figures[0].gcp_restored, 0) << r.v.figures[0].gcp_restored;
  EXPECT_GT(r.v.figures[0].gcp_down_total, 500); // down to the end
}

TEST(CheckerTiming, AGroupCallNeverQueuedFailsOnceItsToleranceHasPassed) {
  for (auto clock : {clock_kind::virtual_time, clock_kind::realtime}) {
    history h{timed(clock, seconds{2})};
    h.call(seconds{50}, 1, 0, 0); // rings on a, which holds it with Call Park
    h.call_queued(seconds{51}, seconds{51}, 2, 2); // queued at once: fine
    auto r = h.finish();
    const auto* c = r.v.find("queued_calls.normal");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->status, check_status::fail)
      << (clock == clock_kind::realtime ? "realtime" : "virtual");
    ASSERT_FALSE(c->evidence.empty());
    EXPECT_NE(c->evidence.front().find("call 1 to user 0 rang at"),
              std::string::npos) << c->evidence.front();
  }
}

TEST(CheckerTiming, ARefusalDecidedAfterItsCallEndedIsJudgedByWhereTheCallRang) {
  // Messages between partitions take time: a pickup may be dialled and
  // refused after the call that prompted it stopped ringing. The cause
  // "range not redirected" is true when the call rang on another pool than
  // the one the group's range sent the dial to, a lie when on that one.
  for (pool_id range_at : {pool_id{1}, pool_id{0}}) {
    history h{timed(clock_kind::virtual_time, sim_duration{0})};
    h.put(facts::orbit_set(seconds{10}, 0, range_at)); // user 0's group's range
    h.call_queued(seconds{50}, seconds{50}, 1, 0);     // rings on pool a (0)
    h.ended(seconds{60}, 1, end_cause::abandoned);
    h.pickup(seconds{60} + milliseconds{20}, 1, 2, 0, range_at, 0,
             pickup_result::range_not_redirected);
    auto r = h.finish();
    const auto* c = r.v.find("failure_causes");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->status, range_at == 1 ? check_status::pass : check_status::fail)
      << "range at pool " << range_at << ": " << c->observed;
  }
}
