// The checker on hand-written histories of the active-call limit: a host
// keeps one share of max_active_calls all run long, so it refuses a call
// only with at least as many of its calls up as it ever let a call in
// with, and never lets one in with the whole limit up.
#include "checker/checker.hpp"
#include "checker_history.hpp"
#include "pair_scenario.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace std::chrono;

namespace {

/// The smallest pair, at most two calls up at once, ringing until they
/// end.
class history : public calldrill::testing::fact_history {
public:
  history() : fact_history(limited()) {}
  check_report finish() { return fact_history::finish(minutes{10}); }
  void start(int s, call_id id) { call(seconds{s}, id, 0, 0); }
  void refuse(int s, call_id id) {
    auto f = facts::call(fact_kind::call_refused, seconds{s}, id);
    f.user = 0;
    put(f);
  }
  void end(int s, call_id id) {
    ended(seconds{s}, id, end_cause::abandoned);
  }

private:
  static scenario limited() {
    auto s = calldrill::testing::pair_scenario();
    s.traffic.max_active_calls = 2;
    s.traffic.ring_timeout = hours{1}; // calls ring until they end
    s.run.duration = minutes{10};
    return s;
  }
};

/// A call of host `host`: its handle carries the host in its top 16 bits.
call_id on_host(std::uint64_t host, std::uint64_t n) { return host << 48 | n; }

check_status conservation(const check_report& r) {
  const auto* c = r.v.find("call_conservation");
  return c == nullptr ? check_status::not_covered : c->status;
}

} // namespace

TEST(CheckerCapacity, ARefusalAtTheHostsShareKeepsTheLimit) {
  history h;
  h.start(1, 1);
  h.start(2, 2);
  h.refuse(3, 3); // two up: the share is at most two
  h.end(4, 1);
  h.start(5, 4);  // one up again
  h.refuse(6, 5);
  EXPECT_EQ(conservation(h.finish()), check_status::pass);
}

TEST(CheckerCapacity, ARefusalBelowALevelTheHostLetACallInAtFails) {
  // A host that forgot to free two places: it refuses with none up, after
  // it let a call in with one up.
  history h;
  h.start(1, 1);
  h.start(2, 2);
  h.end(3, 1);
  h.end(4, 2);
  h.refuse(5, 3);
  EXPECT_EQ(conservation(h.finish()), check_status::fail);
}

TEST(CheckerCapacity, AStartAtALevelTheHostRefusedACallAtFails) {
  history h;
  h.start(1, 1);
  h.refuse(2, 2); // one up: its share is one
  h.start(3, 3);  // and it lets a second in
  EXPECT_EQ(conservation(h.finish()), check_status::fail);
}

TEST(CheckerCapacity, AStartWithTheWholeLimitUpFails) {
  history h;
  h.start(1, 1);
  h.start(2, 2);
  h.start(3, 3);
  EXPECT_EQ(conservation(h.finish()), check_status::fail);
}

TEST(CheckerCapacity, EachHostKeepsItsOwnShare) {
  // Two hosts: a share of one call each. Host 0 refuses with its call up
  // while host 1 lets its own in.
  history h;
  h.start(1, on_host(0, 1));
  h.refuse(2, on_host(0, 2));
  h.start(3, on_host(1, 1));
  h.refuse(4, on_host(1, 2));
  EXPECT_EQ(conservation(h.finish()), check_status::pass);
}

TEST(CheckerCapacity, AHostHoldingMoreThanTheLimitOverTheHostsFails) {
  // Host 1 named: at least two hosts, so host 0's share is one call, and it
  // let a second in.
  history h;
  h.start(1, on_host(0, 1));
  h.start(2, on_host(0, 2));
  h.start(3, on_host(1, 1));
  EXPECT_EQ(conservation(h.finish()), check_status::fail);
}
