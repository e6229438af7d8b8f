// The checker's reading of the source's table over its own replica.
#include "checker/replica.hpp"

#include <algorithm>

namespace calldrill::checking {

column column_of_phase(pair_phase p) {
  switch (p) {
    case pair_phase::primary_outage:
    case pair_phase::failover_in_progress:
      return column::failover_during;
    case pair_phase::failover_complete:
    case pair_phase::ranges_redirected:
    case pair_phase::primary_restored:
      return column::failover_after;
    case pair_phase::failback_in_progress:
      return column::failback_during;
    case pair_phase::failback_complete:
    case pair_phase::ranges_redirected_back:
      return column::failback_after;
    case pair_phase::normal:
    default:
      return column::normal;
  }
}

world_view::world_view(const topology& t)
  : up(t.pools.size(), 1),
    downs(t.pools.size(), 0),
    orbit(t.ranges.size()),
    pairs(t.pairs.size()) {
  for (const auto& p : t.pools)
    call_park.push_back(p.call_park_enabled ? 1 : 0);
  for (std::size_t r = 0; r < t.ranges.size(); ++r)
    orbit[r] = t.ranges[r].owner;
}

replica::replica(const topology& t, sim_duration tolerance)
  : topo_(t), tolerance_(tolerance), now_(t) {
  users.resize(t.user_count());
  for (user_id u = 0; u < t.user_count(); ++u) {
    auto& r = users[u];
    r.home = t.home_of(u);
    r.held[0] = r.home;
    r.confirmed = r.home;
  }
}

void replica::world_changing(sim_duration at) {
  if (at == latest_)
    return; // the world before this instant is kept already
  latest_ = at;
  // A fact may be stamped up to the tolerance before the latest change and
  // still look up to the tolerance further back.
  auto keep_from = at - 2 * tolerance_;
  auto stale = std::find_if(past_.begin(), past_.end(), [&](const past_world& w) {
    return w.until >= keep_from;
  });
  past_.erase(past_.begin(), stale);
  past_.push_back(past_world{at, now_});
}

view_set replica::views(sim_duration at) const {
  view_buf_.clear();
  view_buf_.push_back(&now_);
  for (auto w = past_.rbegin(); w != past_.rend() && w->until >= at - tolerance_; ++w)
    view_buf_.push_back(&w->world);
  return view_set{view_buf_.data(), view_buf_.size()};
}

bool replica::affected(const world_view& w, user_id u) const {
  auto home = home_of(u);
  const auto& pv = w.pairs[topo_.pools[home].pair];
  return pv.failed == home && pv.phase != pair_phase::normal;
}

bool replica::held(const world_view& w, user_id u, pool_id p) const {
  if (p == no_pool || !w.up[p])
    return false;
  const auto& r = users[u];
  for (int i = 0; i < 2; ++i)
    if (r.held[i] == p && r.held_downs[i] == w.downs[p])
      return true;
  return false;
}

pool_id replica::serving(const world_view& w, user_id u) const {
  auto c = users[u].confirmed;
  return held(w, u, c) ? c : no_pool;
}

user_mode replica::mode(const world_view& w, user_id u, pool_id p) const {
  return held(w, u, p) ? mode_held(w, u, p) : user_mode::unregistered;
}

user_mode replica::mode_held(const world_view& w, user_id u, pool_id p) const {
  if (!affected(w, u))
    return user_mode::normal;
  auto home = home_of(u);
  switch (column_of_phase(w.pairs[topo_.pools[home].pair].phase)) {
    case column::failover_during:
    case column::failback_after:
      // Redirected to the backup, or not yet back home.
      return p != home ? user_mode::resiliency : user_mode::normal;
    case column::failback_during:
      return user_mode::resiliency; // redirected again, wherever it is
    default:
      return user_mode::normal;
  }
}

entry_reading replica::reading(const view_set& v, user_id callee,
                               pool_id p) const {
  entry_reading r;
  auto pair = topo_.pair_of_user(callee);
  r.epoch_lo = r.epoch_hi = v.newest().pairs[pair].epoch;
  r.resiliency_all = true;
  for (const auto* w : v) {
    auto e = w->pairs[pair].epoch;
    r.epoch_lo = std::min(r.epoch_lo, e);
    r.epoch_hi = std::max(r.epoch_hi, e);
    bool res = mode(*w, callee, p) == user_mode::resiliency;
    r.resiliency_any = r.resiliency_any || res;
    r.resiliency_all = r.resiliency_all && res;
  }
  return r;
}

bool replica::answerable(const world_view& w, const queued_call& q, pool_id p,
                         reading_of how) const {
  if (q.downs != w.downs[p] || mode(w, q.callee, p) != user_mode::normal)
    return false;
  bool every = how == reading_of::every;
  if (every ? q.reading.resiliency_any : q.reading.resiliency_all)
    return false;
  // An affected user's entry from an earlier phase is never answerable; a
  // bystander's is untouched by the partner's transitions.
  if (!affected(w, q.callee))
    return true;
  auto e = w.pairs[topo_.pair_of_user(q.callee)].epoch;
  return every ? q.reading.surely_in(e) : q.reading.maybe_in(e);
}

} // namespace calldrill::checking
