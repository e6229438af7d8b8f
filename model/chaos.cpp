// Expanding random chaos into drill actions, one DR cycle per drawn outage.
#include "model/chaos.hpp"

#include "model/rng.hpp"

#include <algorithm>

namespace calldrill {

namespace {

constexpr std::uint64_t chaos_stream = 77;

/// Everything drawn for one outage, drawn up front so that skipping one
/// never shifts the draws of the others.
struct outage_draw {
  sim_duration at{};
  pool_id pool = no_pool;
  sim_duration length{};
  sim_duration invoke_failover{}, failover_complete{}, redirect{};
  sim_duration invoke_failback{}, failback_complete{}, redirect_back{};
  bool forget_failover = false, forget_redirect = false;
  bool forget_failback = false, forget_redirect_back = false;
};

sim_duration draw(rng& r, const duration_range& d) {
  return r.between(d.min, d.max);
}

outage_draw draw_outage(rng& r, const chaos_spec& c,
                        const std::vector<pool_id>& pools) {
  outage_draw o;
  o.at = r.between(c.window_start, c.window_end);
  o.pool = pools[r.below(pools.size())];
  o.length = draw(r, c.outage);
  o.invoke_failover = draw(r, c.invoke_failover);
  o.failover_complete = draw(r, c.failover_complete);
  o.redirect = draw(r, c.redirect_ranges);
  o.invoke_failback = draw(r, c.invoke_failback);
  o.failback_complete = draw(r, c.failback_complete);
  o.redirect_back = draw(r, c.redirect_back);
  o.forget_failover = r.chance(c.forget_probability);
  o.forget_redirect = r.chance(c.forget_probability);
  o.forget_failback = r.chance(c.forget_probability);
  o.forget_redirect_back = r.chance(c.forget_probability);
  return o;
}

/// Appends one DR cycle; returns when the pair is free again.
sim_duration play_cycle(const topology& t, const chaos_spec& c,
                        const outage_draw& o, std::vector<drill_action>& out) {
  const auto& failed = t.pools[o.pool];
  const auto& backup = t.pools[failed.partner];
  auto add = [&](sim_duration at, action_kind k, const std::string& pool,
                 const std::string& range = {}) {
    drill_action a;
    a.at = at;
    a.kind = k;
    a.pool = pool;
    a.range = range;
    a.where = c.where;
    out.push_back(std::move(a));
  };
  auto redirect = [&](sim_duration at, const std::string& to) {
    for (const auto& r : t.ranges)
      if (r.type == range_type::group_pickup && r.owner == o.pool)
        add(at, action_kind::set_orbit, to, r.identity);
  };
  auto restored = o.at + o.length;
  add(o.at, action_kind::pool_outage, failed.fqdn);
  auto invoked = o.at + o.invoke_failover;
  if (o.forget_failover || invoked >= restored) {
    // Nobody failed over: the outage is a blip that ends with the restore.
    add(restored, action_kind::pool_restore, failed.fqdn);
    return restored;
  }
  add(invoked, action_kind::invoke_failover, failed.fqdn);
  auto last = invoked + o.failover_complete;
  add(last, action_kind::failover_complete, failed.fqdn);
  if (!o.forget_redirect) {
    last += o.redirect;
    redirect(last, backup.fqdn);
  }
  add(restored, action_kind::pool_restore, failed.fqdn);
  if (o.forget_failback)
    return sim_duration::max(); // users stay on the backup for good
  last = std::max(last, restored) + o.invoke_failback;
  add(last, action_kind::invoke_failback, failed.fqdn);
  last += o.failback_complete;
  add(last, action_kind::failback_complete, failed.fqdn);
  if (!o.forget_redirect_back) {
    last += o.redirect_back;
    redirect(last, failed.fqdn);
  }
  return last;
}

void sort_by_time(std::vector<drill_action>& v) {
  std::stable_sort(v.begin(), v.end(),
                   [](const drill_action& a, const drill_action& b) {
                     return a.at < b.at;
                   });
}

} // namespace

bool timeline_touches(const scenario& s, const topology& t, pair_id p) {
  auto in_pair = [&](pool_id q) { return q != no_pool && t.pools[q].pair == p; };
  for (const auto& a : s.drill) {
    if (in_pair(t.find_pool(a.pool)))
      return true;
    auto r = t.find_range(a.range);
    if (r < t.ranges.size() && in_pair(t.ranges[r].owner))
      return true;
  }
  return false;
}

std::vector<pool_id> chaos_candidates(const scenario& s, const topology& t) {
  std::vector<pool_id> out;
  if (!s.chaos.pools.empty()) {
    for (const auto& fqdn : s.chaos.pools) {
      auto p = t.find_pool(fqdn);
      if (p != no_pool && t.pools[p].partner != no_pool)
        out.push_back(p);
    }
    return out;
  }
  for (std::size_t p = 0; p < t.pools.size(); ++p)
    if (t.pools[p].partner != no_pool
        && !timeline_touches(s, t, t.pools[p].pair))
      out.push_back(static_cast<pool_id>(p));
  return out;
}

std::vector<drill_action> expand_chaos(const scenario& s, const topology& t,
                                       std::uint64_t seed) {
  std::vector<drill_action> out;
  const auto& c = s.chaos;
  auto pools = chaos_candidates(s, t);
  if (!c.enabled || pools.empty())
    return out;
  auto r = rng::derive(seed, chaos_stream);
  std::vector<outage_draw> draws;
  for (std::uint32_t i = 0; i < c.outages; ++i)
    draws.push_back(draw_outage(r, c, pools));
  std::stable_sort(draws.begin(), draws.end(),
                   [](const outage_draw& a, const outage_draw& b) {
                     return a.at < b.at;
                   });
  std::vector<sim_duration> free_at(t.pairs.size(), sim_duration::min());
  for (const auto& o : draws) {
    auto& busy = free_at[t.pools[o.pool].pair];
    if (o.at <= busy)
      continue;
    busy = play_cycle(t, c, o, out);
  }
  sort_by_time(out);
  return out;
}

std::vector<drill_action> full_drill(const scenario& s, const topology& t) {
  auto out = s.drill;
  auto chaos = expand_chaos(s, t, s.run.seed);
  out.insert(out.end(), chaos.begin(), chaos.end());
  sort_by_time(out);
  return out;
}

} // namespace calldrill
