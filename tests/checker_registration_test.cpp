// The checker on hand-written histories of registrations: a user its pool
// forgot cannot be called, and must register again by its next refresh.
// Each rule is shown broken and kept.
#include "checker/checker.hpp"
#include "pair_scenario.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace std::chrono_literals;

namespace {

constexpr pool_id pool_a = 0; // users 0..9 live on a.test
constexpr user_id user_on_a = 0;

struct history {
  scenario s = calldrill::testing::pair_scenario(); // clients at defaults
  std::shared_ptr<const topology> topo = build_topology(s).topo;
  std::vector<fact> facts;

  void add(fact f) { facts.push_back(f); }
  check_report check(sim_duration end) {
    facts.push_back(facts::make(fact_kind::run_end, end));
    history_checker c{topo, s};
    for (const auto& f : facts)
      c.put(f);
    return c.finish();
  }
};

check_status status(const check_report& r, std::string_view id) {
  const auto* c = r.v.find(id);
  return c == nullptr ? check_status::not_covered : c->status;
}

/// a.test fails at 10 s and is back at 30 s, before anyone failed over.
void short_outage(history& h) {
  h.add(facts::pair_phase(10s, 0, pair_phase::primary_outage, pool_a));
  h.add(facts::pool_event(fact_kind::pool_down, 10s, pool_a));
  h.add(facts::pool_event(fact_kind::pool_up, 30s, pool_a));
  h.add(facts::pair_phase(30s, 0, pair_phase::normal, no_pool));
}

} // namespace

TEST(CheckerRegistrations, CallToAnUnregisteredUserMustNotRing) {
  history h;
  short_outage(h);
  auto ringing = facts::call(fact_kind::call_started, 20s, 1);
  ringing.user = user_on_a;
  ringing.pool = pool_a; // down: nobody holds the user there
  h.add(ringing);
  EXPECT_EQ(status(h.check(1min), "failure_causes"), check_status::fail);
}

TEST(CheckerRegistrations, CallToAUserItsPoolHoldsRings) {
  history h;
  auto ringing = facts::call(fact_kind::call_started, 5s, 1);
  ringing.user = user_on_a;
  ringing.pool = pool_a;
  h.add(ringing);
  EXPECT_EQ(status(h.check(1min), "failure_causes"), check_status::pass);
}

TEST(CheckerRegistrations, ClientsForgottenByAShortOutageMustRegisterAgain) {
  history h;
  short_outage(h);
  auto r = h.check(2h);
  EXPECT_EQ(status(r, "registration_recovery"), check_status::fail);
}

TEST(CheckerRegistrations, ClientsThatRegisterAgainAfterAShortOutagePass) {
  history h;
  short_outage(h);
  for (user_id u = 0; u < 10; ++u) {
    h.add(facts::registration(fact_kind::reg_requested, 3min, u, pool_a));
    h.add(facts::registration(fact_kind::reg_admitted, 3min, u, pool_a));
    h.add(facts::registration(fact_kind::reg_confirmed, 3min, u, pool_a));
  }
  auto r = h.check(2h);
  EXPECT_EQ(status(r, "registration_recovery"), check_status::pass);
}

TEST(CheckerRegistrations, AUserRegisteredOutsideItsPairIsLostWithThatPool) {
  // A second pair, c.test and d.test; user 0 of a.test signs in to c.test
  // (a registrar fault of its own), and c.test fails with it.
  history h;
  calldrill::testing::add_second_pair(h.s);
  auto built = build_topology(h.s);
  ASSERT_TRUE(built.topo) << (built.errors.empty() ? "" : built.errors[0]);
  h.topo = built.topo;
  const pool_id pool_c = h.topo->find_pool("c.test");
  h.add(facts::registration(fact_kind::reg_requested, 5s, user_on_a, pool_c));
  h.add(facts::registration(fact_kind::reg_admitted, 5s, user_on_a, pool_c));
  h.add(facts::registration(fact_kind::reg_confirmed, 5s, user_on_a, pool_c));
  h.add(facts::pool_event(fact_kind::pool_down, 10s, pool_c));
  h.add(facts::pool_event(fact_kind::pool_up, 20s, pool_c));
  h.add(facts::registration(fact_kind::reg_requested, 40s, user_on_a, pool_a));
  h.add(facts::registration(fact_kind::reg_admitted, 40s, user_on_a, pool_a));
  h.add(facts::registration(fact_kind::reg_confirmed, 40s, user_on_a, pool_a));
  auto r = h.check(1min);
  EXPECT_EQ(status(r, "registrations"), check_status::fail);
  ASSERT_FALSE(r.v.figures.empty());
  // Unregistered from c.test's outage until it signed in at home again.
  EXPECT_DOUBLE_EQ(r.v.figures[0].unregistered_user_seconds, 30.0);
}
