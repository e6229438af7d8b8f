// The host's calendar queue pops in exactly the order a plain heap would,
// whatever mix of near, far and past entries it is given.
#include "model/call_table.hpp"
#include "model/rng.hpp"
#include "model/timer_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <queue>

using namespace calldrill;
using namespace std::chrono;

namespace {

struct reference_later {
  bool operator()(const timer_entry& a, const timer_entry& b) const {
    return a.at != b.at ? a.at > b.at : a.word > b.word;
  }
};

} // namespace

TEST(TimerQueue, PopsInTheSameOrderAsAHeap) {
  timer_queue q;
  std::priority_queue<timer_entry, std::vector<timer_entry>, reference_later> ref;
  rng r{42};
  sim_duration now{0};
  std::uint64_t id = 0;
  for (int step = 0; step < 200000; ++step) {
    if (r.chance(0.55) || ref.empty()) {
      // Mostly near-future, some far beyond the horizon, some in the past.
      sim_duration delay;
      auto pick = r.uniform();
      if (pick < 0.1)
        delay = -milliseconds{static_cast<long>(r.below(500))};
      else if (pick < 0.2)
        delay = seconds{static_cast<long>(300 + r.below(3000))};
      else
        delay = milliseconds{static_cast<long>(r.below(60000))};
      auto at = std::max(sim_duration{0}, now + delay);
      auto kind = static_cast<std::uint8_t>(r.below(7));
      q.push(at, kind, id);
      ref.push(timer_entry{at, (std::uint64_t{kind} << 56) | id});
      ++id;
    } else {
      ASSERT_EQ(q.size(), ref.size());
      auto got = q.pop();
      auto want = ref.top();
      ref.pop();
      ASSERT_EQ(got.at, want.at) << "step " << step;
      ASSERT_EQ(got.word, want.word) << "step " << step;
      now = std::max(now, got.at);
    }
  }
  while (!ref.empty()) {
    ASSERT_EQ(q.pop().word, ref.top().word);
    ref.pop();
  }
  EXPECT_TRUE(q.empty());
}

TEST(TimerQueue, JumpsOverLongQuietStretches) {
  timer_queue q;
  q.push(hours{5}, 1, 1);
  q.push(hours{2}, 1, 2);
  EXPECT_EQ(q.top().at, hours{2});
  EXPECT_EQ(q.pop().id(), 2u);
  q.push(hours{3}, 2, 3);
  EXPECT_EQ(q.pop().id(), 3u);
  EXPECT_EQ(q.pop().at, hours{5});
}

TEST(TimerQueue, RoomDoesNotRatchetUpAfterBursts) {
  // A realtime host that stalled catches up with a burst of wake-ups in one
  // bucket; buffers circulate between buckets, and each one kept made every
  // bucket as large as the largest burst: memory crept for the whole run.
  timer_queue q;
  sim_duration now{0};
  std::uint64_t id = 0;
  for (int round = 0; round < 3000; ++round) {
    auto burst = round % 10 == 0 ? 5000 : 4;
    for (int i = 0; i < burst; ++i)
      q.push(now + milliseconds{100}, 0, id++);
    now += milliseconds{250};
    while (!q.empty() && q.top().at <= now)
      q.pop();
  }
  // 1,024 buckets keeping room for 16 entries each (a few queued), and the
  // current one.
  EXPECT_LE(q.room(), 1024u * 16u + 8192u);
}

TEST(TimerQueue, RoomStaysFlatUnderSteadyLoad) {
  // A host under steady load: about three wake-ups per bucket, drawn up to
  // 200 s ahead. A buffer kept by a fixed bound grew to it one rare busy
  // bucket at a time: the room kept rising for hours of simulated time, a
  // realtime soak's RSS with it. After the first cycles it must stay put.
  timer_queue q;
  rng draw{7};
  sim_duration now{0};
  std::uint64_t id = 0;
  std::size_t warm = 0;
  constexpr int turns_per_cycle = 1024; // one 250 ms bucket per turn
  for (int turn = 0; turn < 60 * turns_per_cycle; ++turn) {
    for (int i = 0; i < 3; ++i)
      q.push(now + milliseconds{1 + draw.below(200000)}, 0, id++);
    now += milliseconds{250};
    while (!q.empty() && q.top().at <= now)
      q.pop();
    if (turn == 5 * turns_per_cycle)
      warm = q.room();
  }
  EXPECT_LE(q.room(), warm + warm / 20) << "room at cycle 5: " << warm;
}

TEST(CallTable, HandlesOfEndedCallsAreNotFound) {
  call_table t{7};
  auto a = t.open(1, {});
  EXPECT_NE(t.find(a), nullptr);
  t.close(a);
  auto b = t.open(2, {}); // reuses the slot with a new generation
  EXPECT_EQ(t.find(a), nullptr);
  ASSERT_NE(t.find(b), nullptr);
  EXPECT_EQ(t.find(b)->callee, 2u);
  call_table other{8};
  EXPECT_EQ(other.find(b), nullptr); // another host's handle
  EXPECT_EQ(t.global(call_table::local(b)), b);
}

TEST(TimerQueue, WakeUpsPushedBeforeAJumpAheadComeOutInOrder) {
  // An idle host asks for its earliest wake-up, far ahead: the queue jumps
  // to that bucket. A storm of wake-ups it then schedules before it (a
  // pool's users noticing an outage) must still come out earliest first.
  timer_queue q;
  q.push(hours{1}, 0, 0);
  EXPECT_EQ(q.top().at, hours{1});
  rng r{7};
  std::vector<timer_entry> want{{hours{1}, 0}};
  for (std::uint64_t id = 1; id <= 20000; ++id) {
    auto at = milliseconds{static_cast<long>(r.below(3600000))};
    q.push(at, 6, id);
    want.push_back({at, (std::uint64_t{6} << 56) | id});
  }
  std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
    return a.at != b.at ? a.at < b.at : a.word < b.word;
  });
  for (const auto& w : want) {
    auto got = q.pop();
    ASSERT_EQ(got.at, w.at);
    ASSERT_EQ(got.word, w.word);
  }
  EXPECT_TRUE(q.empty());
}
