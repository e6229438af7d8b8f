// Semantic checks of a loaded scenario, reported by key path.
#include "scenarios/validate.hpp"

#include "model/chaos.hpp"
#include "model/duration_text.hpp"
#include "model/world.hpp"
#include "scenarios/budget.hpp"
#include "scenarios/limits.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace calldrill {

namespace {

/// Maps a topology error "where: key: message" to a key path and message.
std::pair<std::string, std::string> split_topology_error(const std::string& e) {
  static const std::map<std::string, std::string> yaml_key{
    {"registrations_per_second", "capacity.registrations_per_second"},
    {"grouping.ranges", "pickup_groups.ranges"},
    {"group_size", "size"}};
  auto a = e.find(": ");
  if (a == std::string::npos)
    return {"topology", e};
  auto where = e.substr(0, a);
  auto rest = e.substr(a + 2);
  auto b = rest.find(": ");
  if (where.find('[') == std::string::npos || b == std::string::npos)
    return {where, rest};
  auto key = rest.substr(0, b);
  auto i = yaml_key.find(key);
  return {where + "." + (i != yaml_key.end() ? i->second : key),
          rest.substr(b + 2)};
}

std::string per_minute(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f/min", v);
  return buf;
}

std::string pool_path(std::size_t i) {
  return "topology.pools[" + std::to_string(i) + "]";
}

void check_timeline_order(const scenario& s, diagnostics& d) {
  for (std::size_t i = 1; i < s.drill.size(); ++i)
    if (s.drill[i].at < s.drill[i - 1].at)
      d.error(s.drill[i].where + ".at",
              "actions must be in time order: " + format_duration(s.drill[i].at)
                + " comes after " + format_duration(s.drill[i - 1].at));
}

/// Checks the chaos settings against the topology; false if they are wrong.
bool check_chaos(const scenario& s, const topology& t, diagnostics& d) {
  const auto& c = s.chaos;
  if (!c.enabled)
    return true;
  auto before = d.errors();
  for (std::size_t i = 0; i < c.pools.size(); ++i) {
    auto path = c.where + ".pools[" + std::to_string(i) + "]";
    auto p = t.find_pool(c.pools[i]);
    if (p == no_pool)
      d.error(path, "no pool named " + c.pools[i]);
    else if (t.pools[p].partner == no_pool)
      d.error(path, "pool " + c.pools[i] + " has no backup: failing it "
                                           "over is impossible");
    else if (timeline_touches(s, t, t.pools[p].pair))
      d.error(path, "the timeline already drives pool " + c.pools[i]
                      + "'s pair; chaos needs a pair of its own");
  }
  if (c.pools.empty() && chaos_candidates(s, t).empty())
    d.error(c.where, "no pool for chaos to fail: every pool with a backup "
                     "is driven by the timeline");
  return d.errors() == before;
}

/// Plays the whole drill through a copy of the phase machine.
void play_drill(const scenario& s, const topology& t, diagnostics& d) {
  world w{t};
  struct replaced {
    std::string path, old_fqdn, new_fqdn;
    std::vector<range_id> pending;
  };
  std::vector<replaced> replacements;
  bool late_reported = false;
  for (const auto& a : full_drill(s, t)) {
    auto path = a.where == s.chaos.where ? a.where : a.where + ".action";
    if (a.at >= s.run.duration && !late_reported) {
      d.warning(a.where + ".at", "at or after the end of the run ("
                                   + format_duration(s.run.duration)
                                   + "): this action and any later never play");
      late_reported = true;
    }
    std::string error;
    auto before = a.kind == action_kind::replace_pool ? w.find_pool(a.pool)
                                                      : no_pool;
    w.act(a, a.at, error);
    if (!error.empty()) {
      d.error(path, error);
      continue;
    }
    if (a.kind == action_kind::replace_pool) {
      replaced r{a.where, a.pool, a.new_fqdn, {}};
      for (std::size_t i = 0; i < t.ranges.size(); ++i)
        if (t.ranges[i].owner == before
            && t.ranges[i].type == range_type::group_pickup)
          r.pending.push_back(static_cast<range_id>(i));
      replacements.push_back(std::move(r));
    }
    if (a.kind == action_kind::set_orbit)
      for (auto& r : replacements)
        if (a.pool == r.new_fqdn)
          r.pending.erase(std::remove(r.pending.begin(), r.pending.end(),
                                      t.find_range(a.range)),
                          r.pending.end());
  }
  for (const auto& r : replacements)
    for (auto ri : r.pending)
      d.warning(r.path, "range " + t.ranges[ri].identity + " belonged to "
                          + r.old_fqdn + " and is never reassigned to "
                          + r.new_fqdn + " (set_orbit): its groups lose "
                          "Group Call Pickup once users live on "
                          + r.new_fqdn);
}

void warn_call_park(const topology& t, diagnostics& d) {
  for (std::size_t i = 0; i < t.pools.size(); ++i) {
    const auto& p = t.pools[i];
    if (p.partner == no_pool || p.call_park_enabled)
      continue;
    const auto& other = t.pools[p.partner].fqdn;
    d.warning(pool_path(i) + ".call_park",
              "Call Park is not enabled on " + p.fqdn + ", the backup of "
                + other + ": Group Call Pickup cannot work for " + other
                + "'s users after failover");
  }
}

void warn_capacity(const scenario& s, const topology& t, diagnostics& d) {
  double peak = 0;
  for (const auto& st : s.traffic.stages)
    peak = std::max(peak, st.rate_per_second);
  std::vector<std::uint64_t> grouped(t.pairs.size(), 0);
  for (user_id u = 0; u < t.user_count(); ++u)
    if (t.group_of(u) != no_group)
      ++grouped[t.pair_of_user(u)];
  auto users = std::max<double>(1, t.user_count());
  for (std::size_t i = 0; i < t.pools.size(); ++i) {
    const auto& p = t.pools[i];
    if (p.partner == no_pool)
      continue;
    const auto& spec = s.pools[i];
    const auto& other = t.pools[p.partner];
    auto path = pool_path(i) + ".capacity";
    auto both = std::uint64_t{p.users} + other.users;
    if (both > spec.capacity_users)
      d.warning(path + ".users",
                "backup pool " + p.fqdn + " holds " + std::to_string(spec.capacity_users)
                  + " users but must carry both pools' " + std::to_string(both)
                  + " during disaster recovery");
    auto gcp = peak * 60.0 * static_cast<double>(grouped[p.pair]) / users;
    if (gcp > spec.gcp_calls_per_minute)
      d.warning(path + ".gcp_calls_per_minute",
                "backup pool " + p.fqdn + " takes " + per_minute(spec.gcp_calls_per_minute)
                  + " GCP calls but both pools' groups bring "
                  + per_minute(gcp) + " at peak");
    auto pickups = gcp * s.traffic.pickup_probability;
    if (pickups > spec.pickups_per_minute)
      d.warning(path + ".pickups_per_minute",
                "backup pool " + p.fqdn + " takes " + per_minute(spec.pickups_per_minute)
                  + " pickups but both pools' groups bring "
                  + per_minute(pickups) + " at peak");
    auto storm = from_seconds(other.users / p.registrations_per_second);
    auto limit = s.expect.registration_storm_max;
    if (limit.count() > 0 && storm > limit)
      d.warning(path + ".registrations_per_second",
                "admitting " + other.fqdn + "'s " + std::to_string(other.users)
                  + " users on " + p.fqdn + " takes at least "
                  + format_duration(storm) + ", more than "
                  "expect.registration_storm_max ("
                  + format_duration(limit) + ")");
  }
}

void warn_split_groups(const scenario& s, const topology& t, diagnostics& d) {
  for (std::size_t i = 0; i < s.pools.size(); ++i) {
    if (!s.pools[i].grouping)
      continue;
    for (const auto& id : s.pools[i].grouping->ranges) {
      auto ri = t.find_range(id);
      if (ri < t.ranges.size() && t.ranges[ri].owner != i)
        d.warning(pool_path(i) + ".pickup_groups.ranges",
                  "range " + id + " is owned by "
                    + t.pools[t.ranges[ri].owner].fqdn + " but these groups' "
                    "members are served by " + t.pools[i].fqdn
                    + ": their calls cannot be picked up");
    }
  }
  for (std::size_t k = 0; k < s.spanning_groups.size(); ++k) {
    const auto& g = s.spanning_groups[k];
    auto path = "topology.spanning_groups[" + std::to_string(k) + "]";
    for (const auto& gi : t.groups)
      if (gi.number == g.first_number) {
        const auto& owner = t.pools[t.ranges[gi.range].owner].fqdn;
        for (const auto& fqdn : g.pools)
          if (fqdn != owner)
            d.warning(path + ".pools",
                      "group " + g.first_number + "'s range "
                        + t.ranges[gi.range].identity + " is owned by " + owner
                        + " but members homed on " + fqdn + " are served by "
                        + fqdn + ": their calls cannot be picked up while the "
                        "range points at " + owner);
        break;
      }
  }
}

void warn_pointless(const scenario& s, diagnostics& d) {
  bool outage = s.chaos.enabled;
  for (const auto& a : s.drill)
    outage = outage || a.kind == action_kind::pool_outage;
  if (!outage)
    d.warning("drill", "the drill fails no pool: no DR phase is entered, so "
                       "the verdict's coverage check fails");
  bool calls = false;
  double expected = 0; // arrivals the stages bring within the run
  auto left = s.run.duration;
  for (const auto& st : s.traffic.stages) {
    calls = calls || st.rate_per_second > 0;
    auto len = std::min(st.duration, left);
    expected += st.rate_per_second * to_seconds(len);
    left -= len;
  }
  if (!calls && !s.traffic.stages.empty())
    d.warning("traffic.stages", "every stage has a rate of 0: no calls");
  else if (calls && expected < 1)
    d.warning("traffic.stages", "the stages bring fewer than one call in "
                                "the whole run: expect none");
}

/// A copy of `s` stripped of what its topology errors are about (bad pairs,
/// bad ranges, groups), so its drill can still be played through the phase
/// machine. Actions naming a stripped pool or range are dropped.
scenario lenient_copy(const scenario& s) {
  auto c = s;
  c.grouping.group_size = 0;
  c.spanning_groups.clear();
  std::set<std::string> fqdns, dropped;
  for (auto& p : c.pools) {
    p.grouping.reset();
    fqdns.insert(p.fqdn);
  }
  for (auto& p : c.pools)
    if (!p.backup.empty() && (p.backup == p.fqdn || fqdns.count(p.backup) == 0)) {
      dropped.insert(p.fqdn);
      p.backup.clear();
    }
  std::vector<orbit_range_spec> kept;
  for (const auto& r : c.ranges) {
    auto a = parse_orbit_number(r.start);
    auto b = parse_orbit_number(r.end);
    bool ok = a && b && check_orbit_range(*a, *b).empty()
              && fqdns.count(r.call_park_service) > 0;
    for (const auto& k : kept)
      ok = ok && k.identity != r.identity
           && !overlaps(*a, *b, *parse_orbit_number(k.start),
                        *parse_orbit_number(k.end));
    if (ok)
      kept.push_back(r);
    else
      dropped.insert(r.identity);
  }
  c.ranges = std::move(kept);
  c.drill.erase(std::remove_if(c.drill.begin(), c.drill.end(),
                               [&](const drill_action& a) {
                                 return dropped.count(a.pool) > 0
                                        || dropped.count(a.range) > 0;
                               }),
                c.drill.end());
  return c;
}

} // namespace

std::shared_ptr<const topology> validate_scenario(const scenario& s,
                                                  diagnostics& d) {
  check_timeline_order(s, d);
  // Caps first, counted from the file alone: building what they forbid is
  // what they are there to prevent (64 pools of a million users each took
  // 26 s and 3.5 GB before the cap was reported).
  if (scenario_users(s) > limits::users_total_max)
    return nullptr; // the reader reported it
  if (auto groups = scenario_groups(s); groups > limits::groups_total_max) {
    d.error("topology", "at most " + std::to_string(limits::groups_total_max)
                          + " pickup groups in all, the pools' pickup_groups "
                            "make " + std::to_string(groups));
    return nullptr;
  }
  auto built = build_topology(s);
  for (const auto& e : built.errors) {
    auto [path, message] = split_topology_error(e);
    d.error(path, message);
  }
  warn_pointless(s, d);
  if (!built.topo) {
    auto c = lenient_copy(s);
    if (auto lenient = build_topology(c).topo) {
      if (!check_chaos(c, *lenient, d))
        c.chaos.enabled = false;
      play_drill(c, *lenient, d);
    }
    return nullptr;
  }
  const auto& t = *built.topo;
  if (t.groups.size() > limits::groups_total_max)
    d.error("topology", "at most " + std::to_string(limits::groups_total_max)
                          + " pickup groups in all, got "
                          + std::to_string(t.groups.size()));
  if (check_chaos(s, t, d)) {
    play_drill(s, t, d);
  } else {
    auto written = s; // chaos is wrong: play only what is written
    written.chaos.enabled = false;
    play_drill(written, t, d);
  }
  warn_call_park(t, d);
  warn_capacity(s, t, d);
  warn_split_groups(s, t, d);
  return built.topo;
}

} // namespace calldrill
