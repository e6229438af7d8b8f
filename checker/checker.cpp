// The checker's replay: each fact updates its own replica and is judged
// against the table as the checker reads it. A decision made when the world
// had just changed is judged under every world its actor may have acted on
// (the one before a change at the same instant in virtual time; those of the
// run's tolerance in realtime, where actors see changes late): a success
// must be allowed under one of them, and a refusal is an availability
// failure only when all of them allow.
#include "checker/checker.hpp"

#include "checker/outcomes.hpp"
#include "checker/replica.hpp"
#include "checker/tally.hpp"
#include "model/duration_text.hpp"

#include <algorithm>
#include <unordered_map>

namespace calldrill {

using namespace checking;

namespace {

enum class call_state : std::uint8_t { ringing, established };

struct live_call {
  user_id callee = 0;
  group_id group = no_group;
  pool_id rang = no_pool;
  sim_duration started{};
  sim_duration established{};
  sim_duration hold{};
  call_state state = call_state::ringing;
  bool queued = false;
  bool taken = false;
  bool expect_queue = false;
};

struct attempt {
  user_id picker = 0;
  user_id callee = 0; ///< of the ringing call that prompted it
  bool callee_known = false;
  group_id group = 0;
  pool_id dest = no_pool;
  bool picker_ok_any = false, picker_ok_all = false;
  bool picker_res = false, picker_unreg = false;
  bool routed_any = false, routed_all = false;
  bool picker_affected = false;
};

/// A deferred look at the world: an instant after `at`.
struct checkpoint {
  enum kind_t : std::uint8_t { stale_left, recovery } kind;
  sim_duration at{};
  pair_id pair = 0;
  std::uint32_t epoch = 0;
  std::uint64_t downs = 0; ///< outages of the pair's pools when scheduled
};

/// The span before a decision whose worlds its actor may have acted on.
sim_duration tolerance_of(const scenario& s) {
  return s.run.clock == clock_kind::realtime ? s.run.tolerance : sim_duration{0};
}

std::string id_text(std::uint64_t id) { return std::to_string(id); }
std::string at_text(sim_duration at) {
  if (at < sim_duration{0})
    return "-" + format_clock(-at);
  return format_clock(at);
}

} // namespace

struct history_checker::impl {
  std::shared_ptr<const topology> topo_ptr;
  const topology& topo;
  scenario scn;
  replica rep;
  std::vector<pair_tally> pairs;
  run_tally run;
  history_counts counts;
  std::unordered_map<call_id, live_call> calls;
  std::unordered_map<std::uint64_t, attempt> attempts;
  /// Ringing group calls that must be queued by `due`.
  std::vector<std::pair<call_id, sim_duration>> awaiting_queue;
  std::vector<checkpoint> checkpoints;
  std::vector<checkpoint> to_schedule; ///< at the end of this instant
  std::vector<std::uint32_t> unregistered_home; ///< per pool, homed users
  std::vector<std::string> fqdn; ///< each pool's name now (replace_pool)
  sim_duration current{-1};
  sim_duration tolerance{};
  sim_duration lag{}; ///< the largest lateness the run reported

  impl(std::shared_ptr<const topology> t, const scenario& s)
    : topo_ptr(std::move(t)), topo(*topo_ptr), scn(s),
      rep(topo, tolerance_of(s)),
      pairs(topo.pairs.size()), unregistered_home(topo.pools.size(), 0),
      tolerance(tolerance_of(s)) {
    for (const auto& p : topo.pools)
      fqdn.push_back(p.fqdn);
    for (std::size_t p = 0; p < topo.pairs.size(); ++p) {
      pairs[p].figures.pair = topo.pairs[p].name;
      pairs[p].cells[static_cast<std::size_t>(column::normal)].entered = true;
    }
  }

  // -- where things are counted ----------------------------------------------

  pair_id pair_of(user_id u) const { return topo.pair_of_user(u); }
  column column_now(pair_id p) const {
    return column_of_phase(rep.now().pairs[p].phase);
  }
  /// The cell a user's event counts in: its pair's column when it is an
  /// affected user or the pair is in normal operation; else a bystander.
  cell_tally& cell_for(user_id u) {
    auto p = pair_of(u);
    auto col = column_now(p);
    if (col == column::normal || rep.affected(rep.now(), u))
      return pairs[p].cells[static_cast<std::size_t>(col)];
    return run.bystanders;
  }

  std::uint64_t pair_downs(pair_id p) const {
    const auto& pr = topo.pairs[p];
    std::uint64_t n = rep.now().downs[pr.a];
    if (pr.b != no_pool)
      n += rep.now().downs[pr.b];
    return n;
  }

  /// How long users may take to be back after an event: noticing (the
  /// failover interval and its jitter, or their next registration refresh
  /// when `refresh`), moving, and the registrars' admission of the whole
  /// pair at the slower rate, plus a minute.
  sim_duration recovery_bound(pair_id p, bool refresh = false) const {
    const auto& c = scn.clients;
    const auto& pr = topo.pairs[p];
    double users = topo.pools[pr.a].users;
    double rate = topo.pools[pr.a].registrations_per_second;
    if (pr.b != no_pool) {
      users += topo.pools[pr.b].users;
      rate = std::min(rate, topo.pools[pr.b].registrations_per_second);
    }
    auto admission = from_seconds(users / std::max(rate, 1e-3));
    return c.failover_interval + c.detect_jitter
           + (refresh ? c.registration_refresh : sim_duration{0})
           + c.move_jitter + admission + std::chrono::seconds{60};
  }

  /// Looks at the world at `at`, unless the pair moves on before; the
  /// pair's state is taken at the end of this instant (a blip's restore
  /// and its return to normal come together).
  void schedule(checkpoint::kind_t k, sim_duration at, pair_id p) {
    to_schedule.push_back(checkpoint{k, at + tolerance, p, 0, 0});
  }

  // -- registrations ----------------------------------------------------------

  void set_registered(user_id u, bool on, sim_duration at) {
    auto& r = rep.users[u];
    if (r.registered == on)
      return;
    r.registered = on;
    auto home = topo.home_of(u);
    auto& pt = pairs[topo.pools[home].pair];
    if (!on) {
      r.unregistered_since = at;
      ++unregistered_home[home];
      return;
    }
    --unregistered_home[home];
    pt.figures.unregistered_user_seconds += to_seconds(at - r.unregistered_since);
    if (pt.awaiting_service && pt.figures.outage && home == rep.now().pairs[topo.pools[home].pair].failed
        && unregistered_home[home] == 0) {
      pt.awaiting_service = false;
      pt.figures.time_to_service = to_seconds(at - pt.outage_at);
      if (pt.first_request >= sim_duration{0})
        pt.figures.storm_drain = to_seconds(at - pt.first_request);
    }
  }

  void refresh_registered(user_id u, sim_duration at) {
    auto c = rep.users[u].confirmed;
    set_registered(u, rep.held(rep.now(), u, c), at);
  }

  void on_admitted(const fact& f) {
    auto& r = rep.users[f.user];
    auto downs = rep.now().downs[f.pool];
    int slot = -1;
    for (int i = 0; i < 2; ++i)
      if (r.held[i] == f.pool)
        slot = i;
    if (slot < 0)
      slot = (r.held[0] == r.confirmed
              && rep.held(rep.now(), f.user, r.held[0])) ? 1 : 0;
    r.held[slot] = f.pool;
    r.held_downs[slot] = downs;
    ++run.registrations;
    ++counts.registrations;
    if (r.requested_at >= sim_duration{0}) {
      run.longest_registration_wait
        = std::max(run.longest_registration_wait, f.at - r.requested_at);
      r.requested_at = sim_duration{-1};
    }
    refresh_registered(f.user, f.at);
  }

  void on_dropped(const fact& f) {
    auto& r = rep.users[f.user];
    for (int i = 0; i < 2; ++i)
      if (r.held[i] == f.pool)
        r.held[i] = no_pool;
    refresh_registered(f.user, f.at);
  }

  void on_requested(const fact& f) {
    auto& r = rep.users[f.user];
    if (r.requested_at < sim_duration{0})
      r.requested_at = f.at;
    auto& pt = pairs[pair_of(f.user)];
    if (pt.awaiting_service && pt.first_request < sim_duration{0}
        && rep.affected(rep.now(), f.user))
      pt.first_request = f.at;
  }

  // -- the world ---------------------------------------------------------------

  void on_pool(const fact& f) {
    rep.world_changing(f.at);
    auto& w = rep.now();
    auto p = f.pool;
    switch (f.kind) {
      case fact_kind::pool_down:
        w.up[p] = 0;
        ++w.downs[p];
        for (user_id u = 0; u < topo.user_count(); ++u)
          if (rep.users[u].confirmed == p)
            set_registered(u, false, f.at);
        break;
      case fact_kind::pool_up:
        w.up[p] = 1;
        schedule(checkpoint::recovery,
                 f.at + recovery_bound(topo.pools[p].pair, true),
                 topo.pools[p].pair);
        break;
      case fact_kind::call_park_on:
        w.call_park[p] = 1;
        break;
      default:
        w.call_park[p] = 0;
        break;
    }
  }

  void on_orbit(const fact& f) {
    rep.world_changing(f.at);
    if (f.group < rep.now().orbit.size())
      rep.now().orbit[f.group] = f.pool;
  }

  void on_phase(const fact& f) {
    rep.world_changing(f.at);
    auto p = static_cast<pair_id>(f.group);
    auto& pv = rep.now().pairs[p];
    auto phase = static_cast<pair_phase>(f.code);
    auto old_col = column_of_phase(pv.phase);
    auto col = column_of_phase(phase);
    pv.phase = phase;
    pv.failed = f.pool;
    auto& pt = pairs[p];
    pt.last_transition = f.at;
    if (phase == pair_phase::ranges_redirected)
      pt.redirected_after_failover = true;
    if (phase == pair_phase::ranges_redirected_back)
      pt.redirected_after_failback = true;
    if (col == old_col)
      return;
    if (old_col == column::failover_after)
      look_runbook(p, f.at, "before failback");
    ++pv.epoch;
    auto& cell = pt.cells[static_cast<std::size_t>(col)];
    cell.entered = true;
    count_crossing(p, cell);
    figures_on_transition(p, phase, f.at);
  }

  /// Affected users' established calls and queued calls alive as the pair
  /// enters a column.
  void count_crossing(pair_id p, cell_tally& cell) {
    for (const auto& [id, c] : calls)
      if (pair_of(c.callee) == p && rep.affected(rep.now(), c.callee)) {
        if (c.state == call_state::established)
          ++cell.established_crossing;
        else if (c.queued)
          ++cell.queued_crossing;
      }
  }

  void figures_on_transition(pair_id p, pair_phase phase, sim_duration at) {
    auto& pt = pairs[p];
    switch (phase) {
      case pair_phase::primary_outage:
        if (!pt.figures.outage) {
          pt.figures.outage = true;
          pt.figures.outage_at = to_seconds(at);
          pt.outage_at = at;
        }
        pt.awaiting_service = true;
        pt.first_request = sim_duration{-1};
        if (pt.gcp_down_since < sim_duration{0})
          pt.gcp_down_since = at;
        break;
      case pair_phase::failover_complete:
        if (pt.figures.rto < 0 && pt.outage_at >= sim_duration{0})
          pt.figures.rto = to_seconds(at - pt.outage_at);
        schedule(checkpoint::stale_left, at, p);
        schedule(checkpoint::recovery, at + recovery_bound(p), p);
        break;
      case pair_phase::failback_in_progress:
        if (pt.gcp_down_since < sim_duration{0})
          pt.gcp_down_since = at;
        break;
      case pair_phase::failback_complete:
        schedule(checkpoint::recovery, at + recovery_bound(p), p);
        break;
      case pair_phase::normal:
        // Back from an outage nobody failed over: the pool forgot its
        // clients, who register again at their next refresh.
        schedule(checkpoint::recovery, at + recovery_bound(p, true), p);
        break;
      default:
        break;
    }
  }

  // -- time ----------------------------------------------------------------------

  /// Runs what was deferred to the end of the instant before `at`.
  void advance(sim_duration at) {
    if (at <= current)
      return;
    look_queued([&](sim_duration due) { return due < at; });
    for (auto c : to_schedule) {
      c.epoch = rep.now().pairs[c.pair].epoch;
      c.downs = pair_downs(c.pair);
      checkpoints.push_back(c);
    }
    to_schedule.clear();
    for (std::size_t i = 0; i < checkpoints.size();) {
      if (checkpoints[i].at < at) {
        auto c = checkpoints[i];
        checkpoints.erase(checkpoints.begin() + static_cast<long>(i));
        look(c);
      } else {
        ++i;
      }
    }
    current = at;
  }

  /// Ringing group calls not queued by their due instant, among those
  /// `judged` picks; the rest wait.
  template <class Pred>
  void look_queued(Pred judged) {
    auto waits = std::remove_if(
      awaiting_queue.begin(), awaiting_queue.end(), [&](const auto& a) {
        if (!judged(a.second))
          return false;
        auto c = calls.find(a.first);
        if (c != calls.end() && c->second.state == call_state::ringing
            && !c->second.queued)
          cell_for(c->second.callee)
            .not_queued.add("call " + id_text(a.first) + " to user "
                            + id_text(c->second.callee) + " rang at "
                            + at_text(c->second.started)
                            + " but never entered its group's queue");
        return true;
      });
    awaiting_queue.erase(waits, awaiting_queue.end());
  }

  void look(const checkpoint& c) {
    const auto& w = rep.now();
    if (w.pairs[c.pair].epoch != c.epoch || pair_downs(c.pair) != c.downs)
      return; // the pair moved on: a later look will judge
    if (c.kind == checkpoint::stale_left)
      look_stale(c);
    else
      look_recovery(c);
  }

  void look_stale(const checkpoint& c) {
    const auto& w = rep.now();
    auto& cell = pairs[c.pair].cells[static_cast<std::size_t>(column::failover_after)];
    const auto& pr = topo.pairs[c.pair];
    for (auto& [key, q] : rep.queues) {
      auto pool = static_cast<pool_id>(key >> 32);
      if (pool != pr.a && pool != pr.b)
        continue;
      for (const auto& e : q)
        if (e.downs == w.downs[pool] && pair_of(e.callee) == c.pair
            && rep.affected(w, e.callee) && !e.reading.maybe_in(c.epoch))
          cell.stale_left.add("call " + id_text(e.call) + " of user "
                              + id_text(e.callee) + " queued at "
                              + at_text(e.since)
                              + " still waits after failover completed");
    }
  }

  /// Every GroupPickup range of the pair points where most of its members
  /// are served, with Call Park enabled there; else the cmdlet that fixes it.
  void look_runbook(pair_id p, sim_duration at, const std::string& when) {
    const auto& w = rep.now();
    const auto& pr = topo.pairs[p];
    auto& pt = pairs[p];
    ++pt.runbook_looks;
    for (std::size_t r = 0; r < topo.ranges.size(); ++r) {
      const auto& rg = topo.ranges[r];
      if (rg.type != range_type::group_pickup
          || (rg.owner != pr.a && rg.owner != pr.b))
        continue;
      std::vector<std::uint64_t> served(topo.pools.size(), 0);
      bool any = false;
      for (const auto& g : topo.groups)
        if (g.range == r)
          for (user_id u = g.first_member; u < g.first_member + g.size; ++u) {
            auto s_ = rep.serving(w, u);
            if (s_ != no_pool) {
              ++served[s_];
              any = true;
            }
          }
      if (!any)
        continue;
      ++pt.runbook_ranges;
      auto most = static_cast<pool_id>(
        std::max_element(served.begin(), served.end()) - served.begin());
      auto target = w.orbit[r];
      const auto& name_ = fqdn[most];
      if (target != most)
        pt.runbook.add(when + " (" + at_text(at) + "): range " + rg.identity
                       + " points at "
                       + (target == no_pool ? std::string{"a retired FQDN"}
                                            : fqdn[target])
                       + " but its members are served by " + name_
                       + "; fix: Set-CsCallParkOrbit -Identity \""
                       + rg.identity + "\" -CallParkService \"ApplicationServer:"
                       + name_ + "\"");
      else if (!w.call_park[target])
        pt.runbook.add(when + " (" + at_text(at) + "): range " + rg.identity
                       + " points at " + name_
                       + ", where Call Park is not enabled; fix: enable the "
                         "Call Park application on " + name_);
    }
  }

  /// Whether the run ended while the pair's runbook still had steps to
  /// play: an action of the drill at or after the end, or random chaos whose
  /// redirect could still be due.
  bool runbook_unfinished(pair_id p, sim_duration end) const {
    const auto& pr = topo.pairs[p];
    for (const auto& a : scn.drill) {
      if (a.at < end)
        continue;
      auto pool = topo.find_pool(a.pool);
      for (std::size_t i = 0; pool == no_pool && i < fqdn.size(); ++i)
        if (fqdn[i] == a.pool)
          pool = static_cast<pool_id>(i);
      if (pool == pr.a || pool == pr.b)
        return true;
    }
    const auto& c = scn.chaos;
    auto grace = std::max(c.redirect_ranges.max, c.redirect_back.max);
    return c.enabled && end - pairs[p].last_transition <= grace;
  }

  void look_recovery(const checkpoint& c) {
    const auto& w = rep.now();
    const auto& pv = w.pairs[c.pair];
    auto col = column_of_phase(pv.phase);
    auto& pt = pairs[c.pair];
    ++pt.recovery_checked;
    for (user_id u = 0; u < topo.user_count(); ++u) {
      if (pair_of(u) != c.pair)
        continue;
      auto home = topo.home_of(u);
      bool away = pv.failed == home && (col == column::failover_during
                                        || col == column::failover_after);
      auto desired = away ? topo.pools[home].partner : home;
      if (desired == no_pool || !w.up[desired])
        continue;
      auto serving = rep.serving(w, u);
      bool resiliency_allowed = col == column::failover_during
                                || col == column::failback_during;
      if (serving == no_pool)
        pt.recovery.add("user " + id_text(u) + " still unregistered at "
                        + at_text(c.at) + " although "
                        + fqdn[desired] + " is up");
      else if (!resiliency_allowed
               && rep.mode(w, u, serving) == user_mode::resiliency)
        pt.recovery.add("user " + id_text(u) + " still in resiliency mode on "
                        + fqdn[serving] + " at " + at_text(c.at));
    }
  }

  // -- calls -----------------------------------------------------------------------

  void on_started(const fact& f) {
    ++counts.calls_started;
    ++run.calls_started;
    live_call c;
    c.callee = f.user;
    c.group = f.group;
    c.rang = f.pool;
    c.started = f.at;
    if (f.pool != no_pool && !held_then(f.user, f.pool, f.at))
      run.lies.add("call " + id_text(f.id) + " to user " + id_text(f.user)
                   + " rang on " + fqdn[f.pool] + " at " + at_text(f.at)
                   + ", where no registrar held the user: a call to an "
                     "unregistered user fails as callee_unreachable");
    if (f.group != no_group && f.pool != no_pool) {
      bool must = true;
      for (const auto* w : rep.views(f.at))
        must = must && w->up[f.pool] && w->call_park[f.pool]
               && rep.held(*w, f.user, f.pool);
      if (must)
        awaiting_queue.emplace_back(f.id, f.at + tolerance);
    }
    if (!calls.emplace(f.id, c).second)
      run.conservation.add("call " + id_text(f.id) + " started twice");
  }

  /// Whether pool `p` held user `u` at `at`, however the instant is read.
  bool held_then(user_id u, pool_id p, sim_duration at) const {
    for (const auto* w : rep.views(at))
      if (rep.held(*w, u, p))
        return true;
    return false;
  }

  void on_queued(const fact& f) {
    ++counts.calls_queued;
    auto c = calls.find(f.id);
    queued_call q;
    q.call = f.id;
    q.callee = f.user;
    q.since = c != calls.end() ? c->second.started : f.at;
    q.downs = rep.now().downs[f.pool];
    q.reading = rep.reading(rep.views(f.at), f.user, f.pool);
    rep.queues[replica::queue_key(f.pool, f.group)].push_back(q);
    if (c != calls.end())
      c->second.queued = true;
    ++cell_for(f.user).queued_in_column;
  }

  void on_dequeued(const fact& f) {
    auto& q = rep.queues[replica::queue_key(f.pool, f.group)];
    auto e = std::find_if(q.begin(), q.end(),
                          [&](const queued_call& x) { return x.call == f.id; });
    if (e == q.end())
      return;
    auto entry = *e;
    q.erase(e);
    auto c = calls.find(f.id);
    bool ringing = c != calls.end() && c->second.state == call_state::ringing
                   && !c->second.taken;
    const auto& w = rep.now();
    bool fine = true;
    if (f.value == 0)
      fine = !ringing;
    else if (f.value == 1) // purged: stale under some reading
      fine = rep.affected(w, entry.callee)
             && !entry.reading.surely_in(w.pairs[pair_of(entry.callee)].epoch);
    else
      fine = !w.up[f.pool] || entry.downs != w.downs[f.pool];
    if (!fine)
      cell_for(entry.callee)
        .bad_removal.add("call " + id_text(f.id) + " of user "
                         + id_text(entry.callee) + " taken out of "
                         + fqdn[f.pool] + "'s queue at "
                         + at_text(f.at) + " while it still rang");
  }

  void on_established(const fact& f) {
    auto c = calls.find(f.id);
    if (c == calls.end() || c->second.state != call_state::ringing) {
      run.conservation.add("call " + id_text(f.id)
                           + " established without ringing");
      return;
    }
    auto& call = c->second;
    if (f.code == 1) {
      ++counts.calls_picked_up;
      if (!call.taken)
        run.conservation.add("call " + id_text(f.id)
                             + " answered through a pickup nobody made");
    } else {
      ++counts.calls_answered;
    }
    call.state = call_state::established;
    call.established = f.at;
    call.hold = sim_duration{f.value};
    auto& cell = cell_for(call.callee);
    if (&cell == &pairs[pair_of(call.callee)].cells[0])
      ++cell.established_crossing; // traffic of the normal column
  }

  /// A replaced pool carries on under the scenario's new FQDN.
  void on_action(const fact& f) {
    if (f.value != 0 || f.pool == no_pool
        || f.code != static_cast<std::uint8_t>(action_kind::replace_pool))
      return;
    for (const auto& a : scn.drill)
      if (a.kind == action_kind::replace_pool && a.pool == fqdn[f.pool]) {
        fqdn[f.pool] = a.new_fqdn;
        return;
      }
  }

  void on_ended(const fact& f);
  void on_dialed(const fact& f);
  void on_pickup(const fact& f);
  bool cause_true(const fact& f, const attempt& a);
};

// -- calls ending ----------------------------------------------------------------

void history_checker::impl::on_ended(const fact& f) {
  auto cause = static_cast<end_cause>(f.code);
  if (f.code < end_cause_count)
    ++counts.ended[f.code];
  auto c = calls.find(f.id);
  if (c == calls.end()) {
    run.conservation.add("call " + id_text(f.id) + " ended without starting");
    return;
  }
  auto call = c->second;
  calls.erase(c);
  ++run.calls_ended;
  auto v = rep.views(f.at);
  auto lie = [&](const std::string& why) {
    run.lies.add("call " + id_text(f.id) + " booked as "
                 + std::string{name(cause)} + " at " + at_text(f.at) + ": "
                 + why);
  };
  if (call.state == call_state::established) {
    bool hung_up = cause == end_cause::hang_up
                   && f.at == call.established + call.hold;
    if (!hung_up)
      cell_for(call.callee)
        .dropped.add("call " + id_text(f.id) + " of user " + id_text(call.callee)
                     + " established at " + at_text(call.established)
                     + " to hang up at "
                     + at_text(call.established + call.hold) + " ended at "
                     + at_text(f.at) + " as " + std::string{name(cause)});
    return;
  }
  switch (cause) {
    case end_cause::hang_up:
    case end_cause::dropped_by_pool:
      lie("the call was still ringing");
      break;
    case end_cause::ring_timeout:
      if (f.at != call.started + scn.traffic.ring_timeout)
        lie("it rang for " + at_text(f.at - call.started) + ", not the "
            "ring timeout");
      break;
    case end_cause::pool_down: {
      bool down = call.rang == no_pool;
      for (const auto* w : v)
        down = down || !w->up[call.rang];
      if (!down)
        lie(fqdn[call.rang] + " was up");
      break;
    }
    case end_cause::callee_unreachable: {
      bool unreachable = false;
      for (const auto* w : v)
        unreachable = unreachable || rep.serving(*w, call.callee) == no_pool;
      if (!unreachable)
        lie("user " + id_text(call.callee) + " was registered on "
            + fqdn[rep.serving(rep.now(), call.callee)]);
      break;
    }
    default:
      break;
  }
}

// -- pickups ---------------------------------------------------------------------

void history_checker::impl::on_dialed(const fact& f) {
  attempt a;
  a.picker = f.user;
  a.group = f.group;
  a.dest = f.pool2;
  auto c = calls.find(f.id);
  if (c != calls.end()) {
    a.callee = c->second.callee;
    a.callee_known = true;
  }
  auto range = f.group < topo.groups.size() ? topo.groups[f.group].range : 0;
  a.picker_ok_all = a.routed_all = true;
  bool resolved = false;
  for (const auto* w : rep.views(f.at)) {
    auto serving = rep.serving(*w, f.user);
    auto mode = rep.mode(*w, f.user, serving);
    bool ok = mode == user_mode::normal;
    a.picker_ok_any = a.picker_ok_any || ok;
    a.picker_ok_all = a.picker_ok_all && ok;
    a.picker_res = a.picker_res || mode == user_mode::resiliency;
    a.picker_unreg = a.picker_unreg || mode == user_mode::unregistered;
    auto target = w->orbit[range];
    bool routed = target != no_pool && target == f.pool2;
    a.routed_any = a.routed_any || routed;
    a.routed_all = a.routed_all && routed;
    resolved = resolved || target == f.pool;
  }
  a.picker_affected = rep.affected(rep.now(), f.user);
  if (!resolved)
    run.lies.add("pickup " + id_text(f.id) + " at " + at_text(f.at)
                 + ": the client resolved the group's range to a pool it did "
                   "not point at");
  attempts[f.id] = a;
}

void history_checker::impl::on_pickup(const fact& f) {
  auto result = static_cast<pickup_result>(f.code);
  if (f.code < pickup_result_count)
    ++counts.pickups[f.code];
  auto found = attempts.find(f.id);
  if (found == attempts.end()) {
    run.conservation.add("pickup " + id_text(f.id) + " decided, never dialed");
    return;
  }
  auto a = found->second;
  attempts.erase(found);
  auto v = rep.views(f.at);
  static const std::vector<queued_call> none;
  auto qi = f.pool == no_pool ? rep.queues.end()
                              : rep.queues.find(replica::queue_key(f.pool, a.group));
  const auto& q = qi == rep.queues.end() ? none : qi->second;
  auto ans_any = [&](const queued_call& e) {
    for (const auto* w : v)
      if (rep.answerable(*w, e, f.pool, reading_of::some))
        return true;
    return false;
  };
  auto ans_all = [&](const queued_call& e) {
    for (const auto* w : v)
      if (!rep.answerable(*w, e, f.pool, reading_of::every))
        return false;
    return true;
  };
  bool pool_any = false, pool_all = f.pool != no_pool;
  for (const auto* w : v) {
    if (f.pool == no_pool)
      break;
    bool ok = w->up[f.pool] && w->call_park[f.pool];
    pool_any = pool_any || ok;
    pool_all = pool_all && ok;
  }
  bool exists_all = std::any_of(q.begin(), q.end(), ans_all);
  bool allowed_all = a.picker_ok_all && a.routed_all && pool_all && exists_all;

  // Which cell: the affected party's, else the pair's normal column, else a
  // bystander's.
  user_id party = a.callee_known ? a.callee : a.picker;
  if (!(a.callee_known && rep.affected(rep.now(), a.callee)) && a.picker_affected)
    party = a.picker;
  auto& cell = cell_for(party);
  auto& t = cell.pickups;
  ++t.attempts;
  bool involves_resiliency = a.picker_res;
  for (const auto& e : q)
    involves_resiliency = involves_resiliency || e.reading.resiliency_any;
  t.in_resiliency += involves_resiliency ? 1 : 0;
  t.eligible += allowed_all ? 1 : 0;
  auto what = "pickup " + id_text(f.id) + " by user " + id_text(a.picker)
              + " at " + at_text(f.at) + " through "
              + (f.pool == no_pool ? std::string{"nothing"}
                                   : fqdn[f.pool]);
  // After failover or failback completes the table promises GCP to the
  // affected users whose range was redirected: Call Park must be enabled in
  // both pools, so a pool without it fails the promise.
  bool after = column_now(pair_of(party)) == column::failover_after
               || column_now(pair_of(party)) == column::failback_after;
  if (result == pickup_result::call_park_disabled && after && !allowed_all
      && rep.affected(rep.now(), party) && a.picker_ok_all && a.routed_all
      && f.pool != no_pool && rep.now().up[f.pool]
      && !rep.now().call_park[f.pool]) {
    ++t.eligible;
    t.refused.add(what + " refused: Call Park is not enabled there, and the "
                  "table promises GCP once ranges are redirected");
    return;
  }
  if (result != pickup_result::ok) {
    if (allowed_all)
      t.refused.add(what + " refused as " + std::string{name(result)}
                    + " although the table allowed it");
    if (!cause_true(f, a))
      run.lies.add(what + " refused as " + std::string{name(result)}
                   + ", which was not true");
    return;
  }
  ++t.ok;
  t.eligible_ok += allowed_all ? 1 : 0;
  auto taken = std::find_if(q.begin(), q.end(),
                            [&](const queued_call& e) { return e.call == f.ref; });
  std::string why;
  if (!a.picker_ok_any)
    why = a.picker_res ? "the picker was in resiliency mode"
                       : "the picker was not registered";
  else if (!a.routed_any)
    why = "the group's range did not point at that pool";
  else if (!pool_any)
    why = "that pool was down or had no Call Park";
  else if (taken == q.end())
    why = "the call answered was not in that pool's queue for the group";
  else if (!ans_any(*taken))
    why = "the call answered could not be answered (its callee in "
          "resiliency, unregistered there, or queued before a transition)";
  else
    for (auto e = q.begin(); e != q.end(); ++e)
      if (e != taken
          && (e->since < taken->since || (e->since == taken->since && e < taken))
          && ans_all(*e)) {
        why = "call " + id_text(e->call) + " had rung longer";
        break;
      }
  if (taken != q.end()) {
    // Stale under every world the pool may have decided under.
    bool stale = true;
    for (const auto* w : v)
      stale = stale && rep.affected(*w, taken->callee)
              && !taken->reading.maybe_in(w->pairs[pair_of(taken->callee)].epoch);
    bool in_resiliency = taken->reading.resiliency_all;
    if (stale || in_resiliency)
      cell_for(taken->callee)
        .stale_answered.add(what + " answered call " + id_text(taken->call)
                            + (stale ? " queued before the pair's last "
                                       "transition"
                                     : " queued while its callee was in "
                                       "resiliency mode"));
  }
  if (!why.empty())
    t.wrongly_ok.add(what + " answered call " + id_text(f.ref) + ": " + why);
  auto c = calls.find(f.ref);
  if (c != calls.end())
    c->second.taken = true;
  // GCP works again for the affected users' groups of the pair.
  if (taken == q.end() || !rep.affected(rep.now(), taken->callee))
    return;
  auto& pt = pairs[pair_of(taken->callee)];
  if (pt.gcp_down_since >= sim_duration{0}) {
    pt.figures.gcp_down_total += to_seconds(f.at - pt.gcp_down_since);
    if (pt.figures.gcp_restored < 0 && pt.outage_at >= sim_duration{0})
      pt.figures.gcp_restored = to_seconds(f.at - pt.outage_at);
    pt.gcp_down_since = sim_duration{-1};
  }
}

/// Whether the cause a refused pickup was booked with held, under some
/// reading of the instant.
bool history_checker::impl::cause_true(const fact& f, const attempt& a) {
  auto result = static_cast<pickup_result>(f.code);
  auto v = rep.views(f.at);
  auto qi = f.pool == no_pool ? rep.queues.end()
                              : rep.queues.find(replica::queue_key(f.pool, a.group));
  auto any_entry = [&](auto pred) {
    if (qi == rep.queues.end())
      return false;
    for (const auto& e : qi->second)
      for (const auto* w : v)
        if (pred(*w, e))
          return true;
    return false;
  };
  auto any_view = [&](auto pred) {
    for (const auto* w : v)
      if (pred(*w))
        return true;
    return false;
  };
  switch (result) {
    case pickup_result::picker_unregistered:
      return a.picker_unreg;
    case pickup_result::picker_in_resiliency:
      return a.picker_res;
    case pickup_result::pool_down:
      return f.pool != no_pool
             && any_view([&](const world_view& w) { return !w.up[f.pool]; });
    case pickup_result::call_park_disabled:
      return f.pool != no_pool
             && any_view([&](const world_view& w) { return !w.call_park[f.pool]; });
    case pickup_result::range_not_redirected: {
      if (!a.routed_all || f.pool == no_pool)
        return true;
      auto c = a.callee_known ? calls.find(f.id) : calls.end();
      if (c != calls.end() && c->second.rang != f.pool)
        return true;
      return any_entry([&](const world_view& w, const queued_call& e) {
        return !rep.held(w, e.callee, f.pool);
      });
    }
    case pickup_result::callee_in_resiliency:
      return any_entry([&](const world_view& w, const queued_call& e) {
        return e.reading.resiliency_any
               || rep.mode(w, e.callee, f.pool) == user_mode::resiliency;
      });
    case pickup_result::stale_entry:
      return any_entry([&](const world_view& w, const queued_call& e) {
        return !rep.answerable(w, e, f.pool, reading_of::every);
      });
    case pickup_result::no_call_ringing:
      return !any_entry([&](const world_view& w, const queued_call& e) {
        return e.downs == w.downs[f.pool];
      }) || !any_entry([&](const world_view& w, const queued_call& e) {
        return rep.answerable(w, e, f.pool, reading_of::every);
      });
    default:
      return false; // service_degraded is no rule of the table
  }
}

// -- the interface ------------------------------------------------------------------

history_checker::history_checker(std::shared_ptr<const topology> topo,
                                 const scenario& s)
  : impl_(std::make_unique<impl>(std::move(topo), s)) {}

history_checker::~history_checker() = default;

void history_checker::put(const fact& f) {
  auto& m = *impl_;
  ++m.counts.facts;
  m.advance(f.at);
  switch (f.kind) {
    case fact_kind::pool_down:
    case fact_kind::pool_up:
    case fact_kind::call_park_on:
    case fact_kind::call_park_off:
      m.on_pool(f);
      break;
    case fact_kind::orbit_set:
      m.on_orbit(f);
      break;
    case fact_kind::pair_phase:
      m.on_phase(f);
      break;
    case fact_kind::reg_requested:
      m.on_requested(f);
      break;
    case fact_kind::reg_admitted:
      m.on_admitted(f);
      break;
    case fact_kind::reg_dropped:
      m.on_dropped(f);
      break;
    case fact_kind::reg_confirmed:
      m.rep.users[f.user].confirmed = f.pool;
      m.refresh_registered(f.user, f.at);
      break;
    case fact_kind::call_started:
      m.on_started(f);
      break;
    case fact_kind::call_queued:
      m.on_queued(f);
      break;
    case fact_kind::call_dequeued:
      m.on_dequeued(f);
      break;
    case fact_kind::call_established:
      m.on_established(f);
      break;
    case fact_kind::call_ended:
      m.on_ended(f);
      break;
    case fact_kind::pickup_dialed:
      m.on_dialed(f);
      break;
    case fact_kind::pickup_done:
      m.on_pickup(f);
      break;
    case fact_kind::run_end:
      m.run.end = f.at;
      break;
    case fact_kind::action:
      m.on_action(f);
      break;
    case fact_kind::clock_lag:
      m.lag = std::max(m.lag, sim_duration{f.value});
      break;
    default:
      break; // regs_lost: for the record
  }
}

check_report history_checker::finish() {
  auto& m = *impl_;
  auto end = m.run.end >= sim_duration{0} ? m.run.end : m.current;
  // In realtime, what was due within the tolerance before the end may not
  // have happened when the run stopped: it is not judged.
  auto judged_until = end - m.tolerance;
  if (m.tolerance > sim_duration{0}) {
    m.look_queued([&](sim_duration due) { return due < judged_until; });
    m.awaiting_queue.clear();
  }
  m.advance(end + sim_duration{1});
  m.checkpoints.clear();
  for (const auto& [id, c] : m.calls) {
    ++m.run.calls_alive_at_end;
    if (c.state == call_state::established
        && c.established + c.hold < judged_until)
      m.cell_for(c.callee)
        .dropped.add("call " + id_text(id) + " of user " + id_text(c.callee)
                     + " should have hung up at "
                     + at_text(c.established + c.hold)
                     + " and was never ended");
  }
  for (std::size_t p = 0; p < m.pairs.size(); ++p)
    if (m.pairs[p].figures.outage && m.topo.pairs[p].b != no_pool) {
      if (m.runbook_unfinished(static_cast<pair_id>(p), end))
        m.pairs[p].runbook_cut_short = true;
      else
        m.look_runbook(static_cast<pair_id>(p), end, "at the end");
    }
  for (auto& pt : m.pairs)
    if (pt.gcp_down_since >= sim_duration{0}) {
      pt.figures.gcp_down_total += to_seconds(end - pt.gcp_down_since);
      pt.gcp_down_since = sim_duration{-1};
    }
  outcome_inputs in{m.topo, m.scn, m.pairs, m.run, m.rep.now().orbit,
                    m.rep.now().call_park, m.rep};
  check_report r;
  r.v = decide(in);
  for (const auto& pt : m.pairs)
    r.v.figures.push_back(pt.figures);
  auto& t = r.v.timing;
  t.realtime = m.scn.run.clock == clock_kind::realtime;
  t.speed = m.scn.run.speed;
  t.tolerance = to_seconds(m.tolerance);
  t.lag_max = to_seconds(m.lag);
  r.counts = m.counts;
  return r;
}

} // namespace calldrill
