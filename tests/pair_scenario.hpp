// The smallest DR pair for model tests: a.test and b.test back each other up,
// ten users each, a GroupPickup range homed on each pool.
#pragma once

#include "model/scenario.hpp"
#include "model/topology.hpp"
#include "model/world.hpp"

#include <memory>

#include <string>

namespace calldrill::testing {

inline scenario pair_scenario() {
  scenario s;
  pool_spec a;
  a.fqdn = "a.test";
  a.backup = "b.test";
  a.users = 10;
  pool_spec b = a;
  b.fqdn = "b.test";
  b.backup = "a.test";
  s.pools = {a, b};
  s.ranges = {{"ra", "*100", "*199", range_type::group_pickup, "a.test", {}},
              {"rb", "*200", "*299", range_type::group_pickup, "b.test", {}}};
  return s;
}

/// Adds a second pair to `s`: c.test and d.test, each like its first pool
/// and with a GroupPickup range of its own.
inline void add_second_pair(scenario& s) {
  auto c = s.pools[0];
  c.fqdn = "c.test";
  c.backup = "d.test";
  auto d = c;
  d.fqdn = "d.test";
  d.backup = "c.test";
  s.pools.push_back(c);
  s.pools.push_back(d);
  s.ranges.push_back({"rc", "*300", "*399", range_type::group_pickup, "c.test", {}});
  s.ranges.push_back({"rd", "*400", "*499", range_type::group_pickup, "d.test", {}});
}

inline drill_action act(action_kind k, std::string pool, std::string range = {}) {
  return action_at(sim_duration{0}, k, std::move(pool), std::move(range));
}

/// The pair's topology and a world over it, for fixtures to build on.
struct pair_world {
  scenario s = pair_scenario();
  std::shared_ptr<const topology> topo = build_topology(s).topo;
  world w{*topo};
  std::string error;
};

} // namespace calldrill::testing
