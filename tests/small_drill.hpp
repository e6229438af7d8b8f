// A small, fast drill for tests: a DR pair plus a bystander pool, the whole
// runbook compressed into 16 simulated minutes, every call queued for pickup.
#pragma once

#include "actors/run.hpp"
#include "history/fact.hpp"
#include "oracle/checks.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

namespace calldrill::testing {

inline scenario small_drill(std::uint64_t seed = 7) {
  using namespace std::chrono;
  scenario s;
  s.name = "small-drill";
  s.source = "test";
  pool_spec a;
  a.fqdn = "a.test";
  a.backup = "b.test";
  a.users = 400;
  a.registrations_per_second = 20;
  pool_spec b = a;
  b.fqdn = "b.test";
  b.backup = "a.test";
  pool_spec c = a;
  c.fqdn = "c.test";
  c.backup.clear();
  s.pools = {a, b, c};
  s.ranges = {{"ra", "*100", "*199", range_type::group_pickup, "a.test", {}},
              {"rb", "*200", "*299", range_type::group_pickup, "b.test", {}},
              {"rc", "*300", "*399", range_type::group_pickup, "c.test", {}}};
  s.grouping.group_size = 10;
  s.grouping.share_in_groups = 1.0;
  s.traffic.stages = {{hours{1}, 6.0}};
  s.traffic.answer_probability = 0.3;
  s.traffic.pickup_probability = 0.9;
  s.traffic.hold_mean = seconds{150};
  s.clients.failover_interval = seconds{30};
  s.clients.detect_jitter = seconds{10};
  s.clients.move_jitter = seconds{10};
  s.drill = {
    action_at(minutes{5}, action_kind::pool_outage, "a.test"),
    action_at(minutes{6}, action_kind::invoke_failover, "a.test"),
    action_at(minutes{8}, action_kind::failover_complete, "a.test"),
    action_at(minutes{9}, action_kind::set_orbit, "b.test", "ra"),
    action_at(minutes{10}, action_kind::pool_restore, "a.test"),
    action_at(minutes{11}, action_kind::invoke_failback, "a.test"),
    action_at(minutes{13}, action_kind::failback_complete, "a.test"),
    action_at(minutes{14}, action_kind::set_orbit, "a.test", "ra"),
  };
  s.run.duration = minutes{16};
  s.run.seed = seed;
  s.run.seed_given = true;
  s.run.users_per_host = 100;
  return s;
}

/// Keeps every fact of a run.
struct recorder : fact_sink {
  std::vector<fact> facts;
  void put(const fact& f) override { facts.push_back(f); }
};

/// A checked run and its whole history.
struct recorded {
  checked_run run;
  std::vector<fact> facts;
};

/// Builds `s`, runs it with the checker and keeps its history.
inline recorded play(const scenario& s, run_hooks hooks = {}) {
  auto shared = std::make_shared<scenario>(s);
  auto built = build_topology(*shared);
  if (!built.errors.empty())
    throw std::runtime_error(built.errors.front());
  recorder r;
  auto run = run_checked(shared, built.topo, std::move(hooks), &r);
  return {std::move(run), std::move(r.facts)};
}

/// Builds and runs a scenario in virtual time.
inline run_result run(const scenario& s) {
  auto shared = std::make_shared<scenario>(s);
  auto built = build_topology(*shared);
  if (!built.errors.empty())
    throw std::runtime_error(built.errors.front());
  return run_scenario(shared, built.topo);
}

/// Builds and runs a scenario in virtual time with the checker attached.
inline checked_run check(const scenario& s, run_hooks hooks = {}) {
  auto shared = std::make_shared<scenario>(s);
  auto built = build_topology(*shared);
  if (!built.errors.empty())
    throw std::runtime_error(built.errors.front());
  return run_checked(shared, built.topo, std::move(hooks));
}

} // namespace calldrill::testing
