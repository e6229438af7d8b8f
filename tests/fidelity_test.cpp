// Model fidelity through the public run path (the actors play, the checker
// judges): what a Lync administrator rehearsing a DR runbook must see.
#include "history/fact.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace calldrill::testing;
using namespace std::chrono;

namespace {

const check_outcome& find(const checked_run& r, const std::string& id,
                          const std::string& pair = {}) {
  const auto* c = r.v().find(id, pair);
  if (c == nullptr)
    throw std::runtime_error("no check " + id);
  return *c;
}

std::string failing(const verdict& v) {
  std::string out;
  for (const auto& c : v.checks)
    if (c.status == check_status::fail)
      out += c.id + "@" + c.pair + ": " + c.observed + "\n";
  return out;
}

constexpr pool_id pool_a = 0, pool_b = 1;
constexpr user_id users_per_pool = 400; // small_drill: a, b, c in that order

bool homed_on(user_id u, pool_id p) {
  return u >= p * users_per_pool && u < (p + 1) * users_per_pool;
}

} // namespace

TEST(Fidelity, ShortOutageEndsWithEveryUserRegisteredAgainAndGcpWorking) {
  auto s = small_drill();
  s.drill = {action_at(minutes{5}, action_kind::pool_outage, "a.test"),
             action_at(minutes{5} + seconds{10}, action_kind::pool_restore,
                       "a.test")};
  s.run.duration = minutes{20};
  auto r = play(s);
  EXPECT_TRUE(r.run.v().pass()) << failing(r.run.v());
  const auto& rec = find(r.run, "registration_recovery", "a.test/b.test");
  EXPECT_EQ(rec.status, check_status::pass) << rec.observed;
  // Every user of a.test registered on a.test again after the blip.
  std::vector<bool> back(users_per_pool, false);
  for (const auto& f : r.facts)
    if (f.kind == fact_kind::reg_admitted && f.pool == pool_a
        && f.at > minutes{5})
      back[f.user] = true;
  EXPECT_EQ(std::count(back.begin(), back.end(), true),
            static_cast<long>(users_per_pool));
  // And GCP works for them afterwards: pickups answered through a.test.
  std::size_t ok_after = 0;
  for (const auto& f : r.facts)
    if (f.kind == fact_kind::pickup_done && f.pool == pool_a && f.code == 0
        && f.at > minutes{15})
      ++ok_after;
  EXPECT_GT(ok_after, 0u);
  EXPECT_GT(r.run.v().figures[0].unregistered_user_seconds, 0.0);
}

TEST(Fidelity, BackupsOwnUsersQueuedCallsSurviveThePartnersFailover) {
  auto r = play(small_drill());
  EXPECT_TRUE(r.run.v().pass()) << failing(r.run.v());
  std::size_t purged_bystanders = 0, purged_affected = 0;
  for (const auto& f : r.facts)
    if (f.kind == fact_kind::call_dequeued && f.value == 1)
      (homed_on(f.user, pool_a) ? purged_affected : purged_bystanders) += 1;
  EXPECT_EQ(purged_bystanders, 0u);
  // b.test's users' calls waiting when failover completed were answered by
  // pickup or left the queue as they ended, never purged.
  std::size_t waiting_bystanders = 0;
  std::vector<call_id> queued_b;
  for (const auto& f : r.facts)
    if (f.kind == fact_kind::call_queued && f.pool == pool_b
        && homed_on(f.user, pool_b) && f.at < minutes{8}
        && f.at > minutes{8} - seconds{30})
      ++waiting_bystanders;
  EXPECT_GT(waiting_bystanders, 0u);
  EXPECT_EQ(find(r.run, "blast_radius").status, check_status::pass);
}

TEST(Fidelity, DoubleOutageDoesNotFailBlastRadius) {
  auto s = small_drill();
  // a fails and fails over; it is restored; b fails before failback.
  s.drill = {
    action_at(minutes{5}, action_kind::pool_outage, "a.test"),
    action_at(minutes{6}, action_kind::invoke_failover, "a.test"),
    action_at(minutes{8}, action_kind::failover_complete, "a.test"),
    action_at(minutes{9}, action_kind::set_orbit, "b.test", "ra"),
    action_at(minutes{10}, action_kind::pool_restore, "a.test"),
    action_at(minutes{10} + seconds{1}, action_kind::pool_outage, "b.test"),
  };
  auto r = play(s);
  EXPECT_EQ(find(r.run, "blast_radius").status, check_status::pass)
    << find(r.run, "blast_radius").observed;
  EXPECT_EQ(find(r.run, "failure_causes").status, check_status::pass);
  EXPECT_EQ(find(r.run, "call_conservation").status, check_status::pass);
}

TEST(Fidelity, InvokingFailoverBeforeTheIntervalLetsUsersSignIn) {
  auto s = small_drill();
  s.clients.failover_interval = minutes{15};
  s.drill.resize(3); // outage at 5m, invoke at 6m, complete at 8m
  s.run.duration = minutes{12};
  auto r = play(s);
  std::size_t signed_in = 0;
  for (const auto& f : r.facts)
    if (f.kind == fact_kind::reg_admitted && f.pool == pool_b
        && homed_on(f.user, pool_a) && f.at < minutes{8})
      ++signed_in;
  EXPECT_EQ(signed_in, users_per_pool);
}

TEST(Fidelity, NoOneSignsInAtTheBackupBeforeTheIntervalWithoutInvoke) {
  auto s = small_drill();
  s.clients.failover_interval = minutes{15};
  s.drill.resize(1); // only the outage
  s.run.duration = minutes{12};
  auto r = play(s);
  for (const auto& f : r.facts)
    EXPECT_FALSE(f.kind == fact_kind::reg_admitted && f.pool == pool_b);
}

TEST(Fidelity, DrFiguresMatchTheTimeline) {
  auto r = play(small_drill());
  const auto& f = r.run.v().figures[0];
  ASSERT_TRUE(f.outage);
  EXPECT_DOUBLE_EQ(f.outage_at, 300.0);          // pool_outage at 5m
  EXPECT_DOUBLE_EQ(f.rto, 180.0);                // failover_complete at 8m
  // Users noticed after the 30 s interval (+ up to 10 s jitter), or at the
  // invoke at 6m (+ jitter), then waited for b.test's admission at 20/s:
  // 400 users take 20 s.
  EXPECT_GE(f.time_to_service, 30.0 + 20.0 - 1.0);
  EXPECT_LE(f.time_to_service, 60.0 + 10.0 + 21.0);
  // GCP for a.test's groups came back after set_orbit at 9m.
  EXPECT_GE(f.gcp_restored, 240.0);
  EXPECT_GT(f.gcp_down_total, 240.0);
}
