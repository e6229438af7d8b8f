// The checker's traffic checks on hand-written histories. offered_load:
// calls that arrive as the traffic stages say pass; a generator that pauses
// through a change of the world, runs at the wrong rate, shuns some users or
// calls after the end fails, and calls refused by the active-call limit
// count as arrivals. call_timing: answers and pickup dials at their
// probabilities over the time calls rang, and inside their
// delays pass, outside fail; hold times must average the scenario's mean.
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

/// Whether the check failed with `words` in its evidence.
::testing::AssertionResult fails_saying(const check_outcome& c,
                                        const std::string& words) {
  if (c.status == check_status::fail
      && evidence(c).find(words) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << c.id << " is " << name(c.status) << ", not a failure saying \""
         << words << "\":\n" << c.observed << "\n" << evidence(c);
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
  EXPECT_TRUE(fails_saying(c, "from 00:03:00 to 00:06:00 0 calls arrived; the "
                              "stages offer 360"));
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
  EXPECT_TRUE(fails_saying(c, "users homed on b.test (50 % of the estate) were "
                              "called 0 times"));
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
  EXPECT_TRUE(fails_saying(c, "calls arrived after the run's end at 00:10:00"));
  // However far past the end (a stored history may say anything).
  calldrill::testing::fact_history h(load_scenario());
  for (call_id id = 1; id <= 20; ++id) {
    auto f = facts::call(fact_kind::call_refused, hours{24 * 365 * 100}, id);
    h.put(f);
  }
  c = load(h.finish(minutes{10}));
  EXPECT_TRUE(fails_saying(c, "calls arrived after the run's end at 00:10:00"));
}

// -- call_timing --------------------------------------------------------------

namespace {

/// A history of calls 60 s apart, each answered `answer` after its start (or
/// dialled for pickup `dial` after it, when set) and held for `hold(i)`.
template <class Hold>
check_report timed(sim_duration answer, sim_duration dial, Hold hold,
                   int calls = 40) {
  auto s = load_scenario();
  s.traffic.stages = {{minutes{10}, 0.0}}; // the calls below are the load
  s.traffic.hold_mean = seconds{20};
  s.traffic.answer_probability = 1.0; // every call below is answered
  calldrill::testing::fact_history h(s);
  // A callee in no group: its calls are at no risk of a pickup dial, so
  // the dials below are judged by their delay alone.
  user_id callee = 0;
  while (h.topo().group_of(callee) != no_group)
    ++callee;
  for (int i = 0; i < calls; ++i) {
    auto at = seconds{10} + i * milliseconds{12'000};
    call_id id = i + 1;
    h.put(h.of_call(fact_kind::call_started, at, id, callee, no_pool));
    if (dial > sim_duration{0}) {
      auto d = facts::call(fact_kind::pickup_dialed, at + dial, id);
      d.user = 1;
      d.group = no_group;
      h.put(d);
    }
    h.established(at + answer, id, hold(i));
    h.ended(at + answer + hold(i), id, end_cause::hang_up);
  }
  return h.finish(minutes{10});
}

check_outcome timing(const check_report& r) {
  const auto* c = r.v.find("call_timing");
  EXPECT_NE(c, nullptr);
  return c == nullptr ? check_outcome{} : *c;
}

/// Holds averaging 20 s: 10 s and 30 s in turn.
sim_duration even_hold(int i) { return seconds{i % 2 == 0 ? 10 : 30}; }

} // namespace

TEST(CheckerCallTiming, AnswersAndDialsWithinTheirDelaysPass) {
  // answer.delay is 2-12 s and pickup.delay 3-15 s by default.
  auto c = timing(timed(seconds{5}, seconds{4}, even_hold));
  EXPECT_EQ(c.status, check_status::pass) << c.observed << evidence(c);
}

TEST(CheckerCallTiming, AnAnswerOutsideTheAnswerDelayFails) {
  auto late = timing(timed(seconds{14}, sim_duration{0}, even_hold));
  EXPECT_TRUE(fails_saying(late, "was answered at 00:00:24, 14s later; the "
                                 "traffic says 2s to 12s"));
  EXPECT_EQ(timing(timed(seconds{1}, sim_duration{0}, even_hold)).status,
            check_status::fail);
}

TEST(CheckerCallTiming, APickupDialledOutsideThePickupDelayFails) {
  auto c = timing(timed(seconds{5}, seconds{17}, even_hold));
  EXPECT_TRUE(fails_saying(c, "dialled for pickup"));
}

TEST(CheckerCallTiming, HoldTimesAveragingOtherThanTheMeanFail) {
  // 40 holds of 20 s mean: the bound is 6 x 20 / sqrt(40) = 19 s wide.
  auto c = timing(timed(seconds{5}, sim_duration{0},
                        [](int) { return seconds{2}; }, 40));
  EXPECT_EQ(c.status, check_status::pass) << "19 s off is within the bound";
  c = timing(timed(seconds{5}, sim_duration{0},
                   [](int) { return milliseconds{20}; }, 400));
  EXPECT_TRUE(fails_saying(c, "the 400 hold times drawn average 0.02 s; "
                              "hold_time.mean is 20 s"));
}

// In realtime the checker judges up to the tolerance before the end; the
// stretch cut there must compare the calls of the same span as the offer,
// at any rate (found at 20,000 calls a second).
TEST(CheckerLoad, ARealtimeRunIsJudgedUpToItsToleranceAtAnyRate) {
  auto s = load_scenario();
  s.run.duration = seconds{10};
  s.traffic.stages = {{seconds{10}, 1000.0}};
  s.run.clock = clock_kind::realtime;
  s.run.tolerance = milliseconds{2500};
  calldrill::testing::fact_history h(s);
  std::mt19937_64 random(3);
  std::exponential_distribution<double> gap(1000.0);
  std::uniform_int_distribution<user_id> callee(0, h.topo().user_count() - 1);
  call_id id = 0;
  bool down = false; // a change of the world at 7 s cuts a short stretch
  for (double t = gap(random); t < 10.0; t += gap(random)) {
    if (!down && t >= 7.0) {
      h.put(facts::pool_event(fact_kind::pool_down, seconds{7}, 0));
      down = true;
    }
    auto u = callee(random);
    h.put(h.of_call(fact_kind::call_started, from_seconds(t), ++id, u, no_pool));
    h.ended(from_seconds(t), id, end_cause::callee_unreachable);
  }
  auto c = load(h.finish(seconds{10}));
  EXPECT_EQ(c.status, check_status::pass) << c.observed << evidence(c);
}

// offered_load also holds the pickers to pickup.by_member: members of the
// group dial its share of the pickups, anyone else the rest.
TEST(CheckerLoad, PickersAreMembersAtTheirShare) {
  auto dials = [](double member_share) {
    auto s = load_scenario();
    s.traffic.stages = {{minutes{10}, 0.0}};
    calldrill::testing::fact_history h(s);
    const auto& g = h.topo().groups.at(0);
    EXPECT_GT(g.size, 2u);
    auto outsider = h.topo().user_count() - 1; // b.test's last user
    std::mt19937_64 random(5);
    std::bernoulli_distribution member(member_share);
    for (call_id id = 1; id <= 400; ++id) {
      auto d = facts::call(fact_kind::pickup_dialed, seconds{id}, id);
      d.user = member(random) ? g.first_member + 1 : outsider;
      d.group = 0;
      h.put(d);
    }
    return load(h.finish(minutes{10}));
  };
  auto kept = dials(0.9); // pickup.by_member's default
  EXPECT_EQ(kept.status, check_status::pass) << kept.observed << evidence(kept);
  auto inverted = dials(0.1);
  EXPECT_TRUE(fails_saying(inverted, "members of the group dialled"));
}

// Callers abandon at one per abandon_mean of ringing (60 s by default):
// 600 calls ringing 6 s each expose 3,600 s, so about 60 abandons.
TEST(CheckerCallTiming, CallersAbandonAtOnePerMeanOfRinging) {
  auto abandons = [](int n) {
    auto s = load_scenario();
    s.traffic.answer_probability = 0; // nobody answers or picks up
    s.traffic.pickup_probability = 0;
    calldrill::testing::fact_history h(s);
    for (int i = 0; i < 600; ++i) {
      auto at = seconds{1} + i * milliseconds{500};
      call_id id = i + 1;
      h.put(h.of_call(fact_kind::call_started, at, id, 0, 0));
      h.ended(at + seconds{6}, id,
              i < n ? end_cause::abandoned : end_cause::ring_timeout);
    }
    return timing(h.finish(minutes{10}));
  };
  auto kept = abandons(60);
  EXPECT_EQ(kept.status, check_status::pass) << kept.observed << evidence(kept);
  auto impatient = abandons(300);
  EXPECT_TRUE(fails_saying(impatient, "300 callers abandoned over 3600 s of "
                                      "ringing; abandon_mean (60 s) makes 60 "
                                      "expected"));
}

// In realtime the calls still ringing at the end rang until the end, as the
// abandons are counted until the end: cutting their ringing at the
// tolerance before it (as a first version did) made a conforming run at
// 20,000 calls a second abandon too often.
TEST(CheckerCallTiming, CallsRingingAtTheEndOfARealtimeRunRangUntilIt) {
  auto s = load_scenario();
  s.run.clock = clock_kind::realtime;
  s.run.tolerance = seconds{2};
  calldrill::testing::fact_history h(s);
  std::mt19937_64 random(11);
  std::exponential_distribution<double> patience(1.0 / 60); // abandon_mean
  for (call_id id = 1; id <= 10000; ++id) { // all start 10 s before the end
    auto start = seconds{590};
    h.put(h.of_call(fact_kind::call_started, start, id, 0, 0));
    auto p = patience(random);
    if (p < 10)
      h.ended(start + from_seconds(p), id, end_cause::abandoned);
  }
  auto c = timing(h.finish(minutes{10}));
  EXPECT_EQ(c.status, check_status::pass) << c.observed << evidence(c);
}

namespace {

/// 3,000 calls drawn as the model draws them: each answered with
/// probability `answered` at a delay uniform in answer.delay, dialled for
/// pickup with `dialled` in pickup.delay, abandoned at an exponential
/// patience, or timed out; whichever comes first ends the ringing (in a
/// tie the ring timeout, then the answer, then the abandon; a dial only
/// strictly before all three). `at_once`: both windows are the start
/// instant, and a dial picks its call up there and then.
check_outcome drawn(double answered, double dialled, double said_answer = 0.55,
                    double said_pickup = 0.5, bool at_once = false) {
  auto s = load_scenario();
  if (at_once) {
    s.traffic.answer_delay_min = s.traffic.answer_delay_max = sim_duration{0};
    s.traffic.pickup_delay_min = s.traffic.pickup_delay_max = sim_duration{0};
  }
  s.traffic.stages = {{minutes{10}, 0.0}};
  s.traffic.answer_probability = said_answer;
  s.traffic.pickup_probability = said_pickup;
  s.run.duration = hours{2};
  const auto& t = s.traffic;
  calldrill::testing::fact_history h(s);
  std::mt19937_64 random(17);
  std::uniform_real_distribution<double> unit(0, 1);
  std::exponential_distribution<double> patience(1 / to_seconds(t.abandon_mean));
  std::exponential_distribution<double> hold(1 / to_seconds(t.hold_mean));
  auto within = [&](sim_duration lo, sim_duration hi) {
    return lo + from_seconds(unit(random) * to_seconds(hi - lo));
  };
  for (call_id id = 1; id <= 3000; ++id) {
    auto at = seconds{id * 2};
    h.put(h.of_call(fact_kind::call_started, at, id, 0, 0)); // user 0: a group
    auto end = at + t.ring_timeout;
    auto cause = end_cause::ring_timeout;
    if (unit(random) < answered) {
      auto a = at + within(t.answer_delay_min, t.answer_delay_max);
      if (a < end) {
        end = a;
        cause = end_cause::hang_up;
      }
    }
    auto p = at + from_seconds(patience(random));
    if (p < end) {
      end = p;
      cause = end_cause::abandoned;
    }
    bool picked = false;
    if (unit(random) < dialled) {
      auto d = at + within(t.pickup_delay_min, t.pickup_delay_max);
      if (d < end) {
        auto f = facts::call(fact_kind::pickup_dialed, d, id);
        f.user = 1;
        f.group = h.topo().group_of(0);
        h.put(f);
        if (at_once) {
          picked = true;
          end = d;
          cause = end_cause::hang_up;
        }
      }
    }
    if (cause == end_cause::hang_up) {
      auto held = from_seconds(hold(random));
      h.established(end, id, held, picked);
      h.ended(end + held, id, end_cause::hang_up);
    } else {
      h.ended(end, id, cause);
    }
  }
  return timing(h.finish(hours{2}));
}

} // namespace

// Each ringing call draws its answer and its pickup dial once; while it
// rings they come at the rate of their risk, whatever ends the ringing.
TEST(CheckerCallTiming, AnswersAndDialsComeAtTheirProbabilities) {
  auto kept = drawn(0.55, 0.5);
  EXPECT_EQ(kept.status, check_status::pass) << kept.observed << evidence(kept);
  // A certain answer is judged up to nine tenths of its window.
  auto certain = drawn(1.0, 1.0, 1.0, 1.0);
  EXPECT_EQ(certain.status, check_status::pass)
    << certain.observed << evidence(certain);
}

TEST(CheckerCallTiming, AnAnswerDueAtTheInstantOfAPickupComesFirst) {
  // Both drawn at the start instant: a call is answered there, or else
  // dialled and picked up there; the picked-up calls were at risk of the
  // answer at that instant too (random shape 1741 failed without it).
  auto c = drawn(0.55, 1.0, 0.55, 1.0, true);
  EXPECT_EQ(c.status, check_status::pass) << c.observed << evidence(c);
  EXPECT_TRUE(fails_saying(drawn(0.275, 1.0, 0.55, 1.0, true), "calls answered"));
}

TEST(CheckerCallTiming, AnswersAtHalfTheirProbabilityFail) {
  auto c = drawn(0.275, 0.5);
  EXPECT_TRUE(fails_saying(c, "calls answered where the calls' time ringing"));
}

TEST(CheckerCallTiming, DialsAtHalfTheirProbabilityFail) {
  auto c = drawn(0.55, 0.25);
  EXPECT_TRUE(fails_saying(c, "pickups dialled where the calls' time ringing"));
}
