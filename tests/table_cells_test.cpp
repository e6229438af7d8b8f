// One test per cell of the source's table: the small drill is driven through
// every DR phase in virtual time and each cell's observed outcome is asserted.
#include "small_drill.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

constexpr pair_id dr_pair = 0;

class TableCells : public ::testing::Test {
protected:
  static void SetUpTestSuite() { result_ = new run_result(run(small_drill())); }
  static void TearDownTestSuite() { delete result_; }

  static std::uint64_t get(column c, counter k) {
    return result_->obs.get(dr_pair, c, k);
  }
  static run_result* result_;
};

run_result* TableCells::result_ = nullptr;

} // namespace

// -- new calls ---------------------------------------------------------------

TEST_F(TableCells, NewCallsFailoverDuringGcpUnavailableInResiliency) {
  auto c = column::failover_during;
  EXPECT_GT(get(c, counter::resiliency_attempts), 0u);
  EXPECT_EQ(get(c, counter::resiliency_ok), 0u);
  EXPECT_GT(get(c, counter::pickup_callee_in_resiliency)
              + get(c, counter::pickup_picker_in_resiliency),
            0u);
}

TEST_F(TableCells, NewCallsFailoverAfterGcpReturnsOnlyOnceRangesRedirected) {
  auto c = column::failover_after;
  // Before set_orbit the range still points at the failed pool.
  EXPECT_GT(get(c, counter::unredirected_attempts), 0u);
  EXPECT_EQ(get(c, counter::unredirected_ok), 0u);
  // After it, every attempt where the rules hold succeeds.
  EXPECT_GT(get(c, counter::eligible_attempts), 0u);
  EXPECT_EQ(get(c, counter::eligible_ok), get(c, counter::eligible_attempts));
}

TEST_F(TableCells, NewCallsFailbackDuringGcpUnavailableInResiliency) {
  auto c = column::failback_during;
  EXPECT_GT(get(c, counter::resiliency_attempts), 0u);
  EXPECT_EQ(get(c, counter::resiliency_ok), 0u);
}

TEST_F(TableCells, NewCallsFailbackAfterGcpReturnsOnlyOnceRangesRedirectedBack) {
  auto c = column::failback_after;
  EXPECT_GT(get(c, counter::unredirected_attempts), 0u);
  EXPECT_EQ(get(c, counter::unredirected_ok), 0u);
  EXPECT_GT(get(c, counter::eligible_attempts), 0u);
  EXPECT_EQ(get(c, counter::eligible_ok), get(c, counter::eligible_attempts));
}

// -- calls in the GCP queue ----------------------------------------------------

TEST_F(TableCells, QueuedCallsFailoverDuringCannotBeAnsweredThroughGcp) {
  auto c = column::failover_during;
  EXPECT_GT(get(c, counter::stale_entries), 0u);
  EXPECT_GT(get(c, counter::stale_attempts), 0u);
  EXPECT_EQ(get(c, counter::stale_ok), 0u);
}

TEST_F(TableCells, QueuedCallsFailoverAfterNoCallsInThisState) {
  auto c = column::failover_after;
  EXPECT_GT(get(c, counter::stale_entries), 0u); // there was something to purge
  EXPECT_EQ(get(c, counter::stale_left), 0u);
  EXPECT_EQ(get(c, counter::stale_ok), 0u);
}

TEST_F(TableCells, QueuedCallsFailbackDuringCannotBeAnsweredThroughGcp) {
  auto c = column::failback_during;
  EXPECT_GT(get(c, counter::stale_attempts), 0u);
  EXPECT_EQ(get(c, counter::stale_ok), 0u);
}

TEST_F(TableCells, QueuedCallsFailbackAfterCannotBeAnsweredThroughGcp) {
  auto c = column::failback_after;
  EXPECT_GT(get(c, counter::stale_attempts), 0u);
  EXPECT_EQ(get(c, counter::stale_ok), 0u);
}

TEST_F(TableCells, QueuedCallsOfTheFailedPoolFailWithIt) {
  EXPECT_GT(get(column::failover_during, counter::ended_pool_down), 0u);
  EXPECT_GT(get(column::failover_during, counter::queued_failed), 0u);
}

// -- established calls -----------------------------------------------------------

TEST_F(TableCells, EstablishedCallsStayConnectedInEveryColumn) {
  for (auto c : {column::failover_during, column::failover_after,
                 column::failback_during, column::failback_after}) {
    SCOPED_TRACE(std::string{name(c)});
    EXPECT_GT(get(c, counter::established_crossed), 0u);
    EXPECT_EQ(get(c, counter::established_dropped), 0u);
    EXPECT_EQ(get(c, counter::ended_dropped_by_pool), 0u);
  }
}

TEST_F(TableCells, EstablishedCallsEndOnlyByHangUp) {
  const auto& o = result_->obs;
  auto established = o.total(counter::calls_answered)
                     + o.total(counter::calls_picked_up);
  EXPECT_GT(established, 0u);
  EXPECT_EQ(established, result_->obs.boundaries().back().established);
  EXPECT_EQ(o.total(counter::ended_dropped_by_pool), 0u);
  EXPECT_GT(o.total(counter::ended_hang_up), 0u);
  EXPECT_LE(o.total(counter::ended_hang_up), established);
}

// -- whole-run invariants ----------------------------------------------------------

TEST_F(TableCells, CallsAreConservedAtEveryPhaseBoundary) {
  const auto& bounds = result_->obs.boundaries();
  ASSERT_EQ(bounds.size(), result_->phases.size() + 1);
  for (const auto& b : bounds)
    EXPECT_EQ(b.started, b.established + b.failed + b.abandoned + b.ringing);
  EXPECT_EQ(bounds.back().started, result_->obs.total(counter::calls_started));
}

TEST_F(TableCells, BystanderPoolKeepsFullService) {
  const pair_id bystander = 1; // c.test, alone
  const auto& o = result_->obs;
  EXPECT_GT(o.pair_total(bystander, counter::bystander_attempts), 0u);
  EXPECT_EQ(o.pair_total(bystander, counter::bystander_ok),
            o.pair_total(bystander, counter::bystander_attempts));
  EXPECT_EQ(o.total(counter::bystander_calls_lost), 0u);
}

TEST_F(TableCells, BackupPoolsOwnUsersKeepPickupDuringFailover) {
  auto c = column::failover_during;
  EXPECT_GT(get(c, counter::bystander_attempts), 0u);
  EXPECT_EQ(get(c, counter::bystander_ok), get(c, counter::bystander_attempts));
}
