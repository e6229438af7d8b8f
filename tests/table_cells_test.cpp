// One test per cell of the source's table: the small drill is driven through
// every DR phase in virtual time and the checker's outcome of each cell is
// asserted, with the traffic that covered it.
#include "small_drill.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

const std::string dr_pair = "a.test/b.test";

class TableCells : public ::testing::Test {
protected:
  static void SetUpTestSuite() { run_ = new checked_run(check(small_drill())); }
  static void TearDownTestSuite() { delete run_; }

  static const check_outcome& cell(const std::string& id) {
    const auto* c = run_->v().find(id, dr_pair);
    if (c == nullptr)
      throw std::runtime_error("no check " + id);
    return *c;
  }
  static std::uint64_t count(column c, counter k) {
    return run_->result.obs.get(0, c, k);
  }
  static checked_run* run_;
};

checked_run* TableCells::run_ = nullptr;

void expect_pass(const check_outcome& c) {
  SCOPED_TRACE(c.id + ": " + c.observed);
  EXPECT_EQ(c.status, check_status::pass);
}

} // namespace

// -- new calls ---------------------------------------------------------------

TEST_F(TableCells, NewCallsFailoverDuringGcpUnavailableInResiliency) {
  expect_pass(cell("new_calls.failover_during"));
  EXPECT_GT(count(column::failover_during, counter::pickup_picker_in_resiliency)
              + count(column::failover_during, counter::pickup_stale_entry)
              + count(column::failover_during, counter::pickup_callee_in_resiliency),
            0u);
}

TEST_F(TableCells, NewCallsFailoverAfterGcpReturnsOnlyOnceRangesRedirected) {
  const auto& c = cell("new_calls.failover_after");
  expect_pass(c);
  // Before set_orbit the range still points at the failed pool; after it
  // every eligible pickup succeeded.
  EXPECT_GT(count(column::failover_after, counter::pickup_pool_down), 0u);
  ASSERT_TRUE(c.observed_value.has_value());
  EXPECT_EQ(*c.observed_value, 1.0);
}

TEST_F(TableCells, NewCallsFailbackDuringGcpUnavailableInResiliency) {
  expect_pass(cell("new_calls.failback_during"));
  EXPECT_GT(count(column::failback_during, counter::pickup_picker_in_resiliency)
              + count(column::failback_during, counter::pickup_callee_in_resiliency),
            0u);
}

TEST_F(TableCells, NewCallsFailbackAfterGcpReturnsOnlyOnceRangesRedirectedBack) {
  const auto& c = cell("new_calls.failback_after");
  expect_pass(c);
  ASSERT_TRUE(c.observed_value.has_value());
  EXPECT_EQ(*c.observed_value, 1.0);
}

TEST_F(TableCells, NewCallsInNormalOperationSucceed) {
  const auto& c = cell("new_calls.normal");
  expect_pass(c);
  ASSERT_TRUE(c.observed_value.has_value());
  EXPECT_EQ(*c.observed_value, 1.0);
}

// -- calls in the GCP queue ----------------------------------------------------

TEST_F(TableCells, QueuedCallsCannotBeAnsweredThroughGcpInAnyDrColumn) {
  for (auto col : {"failover_during", "failover_after", "failback_during",
                   "failback_after"})
    expect_pass(cell(std::string{"queued_calls."} + col));
}

TEST_F(TableCells, QueuedCallsOfTheFailedPoolFailWithIt) {
  EXPECT_GT(count(column::failover_during, counter::ended_pool_down), 0u);
  EXPECT_GT(count(column::failover_during, counter::queued_failed), 0u);
}

// -- established calls -----------------------------------------------------------

TEST_F(TableCells, EstablishedCallsStayConnectedInEveryColumn) {
  for (auto col : {"normal", "failover_during", "failover_after",
                   "failback_during", "failback_after"})
    expect_pass(cell(std::string{"established_calls."} + col));
  EXPECT_EQ(run_->result.obs.total(counter::ended_dropped_by_pool), 0u);
}

// -- whole-run invariants ----------------------------------------------------------

TEST_F(TableCells, WholeRunChecksPassAndEveryEnteredCellWasCovered) {
  for (auto id : {"call_conservation", "failure_causes", "blast_radius",
                  "coverage"}) {
    const auto* c = run_->v().find(id);
    ASSERT_NE(c, nullptr) << id;
    expect_pass(*c);
  }
  EXPECT_TRUE(run_->disagreements.empty());
}

TEST_F(TableCells, LonePoolIsJudgedInItsNormalColumn) {
  const auto* c = run_->v().find("new_calls.normal", "c.test");
  ASSERT_NE(c, nullptr);
  expect_pass(*c);
}
