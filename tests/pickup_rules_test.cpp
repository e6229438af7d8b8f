// DOMAIN.md's pickup rules 1-3, one behaviour per test, and the defects that
// bend them.
#include "model/pickup_rules.hpp"

#include <gtest/gtest.h>

using namespace calldrill;

namespace {

pickup_context all_good() { return pickup_context{}; }

queue_entry entry(std::uint32_t epoch, bool in_resiliency = false) {
  queue_entry e;
  e.call = 1;
  e.callee = 7;
  e.epoch = epoch;
  e.entered_in_resiliency = in_resiliency;
  return e;
}

/// An affected callee, served here, in `mode`, its pair at `epoch`.
entry_context affected(std::uint32_t epoch,
                       user_mode mode = user_mode::normal) {
  entry_context c;
  c.callee_mode = mode;
  c.callee_affected = true;
  c.epoch = epoch;
  return c;
}

} // namespace

TEST(PickupRules, SucceedsWhenEveryRuleHolds) {
  EXPECT_EQ(check_pickup(all_good(), {}), pickup_result::ok);
  EXPECT_TRUE(answerable(entry(3), affected(3), {}));
}

TEST(PickupRules, PickupFailsWhilePickerInResiliency) {
  auto c = all_good();
  c.picker_mode = user_mode::resiliency;
  EXPECT_EQ(check_pickup(c, {}), pickup_result::picker_in_resiliency);
}

TEST(PickupRules, PickupFailsWhileCalleeInResiliency) {
  EXPECT_EQ(entry_refusal(entry(3), affected(3, user_mode::resiliency), {}),
            pickup_result::callee_in_resiliency);
}

TEST(PickupRules, PickupFailsWhenRangePointsAwayFromCalleesPool) {
  auto c = affected(3);
  c.served_here = false;
  EXPECT_EQ(entry_refusal(entry(3), c, {}),
            pickup_result::range_not_redirected);
}

TEST(PickupRules, PickupFailsWhenRangesPoolIsDownOrHasNoCallPark) {
  auto c = all_good();
  c.pool_up = false;
  EXPECT_EQ(check_pickup(c, {}), pickup_result::pool_down);
  c = all_good();
  c.call_park_enabled = false;
  EXPECT_EQ(check_pickup(c, {}), pickup_result::call_park_disabled);
}

TEST(PickupRules, UnregisteredPickerCannotDial) {
  auto c = all_good();
  c.picker_mode = user_mode::unregistered;
  EXPECT_EQ(check_pickup(c, {}), pickup_result::picker_unregistered);
}

TEST(PickupRules, AffectedUsersEntryFromEarlierPhaseIsNeverAnswerable) {
  EXPECT_EQ(entry_refusal(entry(2), affected(3), {}),
            pickup_result::stale_entry);
}

TEST(PickupRules, BystandersEntryIsUntouchedByThePartnersTransitions) {
  auto c = affected(3);
  c.callee_affected = false;
  EXPECT_TRUE(answerable(entry(2), c, {}));
}

TEST(PickupRules, EntryMadeWhileCalleeInResiliencyIsNeverAnswerable) {
  EXPECT_FALSE(answerable(entry(3, true), affected(3), {}));
  EXPECT_FALSE(answerable(entry(3), affected(3, user_mode::resiliency), {}));
}

TEST(PickupDefects, PickupInResiliencyLetsResiliencyUsersThrough) {
  defect_set d;
  d.add(defect::pickup_in_resiliency);
  auto c = all_good();
  c.picker_mode = user_mode::resiliency;
  EXPECT_EQ(check_pickup(c, d), pickup_result::ok);
  EXPECT_TRUE(answerable(entry(3, true), affected(3, user_mode::resiliency), d));
}

TEST(PickupDefects, AnswerStaleQueueMakesOldEntriesAnswerable) {
  defect_set d;
  d.add(defect::answer_stale_queue);
  EXPECT_TRUE(answerable(entry(2), affected(3), d));
  EXPECT_TRUE(answerable(entry(3, true), affected(3), d));
}

TEST(PickupDefects, DefectNamesRoundTrip) {
  for (const auto& info : all_defects()) {
    auto parsed = parse_defect(info.name);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, info.id);
  }
  EXPECT_FALSE(parse_defect("no-such-defect"));
}

TEST(PickupQueue, TakesLongestRingingEligibleEntryFirst) {
  pickup_queues q;
  for (call_id c = 1; c <= 3; ++c) {
    auto e = entry(c == 1 ? 1 : 2);
    e.call = c;
    q.push(5, e);
  }
  auto got = q.take_first(5, [](const queue_entry& e) { return e.epoch == 2; });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->call, 2u); // call 1 is stale; 2 rang longer than 3
  EXPECT_EQ(q.size(), 2u);
  EXPECT_TRUE(q.remove(5, 3));
  EXPECT_FALSE(q.remove(5, 3));
}

TEST(PickupQueue, EmptiedQueuesGiveTheirRoomBack) {
  // Kept, each group's buffer stayed as large as its longest queue ever, and
  // over a long realtime run every group's record crept up.
  pickup_queues q;
  for (call_id c = 1; c <= 40; ++c) {
    auto e = entry(1);
    e.call = c;
    q.push(static_cast<group_id>(c % 4), e);
  }
  for (call_id c = 1; c <= 10; ++c)
    EXPECT_TRUE(q.remove(static_cast<group_id>(c % 4), c));
  while (q.take_first(1, [](const queue_entry&) { return true; }))
    continue;
  q.purge([](const queue_entry&) { return true; },
          [](group_id, const queue_entry&) {});
  EXPECT_EQ(q.size(), 0u);
  EXPECT_EQ(q.room(), 0u);
}
