// Building the topology: pairing pools, checking orbit ranges and handing
// out pickup group numbers from each pool's own GroupPickup ranges.
#include "model/topology.hpp"

#include <cmath>

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
  user_id next_user = 0;
  for (const auto& p : s.pools) {
    pool_info info;
    info.fqdn = p.fqdn;
    info.call_park_enabled = p.call_park_enabled;
    info.registrations_per_second = p.registrations_per_second;
    info.first_user = next_user;
    info.users = p.users;
    if (t.find_pool(p.fqdn) != no_pool)
      errs.push_back(at(p.where, "fqdn") + ": pool " + p.fqdn
                     + " is declared twice");
    if (p.registrations_per_second <= 0)
      errs.push_back(at(p.where, "registrations_per_second")
                     + ": must be greater than 0");
    next_user += p.users;
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

void add_users_and_groups(const scenario& s, topology& t,
                          std::vector<std::string>& errs) {
  user_id total = 0;
  for (const auto& p : t.pools)
    total += p.users;
  t.user_home.resize(total);
  t.user_group.assign(total, no_group);
  const auto size = s.grouping.group_size;
  for (std::size_t pi = 0; pi < t.pools.size(); ++pi) {
    const auto& pool = t.pools[pi];
    for (user_id u = 0; u < pool.users; ++u)
      t.user_home[pool.first_user + u] = static_cast<pool_id>(pi);
    if (size == 0)
      continue;
    auto grouped = static_cast<std::uint32_t>(
      std::llround(s.grouping.share_in_groups * pool.users));
    auto needed = (grouped + size - 1) / size;
    std::uint32_t made = 0;
    for (std::size_t ri = 0; ri < t.ranges.size() && made < needed; ++ri) {
      const auto& r = t.ranges[ri];
      if (r.type != range_type::group_pickup || r.owner != pi
          || r.start.digits == 0)
        continue;
      for (auto v = r.start.value; v <= r.end.value && made < needed; ++v) {
        group_info g;
        orbit_number n = r.start;
        n.value = v;
        g.number = n.text();
        g.range = static_cast<range_id>(ri);
        g.first_member = pool.first_user + made * size;
        g.size = std::min(size, grouped - made * size);
        auto gid = static_cast<group_id>(t.groups.size());
        for (user_id m = 0; m < g.size; ++m)
          t.user_group[g.first_member + m] = gid;
        t.groups.push_back(std::move(g));
        ++made;
      }
    }
    if (made < needed)
      errs.push_back(at(s.pools[pi].where, "users") + ": pool " + pool.fqdn
                     + " needs " + std::to_string(needed)
                     + " pickup group numbers but its GroupPickup ranges "
                       "hold only "
                     + std::to_string(made));
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
  if (errs.empty())
    add_users_and_groups(s, *t, errs);
  if (!errs.empty())
    return {nullptr, std::move(errs)};
  return {std::move(t), {}};
}

} // namespace calldrill
