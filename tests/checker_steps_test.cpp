// The checker's reading of the runbook's steps, the registrars' and clients'
// rules, the ring timeout and what a failing pool takes with it, on
// hand-written histories: each rule shown broken and kept.
#include "checker/checker.hpp"
#include "pair_scenario.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace std::chrono_literals;

namespace {

constexpr pool_id pool_a = 0; // users 0..9 live on a.test
constexpr pool_id pool_b = 1; // users 10..19 on b.test

struct history {
  scenario s = calldrill::testing::pair_scenario(); // clients at defaults
  std::shared_ptr<const topology> topo = build_topology(s).topo;
  std::vector<fact> facts;
  std::vector<drill_action> timeline;
  bool timeline_known = false;

  void add(fact f) { facts.push_back(f); }
  /// An action's fact, played (or refused), and the facts it made.
  void action(sim_duration at, action_kind k, pool_id p, bool refused = false,
              std::uint32_t range = 0) {
    auto f = facts::make(fact_kind::action, at);
    f.code = static_cast<std::uint8_t>(k);
    f.pool = p;
    f.group = range;
    f.value = refused ? 1 : 0;
    add(f);
  }
  void phase(sim_duration at, pair_phase ph, pool_id failed = pool_a) {
    add(facts::pair_phase(at, 0, ph, failed));
  }
  void pool(sim_duration at, pool_id p, bool up) {
    add(facts::pool_event(up ? fact_kind::pool_up : fact_kind::pool_down, at, p));
  }
  void asks(sim_duration at, user_id u, pool_id p) {
    add(facts::registration(fact_kind::reg_requested, at, u, p));
  }
  void admitted(sim_duration at, user_id u, pool_id p) {
    add(facts::registration(fact_kind::reg_admitted, at, u, p));
    add(facts::registration(fact_kind::reg_confirmed, at, u, p));
  }
  check_report check(sim_duration end) {
    facts.push_back(facts::make(fact_kind::run_end, end));
    history_checker c{topo, s};
    if (timeline_known)
      c.expect_timeline(timeline);
    for (const auto& f : facts)
      c.put(f);
    return c.finish();
  }

  // -- a failover, played as the drill says -----------------------------------
  void outage(sim_duration at) {
    action(at, action_kind::pool_outage, pool_a);
    phase(at, pair_phase::primary_outage);
    pool(at, pool_a, false);
  }
  void invoke(sim_duration at) {
    action(at, action_kind::invoke_failover, pool_a);
    phase(at, pair_phase::failover_in_progress);
  }
  void complete(sim_duration at) {
    action(at, action_kind::failover_complete, pool_a);
    phase(at, pair_phase::failover_complete);
  }
  void failover(sim_duration invoked, sim_duration complete_at) {
    invoke(invoked);
    complete(complete_at);
  }
  void restore(sim_duration at) {
    action(at, action_kind::pool_restore, pool_a);
    pool(at, pool_a, true);
    phase(at, pair_phase::primary_restored);
  }
};

check_status status(const check_report& r, std::string_view id) {
  const auto* c = r.v.find(id);
  return c == nullptr ? check_status::not_covered : c->status;
}

/// The first line of evidence of check `id`, or "" if none.
std::string first_evidence(const check_report& r, std::string_view id) {
  const auto* c = r.v.find(id);
  return c == nullptr || c->evidence.empty() ? std::string{} : c->evidence[0];
}

} // namespace

// -- the runbook's steps -----------------------------------------------------------

TEST(WorldSteps, ADrCyclePlayedAsTheDrillSaysPasses) {
  history h;
  h.outage(10s);
  h.failover(20s, 30s);
  h.restore(40s);
  h.action(50s, action_kind::invoke_failback, pool_a);
  h.phase(50s, pair_phase::failback_in_progress);
  h.action(60s, action_kind::failback_complete, pool_a);
  h.phase(60s, pair_phase::failback_complete);
  h.action(70s, action_kind::set_orbit, pool_a, false, 0); // ra back home
  h.add(facts::orbit_set(70s, 0, pool_a));
  h.phase(70s, pair_phase::ranges_redirected_back);
  EXPECT_EQ(status(h.check(2min), "world_steps"), check_status::pass);
}

TEST(WorldSteps, APairThatSkipsFailbackInProgressFails) {
  history h;
  h.outage(10s);
  h.failover(20s, 30s);
  h.restore(40s);
  h.action(50s, action_kind::invoke_failback, pool_a);
  h.phase(50s, pair_phase::failback_complete); // straight to complete
  auto r = h.check(2min);
  EXPECT_EQ(status(r, "world_steps"), check_status::fail);
  auto said = first_evidence(r, "world_steps");
  EXPECT_NE(said.find("failback_in_progress"), std::string::npos) << said;
}

TEST(WorldSteps, ARestoreAfterFailoverThatLeavesThePhaseFails) {
  history h;
  h.outage(10s);
  h.failover(20s, 30s);
  h.action(40s, action_kind::pool_restore, pool_a);
  h.pool(40s, pool_a, true); // but no primary_restored
  EXPECT_EQ(status(h.check(2min), "world_steps"), check_status::fail);
}

TEST(WorldSteps, APhaseChangeWithNoActionFails) {
  history h;
  h.outage(10s);
  h.phase(20s, pair_phase::failover_in_progress); // nobody invoked failover
  EXPECT_EQ(status(h.check(2min), "world_steps"), check_status::fail);
}

TEST(WorldSteps, AnActionRefusedThatThePhasesAllowFails) {
  history h;
  h.outage(10s);
  h.action(20s, action_kind::invoke_failover, pool_a, true);
  EXPECT_EQ(status(h.check(2min), "world_steps"), check_status::fail);
}

TEST(WorldSteps, AnActionRefusedThatThePhasesForbidPasses) {
  history h;
  h.action(20s, action_kind::invoke_failover, pool_a, true); // no outage
  EXPECT_EQ(status(h.check(2min), "world_steps"), check_status::pass);
}

TEST(WorldSteps, AnActionOfTheDrillThatNeverPlayedFails) {
  history h;
  h.timeline_known = true;
  h.timeline = {action_at(10s, action_kind::pool_outage, "a.test"),
                action_at(20s, action_kind::invoke_failover, "a.test")};
  h.outage(10s); // the invoke never comes
  EXPECT_EQ(status(h.check(2min), "world_steps"), check_status::fail);
}

TEST(WorldSteps, AnActionPlayedAtAnotherInstantThanTheDrillsFails) {
  history h;
  h.timeline_known = true;
  h.timeline = {action_at(10s, action_kind::pool_outage, "a.test")};
  h.outage(11s);
  EXPECT_EQ(status(h.check(2min), "world_steps"), check_status::fail);
  history kept;
  kept.timeline_known = true;
  kept.timeline = h.timeline;
  kept.outage(10s);
  EXPECT_EQ(status(kept.check(2min), "world_steps"), check_status::pass);
}

TEST(WorldSteps, AHistoryThatGoesBackInTimeFails) {
  history h;
  h.outage(10s);
  h.action(9s, action_kind::invoke_failover, pool_a); // played a second late
  h.phase(9s, pair_phase::failover_in_progress);
  auto r = h.check(2min);
  EXPECT_EQ(status(r, "world_steps"), check_status::fail);
  auto said = first_evidence(r, "world_steps");
  EXPECT_NE(said.find("went back in time"), std::string::npos) << said;
}

// -- the registrars' and clients' rules ---------------------------------------------

TEST(Registrations, AClientLeavesHomeOnlyAfterTheFailoverInterval) {
  auto interval = scenario{}.clients.failover_interval;
  history early;
  early.outage(10s);
  early.asks(10s + interval - 1s, 0, pool_b);
  EXPECT_EQ(status(early.check(20min), "registrations"), check_status::fail);
  history kept;
  kept.outage(10s);
  for (user_id u = 0; u < 10; ++u) {
    kept.asks(10s + interval, u, pool_b);
    kept.admitted(10s + interval, u, pool_b);
  }
  EXPECT_EQ(status(kept.check(20min), "registrations"), check_status::pass);
}

TEST(Registrations, OnceTheIntervalAndTheJitterHavePassedEveryClientHasAskedTheBackup) {
  auto c = scenario{}.clients;
  history h;
  h.outage(10s);
  for (user_id u = 0; u < 9; ++u) // user 9 never notices its pool is gone
    h.asks(10s + c.failover_interval + c.detect_jitter, u, pool_b);
  auto r = h.check(20min);
  EXPECT_EQ(status(r, "registrations"), check_status::fail);
  auto said = first_evidence(r, "registrations");
  EXPECT_NE(said.find("user 9 of a.test had not asked b.test to register it by "
                      "00:06:11, though a.test failed 6m"),
            std::string::npos)
    << said;
  // Back before the interval passed (a blip): nobody had to go.
  history blip;
  blip.outage(10s);
  blip.action(1min, action_kind::pool_restore, pool_a);
  blip.pool(1min, pool_a, true);
  blip.phase(1min, pair_phase::normal, no_pool);
  for (user_id u = 0; u < 10; ++u) { // a.test forgot them: they ask again
    blip.asks(2min, u, pool_a);
    blip.admitted(2min, u, pool_a);
  }
  auto rb = blip.check(20min);
  EXPECT_EQ(status(rb, "registrations"), check_status::pass)
    << first_evidence(rb, "registrations");
}

TEST(Registrations, InvokedFailoverLetsClientsLeaveAtOnce) {
  history h;
  h.outage(10s);
  h.invoke(20s);
  for (user_id u = 0; u < 10; ++u) {
    h.asks(20s, u, pool_b);
    h.admitted(21s, u, pool_b);
  }
  h.complete(10min);
  EXPECT_EQ(status(h.check(20min), "registrations"), check_status::pass);
}

TEST(Registrations, AfterFailoverIsInvokedEveryClientAsksTheBackupWithinTheJitter) {
  history h;
  h.outage(10s);
  h.invoke(20s);
  for (user_id u = 0; u < 9; ++u) // user 9 waits for its failover interval
    h.asks(25s, u, pool_b);
  h.complete(10min);
  auto r = h.check(20min);
  EXPECT_EQ(status(r, "registrations"), check_status::fail);
  auto said = first_evidence(r, "registrations");
  EXPECT_NE(said.find("user 9 "), std::string::npos) << said;
}

TEST(Registrations, AClientLeavesHomeOnlyForItsBackup) {
  history h;
  calldrill::testing::add_second_pair(h.s); // c.test and d.test
  auto built = build_topology(h.s);
  ASSERT_NE(built.topo, nullptr) << built.errors.front();
  h.topo = built.topo;
  h.outage(10s);
  h.invoke(20s);
  h.asks(20s, 0, 2); // to c.test, not its backup
  EXPECT_EQ(status(h.check(20min), "registrations"), check_status::fail);
}

TEST(Registrations, ClientsGoBackHomeOnlyOnFailback) {
  history h;
  h.outage(10s);
  h.invoke(20s);
  h.asks(20s, 0, pool_b);
  h.admitted(21s, 0, pool_b);
  h.complete(1min);
  h.restore(2min);
  h.asks(2min + 1s, 0, pool_a); // before anyone invoked failback
  EXPECT_EQ(status(h.check(20min), "registrations"), check_status::fail);
}

namespace {

/// Users 0..9 of a.test settle on b.test during its failover; failback is
/// invoked at 5 min.
history failed_over() {
  history h;
  h.outage(10s);
  h.invoke(20s);
  for (user_id u = 0; u < 10; ++u) {
    h.asks(20s, u, pool_b);
    h.admitted(21s, u, pool_b);
  }
  h.complete(1min);
  h.restore(2min);
  return h;
}

void invoke_failback(history& h, sim_duration at) {
  h.action(at, action_kind::invoke_failback, pool_a);
  h.phase(at, pair_phase::failback_in_progress);
}

} // namespace

TEST(Registrations, AfterFailbackIsInvokedClientsOnTheBackupAskHomeWithinTheJitter) {
  auto h = failed_over();
  invoke_failback(h, 5min);
  for (user_id u = 0; u < 9; ++u) // user 9 stays until failback completes
    h.asks(5min + 2s, u, pool_a);
  auto r = h.check(20min);
  EXPECT_EQ(status(r, "registrations"), check_status::fail);
  auto kept = failed_over();
  invoke_failback(kept, 5min);
  for (user_id u = 0; u < 10; ++u)
    kept.asks(5min + 2s, u, pool_a);
  EXPECT_EQ(status(kept.check(20min), "registrations"), check_status::pass);
}

TEST(Registrations, AClientStillWaitingForTheBackupAtFailbackGoesHomeOnceAdmitted) {
  auto h = failed_over();
  h.asks(4min, 12, pool_b); // b.test's own user, irrelevant
  h.add(facts::registration(fact_kind::reg_dropped, 4min, 3, pool_b));
  h.asks(4min, 3, pool_b);  // user 3 asks b.test again, still waiting at 5 min
  invoke_failback(h, 5min);
  for (user_id u = 0; u < 10; ++u)
    if (u != 3)
      h.asks(5min + 2s, u, pool_a);
  h.admitted(8min, 3, pool_b);
  h.asks(8min + 1s, 3, pool_a);
  EXPECT_EQ(status(h.check(20min), "registrations"), check_status::pass);
}

TEST(Registrations, APoolAdmitsNoFasterThanItsRate) {
  history fast;
  fast.s.pools[1].registrations_per_second = 2;
  fast.topo = build_topology(fast.s).topo;
  for (user_id u = 10; u < 16; ++u) { // six within a second: 2/s allows 3
    fast.asks(1s, u, pool_b);
    fast.admitted(1s, u, pool_b);
  }
  EXPECT_EQ(status(fast.check(1min), "registrations"), check_status::fail);
  history kept;
  kept.s.pools[1].registrations_per_second = 2;
  kept.topo = build_topology(kept.s).topo;
  for (user_id u = 10; u < 16; ++u) { // two a second
    kept.asks(1s, u, pool_b);
    kept.admitted(1s + (u - 10) * 500ms, u, pool_b);
  }
  EXPECT_EQ(status(kept.check(1min), "registrations"), check_status::pass);
}

TEST(Registrations, ARegistrarWithRequestsWaitingAdmitsAtItsRate) {
  auto slow = [](sim_duration gap) {
    history h;
    h.s.pools[1].registrations_per_second = 2;
    h.topo = build_topology(h.s).topo;
    for (user_id u = 10; u < 20; ++u) // ten ask at once
      h.asks(1s, u, pool_b);
    for (user_id u = 10; u < 20; ++u)
      h.admitted(1s + (u - 10) * gap, u, pool_b);
    return h.check(1min);
  };
  auto r = slow(1s); // one a second, at 2 a second
  EXPECT_EQ(status(r, "admission_pace"), check_status::fail);
  auto said = first_evidence(r, "admission_pace");
  EXPECT_NE(said.find("b.test had registrations waiting from 00:00:01 and "
                      "admitted"),
            std::string::npos)
    << said;
  EXPECT_EQ(status(slow(500ms), "admission_pace"), check_status::pass);
  // Nothing admitted at all, while ten wait to the end.
  history stuck;
  for (user_id u = 10; u < 20; ++u)
    stuck.asks(1s, u, pool_b);
  EXPECT_EQ(status(stuck.check(1min), "admission_pace"), check_status::fail);
}

TEST(Registrations, APoolThatFailedForgetsTheRequestsItHadNotAdmitted) {
  history h;
  h.asks(5s, 12, pool_b);
  h.pool(10s, pool_b, false); // b.test is a lone failure: no DR phase
  h.pool(30s, pool_b, true);
  h.admitted(31s, 12, pool_b); // without asking again
  auto r = h.check(1min);
  EXPECT_EQ(status(r, "registrations"), check_status::fail);
  history kept;
  kept.asks(5s, 12, pool_b);
  kept.pool(10s, pool_b, false);
  kept.pool(30s, pool_b, true);
  kept.asks(31s, 12, pool_b);
  kept.admitted(31s, 12, pool_b);
  EXPECT_EQ(status(kept.check(1min), "registrations"), check_status::pass);
}

TEST(Registrations, APoolAdmitsNobodyWhileDown) {
  history h;
  h.asks(9s, 1, pool_a); // before the outage, so only the admission is wrong
  h.outage(10s);
  h.admitted(11s, 1, pool_a);
  EXPECT_EQ(status(h.check(1min), "registrations"), check_status::fail);
}

// -- the ring timeout ---------------------------------------------------------------

TEST(RingTimeout, ACallAnsweredAfterItsRingTimeoutFails) {
  history h;
  auto ring = h.s.traffic.ring_timeout;
  auto started = facts::call(fact_kind::call_started, 1s, 7);
  started.user = 3;
  started.pool = pool_a;
  h.add(started);
  auto answered = facts::call(fact_kind::call_established, 1s + ring + 10ms, 7);
  answered.value = std::chrono::duration_cast<sim_duration>(1min).count();
  h.add(answered);
  EXPECT_EQ(status(h.check(5min), "call_conservation"), check_status::fail);
  history kept;
  kept.add(started);
  answered.at = 1s + ring;
  kept.add(answered);
  EXPECT_EQ(status(kept.check(5min), "call_conservation"), check_status::pass);
}

TEST(RingTimeout, ACallStillRingingAtTheEndPastItsTimeoutFails) {
  history h;
  auto started = facts::call(fact_kind::call_started, 1s, 7);
  started.user = 3;
  started.pool = pool_a;
  h.add(started);
  EXPECT_EQ(status(h.check(5min), "call_conservation"), check_status::fail);
}

// -- what a failing pool takes with it (found by drill shapes) ------------------------

TEST(Registrations, AClientItsPoolForgotAsksAgainWithinItsRefresh) {
  auto refresh = scenario{}.clients.registration_refresh;
  history late; // b.test blips, its pair never leaves normal operation
  late.pool(10s, pool_b, false);
  late.pool(30s, pool_b, true);
  late.asks(30s + refresh + 2s, 12, pool_b);
  auto r = late.check(30s + refresh + 5s);
  EXPECT_EQ(status(r, "registrations"), check_status::fail);
  auto said = first_evidence(r, "registrations");
  EXPECT_NE(said.find("next refresh"), std::string::npos) << said;
  history kept;
  kept.pool(10s, pool_b, false);
  kept.pool(30s, pool_b, true);
  for (user_id u = 10; u < 20; ++u) {
    kept.asks(30s + refresh, u, pool_b);
    kept.admitted(30s + refresh, u, pool_b);
  }
  EXPECT_EQ(status(kept.check(30s + refresh + 5s), "registrations"),
            check_status::pass);
}

TEST(Registrations, ClientsTheBackupForgotNeedNotHurryHomeOnFailback) {
  auto h = failed_over();
  h.pool(3min, pool_b, false); // b.test forgets a.test's users
  h.pool(4min, pool_b, true);
  invoke_failback(h, 5min);
  for (user_id u = 0; u < 10; ++u) // at their next refresh, after the
    h.asks(8min + 30s, u, pool_a);  // move jitter (2 min) has passed
  EXPECT_EQ(status(h.check(20min), "registrations"), check_status::pass);
}

TEST(Registrations, ClientsThatStillHoldTheBackupNeedNotHurryOnASecondInvoke) {
  auto h = failed_over();
  h.pool(3min, pool_b, false); // b.test forgets a.test's users
  h.pool(4min, pool_b, true);
  invoke_failback(h, 5min);
  h.action(6min, action_kind::failback_complete, pool_a);
  h.phase(6min, pair_phase::failback_complete);
  h.outage(6min + 30s); // a.test fails again, before anyone moved home
  h.invoke(6min + 31s);
  for (user_id u = 0; u < 10; ++u) // at their next refresh, after the
    h.asks(8min + 30s, u, pool_b);  // detection jitter (1 min) has passed
  EXPECT_EQ(status(h.check(20min), "registrations"), check_status::pass);
}

namespace {

/// A group call to a user of a.test, ringing there from 1 s.
struct group_call {
  history h;
  user_id callee = 0;
  call_id id = 7;
  group_id group = no_group;

  group_call() {
    while (h.topo->group_of(callee) == no_group)
      ++callee;
    group = h.topo->group_of(callee);
    h.add(of(fact_kind::call_started, 1s));
    h.add(of(fact_kind::call_queued, 1s));
  }
  fact of(fact_kind k, sim_duration at) const {
    auto f = facts::call(k, at, id);
    f.user = callee;
    f.group = group;
    f.pool = pool_a;
    return f;
  }
  void ended(sim_duration at, end_cause c) {
    auto f = facts::call(fact_kind::call_ended, at, id);
    f.code = static_cast<std::uint8_t>(c);
    f.user = callee;
    h.add(f);
  }
  void dequeued(sim_duration at, std::int64_t why) {
    auto f = of(fact_kind::call_dequeued, at);
    f.value = why;
    h.add(f);
  }
  /// A pickup through a.test by a user of b.test, answering the call.
  void picked(sim_duration at) {
    auto d = facts::call(fact_kind::pickup_dialed, at, 99);
    d.user = 12;
    d.group = group;
    d.pool = pool_a;
    d.pool2 = pool_a;
    h.add(d);
    auto f = facts::call(fact_kind::pickup_done, at, 99);
    f.code = static_cast<std::uint8_t>(pickup_result::ok);
    f.ref = id;
    f.user = 12;
    f.group = group;
    f.pool = pool_a;
    h.add(f);
  }
};

} // namespace

TEST(Conservation, ACallRingingThroughAPoolThatFailsEndsWithIt) {
  group_call answered;
  answered.h.pool(5s, pool_a, false);
  answered.dequeued(5s, 2);
  auto f = facts::call(fact_kind::call_established, 6s, answered.id);
  f.value = std::chrono::duration_cast<sim_duration>(1min).count();
  answered.h.add(f);
  auto r = answered.h.check(5min);
  EXPECT_EQ(status(r, "call_conservation"), check_status::fail);
  auto said = first_evidence(r, "call_conservation");
  EXPECT_NE(said.find("which failed at"), std::string::npos) << said;
  group_call kept;
  kept.h.pool(5s, pool_a, false);
  kept.dequeued(5s, 2);
  kept.ended(5s, end_cause::pool_down);
  EXPECT_EQ(status(kept.h.check(5min), "call_conservation"), check_status::pass);
}

TEST(Conservation, APickupAnswersOnlyACallThatStillRings) {
  group_call gone; // abandoned, its entry left queued, picked up 5 s later
  gone.ended(5s, end_cause::abandoned);
  gone.picked(10s);
  auto r = gone.h.check(5min);
  EXPECT_EQ(status(r, "call_conservation"), check_status::fail);
  auto said = first_evidence(r, "call_conservation");
  EXPECT_NE(said.find("no longer rang"), std::string::npos) << said;
  group_call crossing; // the pickup crossed the news of the end
  crossing.ended(5s, end_cause::abandoned);
  crossing.picked(5s + 500ms);
  crossing.dequeued(5s + 500ms, 0);
  EXPECT_EQ(status(crossing.h.check(5min), "call_conservation"),
            check_status::pass);
}

TEST(Conservation, ACallThatStoppedRingingLeavesItsQueue) {
  group_call left;
  left.ended(5s, end_cause::abandoned);
  auto r = left.h.check(5min);
  EXPECT_EQ(status(r, "call_conservation"), check_status::fail);
  auto said = first_evidence(r, "call_conservation");
  EXPECT_NE(said.find("still waited"), std::string::npos) << said;
  group_call kept;
  kept.ended(5s, end_cause::abandoned);
  kept.dequeued(5s, 0);
  EXPECT_EQ(status(kept.h.check(5min), "call_conservation"), check_status::pass);
}
