// The checker's offered_load on hand-written histories: calls that arrive
// as the traffic stages say pass; a generator that pauses through a change
// of the world, runs at the wrong rate, shuns some users or calls after the
// end fails, and calls refused by the active-call limit count as arrivals.
#include "checker/checker.hpp"
#include "checker_history.hpp"
#include "pair_scenario.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace calldrill;
using namespace std::chrono;

namespace {

constexpr double rate = 2.0; // calls a second, for ten minutes

scenario load_scenario() {
  auto s = calldrill::testing::pair_scenario();
  s.run.duration = minutes{10};
  s.traffic.stages = {{minutes{10}, rate}};
  return s;
}

/// How the hand-written generator strays from the stages.
struct stray {
  double rate_factor = 1.0;
  sim_duration pause_from{-1}, pause_to{-1}; ///< no arrivals in [from, to)
  bool only_pool_a = false;                  ///< callees among a's users alone
  std::uint64_t refuse_every = 0;            ///< every n-th arrival refused
  bool refusals_recorded = true;
  sim_duration extra_until{-1};              ///< keeps calling until then
};

/// A history of Poisson arrivals (seeded) with the world changing at 3 and
/// 6 minutes (fe a down, then up); each call started and ended at once.
check_report play(const stray& s, std::uint64_t seed = 1) {
  calldrill::testing::fact_history h(load_scenario());
  std::mt19937_64 random(seed);
  std::exponential_distribution<double> gap(rate * s.rate_factor);
  auto users = h.topo().user_count();
  std::uniform_int_distribution<user_id> callee(
    0, s.only_pool_a ? h.topo().pools[0].users - 1 : users - 1);
  auto until = s.extra_until > sim_duration{0} ? s.extra_until : minutes{10};
  bool down = false, up = false;
  call_id id = 0;
  for (double t = gap(random); t < to_seconds(until); t += gap(random)) {
    auto at = from_seconds(t);
    if (!down && at >= minutes{3}) {
      h.put(facts::pool_event(fact_kind::pool_down, minutes{3}, 0));
      down = true;
    }
    if (!up && at >= minutes{6}) {
      h.put(facts::pool_event(fact_kind::pool_up, minutes{6}, 0));
      up = true;
    }
    if (at >= s.pause_from && at < s.pause_to)
      continue;
    ++id;
    auto u = callee(random);
    if (s.refuse_every != 0 && id % s.refuse_every == 0) {
      if (s.refusals_recorded) {
        auto f = facts::call(fact_kind::call_refused, at, id);
        f.user = u;
        h.put(f);
      }
      continue;
    }
    h.put(h.of_call(fact_kind::call_started, at, id, u, no_pool));
    h.ended(at, id, end_cause::callee_unreachable);
  }
  return h.finish(minutes{10});
}

check_outcome load(const check_report& r) {
  const auto* c = r.v.find("offered_load");
  EXPECT_NE(c, nullptr);
  return c == nullptr ? check_outcome{} : *c;
}

std::string evidence(const check_outcome& c) {
  std::string all;
  for (const auto& e : c.evidence)
    all += e + "\n";
  return all;
}

} // namespace

TEST(CheckerLoad, CallsArrivingAtTheStagesRatePass) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    auto c = load(play({}, seed));
    EXPECT_EQ(c.status, check_status::pass) << "seed " << seed << "\n"
                                            << c.observed << evidence(c);
  }
}

TEST(CheckerLoad, AGeneratorPausingWhileAPoolIsDownFails) {
  stray s;
  s.pause_from = minutes{3};
  s.pause_to = minutes{6};
  auto c = load(play(s));
  EXPECT_EQ(c.status, check_status::fail);
  EXPECT_NE(evidence(c).find("from 00:03:00 to 00:06:00 0 calls arrived; the "
                             "stages offer 360"),
            std::string::npos)
    << evidence(c);
}

TEST(CheckerLoad, HalfTheRateFails) {
  stray s;
  s.rate_factor = 0.5;
  EXPECT_EQ(load(play(s)).status, check_status::fail);
}

TEST(CheckerLoad, CalleesDrawnFromOnePoolAloneFail) {
  stray s;
  s.only_pool_a = true;
  auto c = load(play(s));
  EXPECT_EQ(c.status, check_status::fail);
  EXPECT_NE(evidence(c).find("users homed on b.test (50 % of the estate) were "
                             "called 0 times"),
            std::string::npos)
    << evidence(c);
}

TEST(CheckerLoad, RefusedCallsAreArrivalsAndUnrecordedOnesAreMissed) {
  stray s;
  s.refuse_every = 3;
  EXPECT_EQ(load(play(s)).status, check_status::pass);
  s.refusals_recorded = false;
  EXPECT_EQ(load(play(s)).status, check_status::fail);
}

TEST(CheckerLoad, CallsAfterTheEndFail) {
  stray s;
  s.extra_until = minutes{11};
  auto c = load(play(s));
  EXPECT_EQ(c.status, check_status::fail);
  EXPECT_NE(evidence(c).find("calls arrived after the run's end at 00:10:00"),
            std::string::npos)
    << evidence(c);
}
