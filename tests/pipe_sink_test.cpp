// The piped fact sink hands every fact to its consumer, in order, on the
// consumer's thread, and reports the consumer's failure at finish.
#include "actors/pipe_sink.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

using namespace calldrill;

namespace {

struct recording_sink : fact_sink {
  std::vector<std::int64_t> seen;
  std::thread::id thread;
  void put(const fact& f) override {
    thread = std::this_thread::get_id();
    seen.push_back(f.value);
  }
};

struct failing_sink : fact_sink {
  std::size_t left = 100;
  void put(const fact&) override {
    if (--left == 0)
      throw std::runtime_error("disk full");
  }
};

fact numbered(std::int64_t i) {
  fact f;
  f.value = i;
  return f;
}

} // namespace

TEST(PipeSink, DeliversEveryFactInOrderOnItsOwnThread) {
  recording_sink inner;
  // More than the queue holds at once: the recorder must wait, not drop.
  auto n = static_cast<std::int64_t>(pipe_sink::batch_facts
                                     * (pipe_sink::batches_max + 3) + 7);
  {
    pipe_sink pipe{inner};
    for (std::int64_t i = 0; i < n; ++i)
      pipe.put(numbered(i));
    pipe.finish();
  }
  ASSERT_EQ(inner.seen.size(), static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    ASSERT_EQ(inner.seen[static_cast<std::size_t>(i)], i);
  EXPECT_NE(inner.thread, std::this_thread::get_id());
}

TEST(PipeSink, ConsumerFailureIsRethrownAtFinishAndNeverBlocksTheRecorder) {
  failing_sink inner;
  pipe_sink pipe{inner};
  for (std::size_t i = 0; i < pipe_sink::batch_facts * (pipe_sink::batches_max + 3); ++i)
    pipe.put(numbered(0));
  EXPECT_THROW(pipe.finish(), std::runtime_error);
}
