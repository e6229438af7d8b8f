// Building the topology: pairing pools, checking orbit ranges and handing
// out pickup group numbers from each pool's own GroupPickup ranges.
#include "model/topology.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace calldrill {

pool_id topology::find_pool(std::string_view fqdn) const {
  for (std::size_t i = 0; i < pools.size(); ++i)
    if (pools[i].fqdn == fqdn)
      return static_cast<pool_id>(i);
  return no_pool;
}

range_id topology::find_range(std::string_view identity) const {
  for (std::size_t i = 0; i < ranges.size(); ++i)
    if (ranges[i].identity == identity)
      return static_cast<range_id>(i);
  return static_cast<range_id>(ranges.size());
}

namespace {

std::string at(const origin& where, const std::string& key) {
  return where.empty() ? key : where + ": " + key;
}

void add_pools(const scenario& s, topology& t, std::vector<std::string>& errs) {
  for (const auto& p : s.pools) {
    pool_info info;
    info.fqdn = p.fqdn;
    info.call_park_enabled = p.call_park_enabled;
    info.registrations_per_second = p.registrations_per_second;
    info.users = p.users;
    if (t.find_pool(p.fqdn) != no_pool)
      errs.push_back(at(p.where, "fqdn") + ": pool " + p.fqdn
                     + " is declared twice");
    if (p.registrations_per_second <= 0)
      errs.push_back(at(p.where, "registrations_per_second")
                     + ": must be greater than 0");
    t.pools.push_back(std::move(info));
  }
}

void pair_pools(const scenario& s, topology& t, std::vector<std::string>& errs) {
  for (std::size_t i = 0; i < s.pools.size(); ++i) {
    const auto& p = s.pools[i];
    if (p.backup.empty())
      continue;
    auto b = t.find_pool(p.backup);
    if (b == no_pool) {
      errs.push_back(at(p.where, "backup") + ": pool " + p.fqdn
                     + " names backup " + p.backup + ", which is not declared");
      continue;
    }
    if (b == i) {
      errs.push_back(at(p.where, "backup") + ": pool " + p.fqdn
                     + " cannot be its own backup");
      continue;
    }
    auto& self = t.pools[i];
    auto& other = t.pools[b];
    if ((self.partner != no_pool && self.partner != b)
        || (other.partner != no_pool && other.partner != i)) {
      errs.push_back(at(p.where, "backup") + ": pool " + p.fqdn
                     + " and " + p.backup
                     + " cannot pair: one of them already pairs with another "
                       "pool (a DR pair is exactly two pools)");
      continue;
    }
    self.partner = b;
    other.partner = static_cast<pool_id>(i);
  }
  for (std::size_t i = 0; i < t.pools.size(); ++i) {
    auto& p = t.pools[i];
    if (p.partner != no_pool && p.partner < i) {
      p.pair = t.pools[p.partner].pair;
      continue;
    }
    pair_info pr;
    pr.a = static_cast<pool_id>(i);
    pr.b = p.partner;
    pr.name = p.fqdn + (p.partner != no_pool ? "/" + t.pools[p.partner].fqdn
                                             : std::string{});
    p.pair = static_cast<pair_id>(t.pairs.size());
    t.pairs.push_back(std::move(pr));
  }
}

void add_ranges(const scenario& s, topology& t, std::vector<std::string>& errs) {
  for (const auto& r : s.ranges) {
    range_info info;
    info.identity = r.identity;
    info.type = r.type;
    std::string why;
    auto start = parse_orbit_number(r.start, &why);
    if (!start)
      errs.push_back(at(r.where, "start") + ": " + r.start + ": " + why);
    auto end = parse_orbit_number(r.end, &why);
    if (!end)
      errs.push_back(at(r.where, "end") + ": " + r.end + ": " + why);
    if (start && end) {
      auto bad = check_orbit_range(*start, *end);
      if (!bad.empty())
        errs.push_back(at(r.where, "end") + ": range " + r.identity + ": "
                       + bad);
      info.start = *start;
      info.end = *end;
    }
    info.owner = t.find_pool(r.call_park_service);
    if (info.owner == no_pool)
      errs.push_back(at(r.where, "call_park_service") + ": range "
                     + r.identity + " points at " + r.call_park_service
                     + ", which is not a pool of the topology");
    if (t.find_range(r.identity) != t.ranges.size())
      errs.push_back(at(r.where, "identity") + ": range " + r.identity
                     + " is declared twice");
    for (const auto& other : t.ranges)
      if (start && end && other.start.digits != 0
          && overlaps(*start, *end, other.start, other.end))
        errs.push_back(at(r.where, "start") + ": range " + r.identity
                       + " overlaps range " + other.identity);
    t.ranges.push_back(std::move(info));
  }
}

/// Where group numbers come from: each range hands out its numbers in order,
/// skipping those reserved for spanning groups.
struct number_source {
  std::vector<std::uint64_t> next;         ///< per range: next value to try
  std::set<std::pair<range_id, std::uint64_t>> reserved;

  explicit number_source(const topology& t) {
    for (const auto& r : t.ranges)
      next.push_back(r.start.value);
  }

  /// The next free number of range `ri`, if any.
  std::optional<orbit_number> take(const topology& t, range_id ri) {
    const auto& r = t.ranges[ri];
    while (next[ri] <= r.end.value) {
      auto v = next[ri]++;
      if (reserved.count({ri, v}) == 0) {
        orbit_number n = r.start;
        n.value = v;
        return n;
      }
    }
    return std::nullopt;
  }
};

/// The GroupPickup range holding number `n`, or ranges.size().
range_id range_holding(const topology& t, const orbit_number& n) {
  for (std::size_t ri = 0; ri < t.ranges.size(); ++ri) {
    const auto& r = t.ranges[ri];
    if (r.type == range_type::group_pickup && r.start.digits != 0
        && overlaps(n, n, r.start, r.end))
      return static_cast<range_id>(ri);
  }
  return static_cast<range_id>(t.ranges.size());
}

/// Members each listed pool gives to one spanning group of `size`.
std::uint32_t share_of(std::uint32_t size, std::size_t pools, std::size_t i) {
  auto n = static_cast<std::uint32_t>(pools);
  return size / n + (i < size % n ? 1u : 0u);
}

/// Checks the spanning groups, reserves their numbers and counts the members
/// each pool gives them. Returns the pools of each rule (empty if invalid).
std::vector<std::vector<pool_id>>
plan_spanning(const scenario& s, const topology& t, number_source& numbers,
              std::vector<std::uint32_t>& given, std::vector<std::string>& errs) {
  std::vector<std::vector<pool_id>> plans;
  for (const auto& g : s.spanning_groups) {
    std::vector<pool_id> pools;
    bool ok = true;
    for (const auto& fqdn : g.pools) {
      auto p = t.find_pool(fqdn);
      if (p == no_pool) {
        errs.push_back(at(g.where, "pools") + ": pool " + fqdn
                       + " is not a pool of the topology");
        ok = false;
      } else if (std::find(pools.begin(), pools.end(), p) != pools.end()) {
        errs.push_back(at(g.where, "pools") + ": pool " + fqdn
                       + " is listed twice");
        ok = false;
      }
      pools.push_back(p);
    }
    if (pools.size() < 2) {
      errs.push_back(at(g.where, "pools")
                     + ": a spanning group needs at least two pools");
      ok = false;
    }
    if (ok && g.group_size < pools.size()) {
      errs.push_back(at(g.where, "group_size") + ": a group of "
                     + std::to_string(g.group_size) + " cannot span "
                     + std::to_string(pools.size()) + " pools");
      ok = false;
    }
    std::string why;
    auto first = parse_orbit_number(g.first_number, &why);
    auto ri = first ? range_holding(t, *first) : t.ranges.size();
    if (!first) {
      errs.push_back(at(g.where, "first_number") + ": " + g.first_number + ": "
                     + why);
      ok = false;
    } else if (ri == t.ranges.size()) {
      errs.push_back(at(g.where, "first_number") + ": group number "
                     + g.first_number + " is outside any GroupPickup range");
      ok = false;
    } else if (g.count > 0
               && first->value + (g.count - 1) > t.ranges[ri].end.value) {
      errs.push_back(at(g.where, "count") + ": "
                     + std::to_string(g.count) + " groups numbered from "
                     + g.first_number + " run past the end of range "
                     + t.ranges[ri].identity);
      ok = false;
    } else {
      for (std::uint32_t k = 0; k < g.count; ++k)
        if (!numbers.reserved.insert({static_cast<range_id>(ri),
                                      first->value + k}).second) {
          errs.push_back(at(g.where, "first_number")
                         + ": group numbers overlap another spanning group's");
          ok = false;
          break;
        }
    }
    if (!ok) {
      plans.emplace_back();
      continue;
    }
    for (std::size_t i = 0; i < pools.size(); ++i)
      given[pools[i]] += g.count * share_of(g.group_size, pools.size(), i);
    plans.push_back(std::move(pools));
  }
  return plans;
}

/// The ranges a pool's own groups take numbers from.
std::vector<range_id> ranges_of(const scenario& s, const topology& t,
                                std::size_t pi, const grouping_spec& g,
                                std::vector<std::string>& errs) {
  std::vector<range_id> out;
  if (g.ranges.empty()) {
    for (std::size_t ri = 0; ri < t.ranges.size(); ++ri)
      if (t.ranges[ri].type == range_type::group_pickup
          && t.ranges[ri].owner == pi && t.ranges[ri].start.digits != 0)
        out.push_back(static_cast<range_id>(ri));
    return out;
  }
  for (const auto& id : g.ranges) {
    auto ri = t.find_range(id);
    if (ri == t.ranges.size())
      errs.push_back(at(s.pools[pi].where, "grouping.ranges") + ": no orbit "
                     "range named " + id);
    else if (t.ranges[ri].type != range_type::group_pickup)
      errs.push_back(at(s.pools[pi].where, "grouping.ranges") + ": range " + id
                     + " is of type CallPark, not GroupPickup");
    else
      out.push_back(ri);
  }
  return out;
}

/// Lays out one pool's own users, its groups first, from `next_user` on.
void add_pool_users(const scenario& s, topology& t, std::size_t pi,
                    std::uint32_t own, number_source& numbers,
                    user_id& next_user, std::vector<std::string>& errs) {
  auto& pool = t.pools[pi];
  pool.first_user = next_user;
  for (user_id u = 0; u < own; ++u)
    t.user_home[next_user + u] = static_cast<pool_id>(pi);
  const auto& g = s.pools[pi].grouping ? *s.pools[pi].grouping : s.grouping;
  const auto size = g.group_size;
  auto sources = ranges_of(s, t, pi, g, errs);
  if (size > 0) {
    auto grouped = static_cast<std::uint32_t>(
      std::llround(g.share_in_groups * own));
    auto needed = (grouped + size - 1) / size;
    std::uint32_t made = 0;
    for (auto ri : sources)
      while (made < needed) {
        auto n = numbers.take(t, ri);
        if (!n)
          break;
        group_info info;
        info.number = n->text();
        info.range = ri;
        info.first_member = next_user + made * size;
        info.size = std::min(size, grouped - made * size);
        auto gid = static_cast<group_id>(t.groups.size());
        for (user_id m = 0; m < info.size; ++m)
          t.user_group[info.first_member + m] = gid;
        t.groups.push_back(std::move(info));
        ++made;
      }
    if (made < needed)
      errs.push_back(at(s.pools[pi].where, "users") + ": pool " + pool.fqdn
                     + " needs " + std::to_string(needed)
                     + " pickup group numbers but its GroupPickup ranges "
                       "hold only "
                     + std::to_string(made));
  }
  next_user += own;
}

void add_users_and_groups(const scenario& s, topology& t,
                          std::vector<std::string>& errs) {
  user_id total = 0;
  for (const auto& p : t.pools)
    total += p.users;
  t.user_home.assign(total, no_pool);
  t.user_group.assign(total, no_group);
  number_source numbers{t};
  std::vector<std::uint32_t> given(t.pools.size(), 0);
  auto plans = plan_spanning(s, t, numbers, given, errs);
  for (std::size_t pi = 0; pi < t.pools.size(); ++pi)
    if (given[pi] > t.pools[pi].users)
      errs.push_back(at(s.pools[pi].where, "users") + ": pool "
                     + t.pools[pi].fqdn + " has "
                     + std::to_string(t.pools[pi].users) + " users but its "
                       "spanning groups need "
                     + std::to_string(given[pi]));
  if (!errs.empty())
    return;
  user_id next_user = 0;
  for (std::size_t pi = 0; pi < t.pools.size(); ++pi)
    add_pool_users(s, t, pi, t.pools[pi].users - given[pi], numbers, next_user,
                   errs);
  // Spanning groups sit after every pool's own block, members contiguous.
  for (std::size_t k = 0; k < plans.size(); ++k) {
    const auto& g = s.spanning_groups[k];
    auto first = *parse_orbit_number(g.first_number);
    auto ri = range_holding(t, first);
    for (std::uint32_t c = 0; c < g.count; ++c) {
      group_info info;
      orbit_number n = first;
      n.value += c;
      info.number = n.text();
      info.range = ri;
      info.first_member = next_user;
      info.size = g.group_size;
      auto gid = static_cast<group_id>(t.groups.size());
      for (std::size_t i = 0; i < plans[k].size(); ++i)
        for (std::uint32_t m = 0; m < share_of(g.group_size, plans[k].size(), i);
             ++m) {
          t.user_home[next_user] = plans[k][i];
          t.user_group[next_user++] = gid;
        }
      t.groups.push_back(std::move(info));
    }
  }
}

} // namespace

topology_build build_topology(const scenario& s) {
  auto t = std::make_shared<topology>();
  std::vector<std::string> errs;
  if (s.pools.empty())
    errs.push_back("topology.pools: a scenario needs at least one pool");
  add_pools(s, *t, errs);
  pair_pools(s, *t, errs);
  add_ranges(s, *t, errs);
  if (errs.empty()) {
    add_users_and_groups(s, *t, errs);
  } else {
    // Still check the spanning groups, so every problem shows at once.
    number_source numbers{*t};
    std::vector<std::uint32_t> given(t->pools.size(), 0);
    plan_spanning(s, *t, numbers, given, errs);
  }
  if (!errs.empty())
    return {nullptr, std::move(errs)};
  return {std::move(t), {}};
}

} // namespace calldrill
