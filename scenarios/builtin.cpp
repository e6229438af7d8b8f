// The default drill: two paired pools with pickup groups homed on their own
// pool, Call Park enabled on both, a bystander pool, 100 calls/s for 80
// simulated minutes, and the whole failover and failback runbook.
#include "scenarios/builtin.hpp"

namespace calldrill {

namespace {

using std::chrono::minutes;

drill_action step(minutes at, action_kind k, std::string pool,
                  std::string range = {}) {
  drill_action a;
  a.at = at;
  a.kind = k;
  a.pool = std::move(pool);
  a.range = std::move(range);
  return a;
}

} // namespace

scenario default_drill() {
  scenario s;
  s.name = "default-drill";
  s.source = "built-in";
  const std::string a = "fe-a.calldrill.test";
  const std::string b = "fe-b.calldrill.test";
  const std::string c = "fe-c.calldrill.test";
  pool_spec pa;
  pa.fqdn = a;
  pa.site = "east";
  pa.backup = b;
  pa.users = 20000;
  pool_spec pb = pa;
  pb.fqdn = b;
  pb.site = "west";
  pb.backup = a;
  pool_spec pc = pa;
  pc.fqdn = c;
  pc.site = "north";
  pc.backup.clear();
  pc.users = 10000;
  s.pools = {pa, pb, pc};
  s.ranges = {
    {"gcp-a", "*1000", "*1999", range_type::group_pickup, a, {}},
    {"gcp-b", "*2000", "*2999", range_type::group_pickup, b, {}},
    {"gcp-c", "*3000", "*3999", range_type::group_pickup, c, {}},
    {"park-a", "5000", "5099", range_type::call_park, a, {}},
  };
  s.grouping.group_size = 20;
  s.grouping.share_in_groups = 0.6;
  s.run.duration = minutes{80};
  s.traffic.stages = {{std::chrono::hours{24}, 100.0}}; // until the run ends
  s.drill = {
    step(minutes{10}, action_kind::pool_outage, a),
    step(minutes{16}, action_kind::invoke_failover, a),
    step(minutes{26}, action_kind::failover_complete, a),
    step(minutes{30}, action_kind::set_orbit, b, "gcp-a"),
    step(minutes{45}, action_kind::pool_restore, a),
    step(minutes{50}, action_kind::invoke_failback, a),
    step(minutes{62}, action_kind::failback_complete, a),
    step(minutes{66}, action_kind::set_orbit, a, "gcp-a"),
  };
  return s;
}

} // namespace calldrill
