// Clients detect an outage after the failover interval, re-register on the
// backup through its admission rate (a storm), and move back on failback.
#include "small_drill.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace calldrill::testing;
using namespace std::chrono;

TEST(Registration, FailedPoolsUsersReRegisterOnBackupInResiliency) {
  auto s = small_drill();
  auto r = run(s);
  const pair_id dr = 0;
  // Every user of a.test re-registers twice: on the backup (failover) and
  // back home (failback), both in resiliency mode.
  EXPECT_EQ(r.obs.get(dr, column::failover_during, counter::registrations), 400u);
  EXPECT_EQ(r.obs.get(dr, column::failover_during,
                      counter::registrations_resiliency),
            400u);
  EXPECT_EQ(r.obs.get(dr, column::failback_during, counter::registrations), 400u);
  EXPECT_EQ(r.obs.pair_total(1, counter::registrations), 0u); // bystanders
}

TEST(Registration, StormIsHeldToTheBackupsAdmissionRate) {
  auto s = small_drill();
  s.pools[1].registrations_per_second = 5; // 400 users need 80 s
  s.clients.detect_jitter = seconds{1};
  auto r = run(s);
  auto max_wait_s = static_cast<double>(
                      r.obs.total(counter::registration_wait_max_us)) / 1e6;
  EXPECT_GT(max_wait_s, 70.0);
  EXPECT_LT(max_wait_s, 90.0);
}

TEST(Registration, NoOneReRegistersBeforeTheFailoverInterval) {
  auto s = small_drill();
  s.clients.failover_interval = minutes{20}; // longer than the run
  s.drill.resize(1);                          // only the outage
  auto r = run(s);
  EXPECT_EQ(r.obs.total(counter::registrations), 0u);
  // Calls to the failed pool's users find no registration meanwhile.
  EXPECT_GT(r.obs.total(counter::ended_callee_unreachable), 0u);
}
