// The checker's replay, shared by its translation units (the checker's own
// room: nothing outside checker/ includes this). Each fact updates the
// checker's replica and is judged against the table as the checker reads
// it. A decision made when the world had just changed is judged under every
// world its actor may have acted on (the one before a change at the same
// instant in virtual time; those of the run's tolerance in realtime, where
// actors see changes late): a success must be allowed under one of them,
// and a refusal is an availability failure only when all of them allow.
#pragma once

#include "checker/checker.hpp"
#include "checker/draw_risk.hpp"
#include "checker/id_table.hpp"
#include "checker/replica.hpp"
#include "checker/tally.hpp"
#include "model/duration_text.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <queue>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace calldrill::checking {


enum class call_state : std::uint8_t { ringing, established };

struct live_call {
  user_id callee = 0;
  group_id group = no_group;
  pair_id pair = 0; ///< the callee's
  pool_id rang = no_pool;
  sim_duration started{};
  sim_duration established{};
  sim_duration hold{};
  call_state state = call_state::ringing;
  bool queued = false;
  bool taken = false;
  bool expect_queue = false;
  std::uint8_t columns = 0; ///< its pair's possible columns when it started
  sim_duration rang_lost{-1}; ///< when the pool it rang through failed
  sim_duration dialed{-1};    ///< when a member dialled to pick it up
};

struct attempt {
  user_id picker = 0;
  user_id callee = 0; ///< of the ringing call that prompted it
  bool callee_known = false;
  pool_id rang = no_pool; ///< where that call rang, if the checker knows
  group_id group = 0;
  pool_id dest = no_pool;
  bool picker_ok_any = false, picker_ok_all = false;
  bool picker_res = false, picker_unreg = false;
  bool picker_res_all = false; ///< in resiliency under every world
  /// The callee the live counters file it under (the prompting call's, if
  /// the checker knows it, live or lately ended).
  user_id count_callee = 0;
  bool count_known = false;
  bool routed_any = false, routed_all = false;
  bool picker_affected = false;
  /// The range pointed away from the pool the call rang at (the pickup
  /// class `unredirected`), under some or every world of the dial.
  bool unredirected_any = false, unredirected_all = false;
  /// The picker was registered at home in normal mode when it dialled.
  bool at_home_any = false, at_home_all = false;
};

/// A deferred look at the world: an instant after `at`.
struct checkpoint {
  enum kind_t : std::uint8_t {
    stale_left, recovery, invoked, noticed, failback, forgotten
  } kind;
  sim_duration at{};
  pair_id pair = 0;
  std::uint32_t epoch = 0;
  std::uint64_t downs = 0; ///< outages of the pair's pools when scheduled
  std::vector<user_id> users; ///< failback, forgotten: the users it looks at
  pool_id pool = no_pool;     ///< forgotten: the pool that came back
};

/// The span before a decision whose worlds its actor may have acted on.
inline sim_duration tolerance_of(const scenario& s) {
  return s.run.clock == clock_kind::realtime ? s.run.tolerance : sim_duration{0};
}

inline std::string id_text(std::uint64_t id) { return std::to_string(id); }
inline std::string at_text(sim_duration at) {
  if (at < sim_duration{0})
    return "-" + format_clock(-at);
  return format_clock(at);
}

/// The replay's state: the replica, what is counted, and what waits to be
/// judged; and one member per kind of fact.
struct replay {
  std::shared_ptr<const topology> topo_ptr;
  const topology& topo;
  scenario scn;
  replica rep;
  std::vector<pair_tally> pairs;
  run_tally run;
  history_counts counts;
  id_table<live_call> calls;
  id_table<attempt> attempts;
  /// Ringing group calls that must be queued by a due instant, soonest
  /// due on top (in realtime two seconds of calls wait here, and the
  /// checker looks at every new instant).
  using awaiting = std::pair<sim_duration, call_id>;
  std::priority_queue<awaiting, std::vector<awaiting>, std::greater<>>
    awaiting_queue;
  std::vector<checkpoint> checkpoints;
  std::vector<checkpoint> to_schedule; ///< at the end of this instant
  /// Where group calls that ended ringing lately rang: a pickup prompted by
  /// such a call may be dialled and decided after it ended (messages
  /// between partitions take time, realtime actors act late), and its
  /// refusal's cause still depends on it. Kept for `ended_memory`.
  struct ended_call {
    pool_id rang = no_pool;
    user_id callee = 0; ///< whose pair a pickup prompted by it counts in
    sim_duration at{};
  };
  std::unordered_map<std::uint64_t, ended_call> ended_rang;
  std::deque<std::pair<sim_duration, std::uint64_t>> ended_order;
  sim_duration ended_memory{};
  std::vector<std::uint32_t> unregistered_home; ///< per pool, homed users
  std::vector<sim_duration> down_at; ///< per pool, when its latest outage began
  /// Per pool, its admissions as a leaky bucket draining at its rate: the
  /// level and when it was last read.
  std::vector<double> admitted_level;
  std::vector<sim_duration> admitted_at;
  /// Per pool, its registrar's backlog as the history shows it: requests
  /// made since it last came up and not yet admitted, since when it has had
  /// some, and how many it admitted since then.
  struct backlog {
    std::int64_t waiting = 0;
    sim_duration since{};
    std::uint64_t admitted = 0;
    bool reported = false; ///< this busy stretch already broke the pace
  };
  std::vector<backlog> backlogs;
  std::vector<std::string> fqdn; ///< each pool's name now (replace_pool)
  sim_duration current{-1};
  sim_duration tolerance{};
  sim_duration lag{}; ///< the largest lateness the run reported
  // The runbook's steps (world_steps.cpp).
  world_view planned;          ///< the world as the drill's actions make it
  bool world_touched = false;  ///< an action or a world fact not yet compared
  sim_duration touched_at{-1}; ///< the instant of the latest
  std::string instant_actions; ///< this instant's actions, for evidence
  std::vector<drill_action> timeline; ///< the drill as it plays, if known
  std::vector<std::uint8_t> timeline_played;
  bool timeline_known = false;
  std::vector<std::string> retired; ///< the FQDNs replaced pools had
  /// Per pool, the span [first, end) of user ids homed on it: a look at a
  /// pool's users scans its span, not the estate.
  std::vector<std::pair<user_id, user_id>> homed_span;
  /// Users ever confirmed on a pool outside their home pair (none in a
  /// sound run), so a pool's outage looks at its pair's users and these
  /// instead of the whole estate.
  std::vector<user_id> confirmed_abroad;
  // The offered load (offered_load.cpp).
  std::vector<std::uint32_t> arrivals_per_second; ///< by second of arrival
  std::uint64_t arrivals_later = 0; ///< past the run's length
  std::vector<std::uint64_t> arrivals_by_home;    ///< by the callee's home pool
  std::vector<std::int64_t> world_seconds; ///< seconds in which the world changed
  /// Pickups dialled by a member of the group (run.dials counts them all),
  /// and what pickup.by_member makes of them: the expected members and its
  /// variance.
  double dials_by_member = 0, members_expected = 0, members_variance = 0;

  // -- live views (live_views.cpp) -------------------------------------------
  /// A live view's instant whose bounds are being taken: the least counts
  /// once the history passed into it, the most once it passed it, the
  /// arrivals' most once it passed the generator's lead too.
  struct live_sample {
    instant_bounds b;
    std::size_t index = 0;
    bool hi_taken = false;
  };
  instant_judge live_judge;
  sim_duration live_every{}, live_ahead{}, next_live{};
  std::size_t live_users_every = 1, live_index = 0;
  std::deque<live_sample> live_pending;
  /// Users whose registration facts fell at `touched_instant`: a live view
  /// of that instant may have seen them before or after.
  sim_duration touched_instant{-1};
  std::vector<user_id> touched_users;
  void note_touched(user_id u, sim_duration at) {
    if (!live_judge || u >= topo.user_count())
      return;
    if (at != touched_instant)
      touched_users.clear(), touched_instant = at;
    touched_users.push_back(u);
  }
  /// A gauge of the estate as the history has it: its value now, and how
  /// far it rose and fell within the current instant, whose order a live
  /// view of that instant may have seen otherwise.
  struct instant_gauge {
    std::uint64_t now = 0, rose = 0, fell = 0;
    void up() { ++now, ++rose; }
    void down() {
      now -= now > 0 ? 1 : 0;
      ++fell;
    }
    /// Steps to `n` at once (a registrar's backlog lost with its pool).
    void set(std::uint64_t n) {
      (n > now ? rose : fell) += n > now ? n - now : now - n;
      now = n;
    }
    /// What it may have read within the instant: before it, it read
    /// now - rose + fell, and any order of the steps between.
    std::pair<std::uint64_t, std::uint64_t> within() const {
      auto before = now + fell - std::min(now + fell, rose);
      return {before - std::min(before, fell), before + rose};
    }
  };
  instant_gauge ringing_gauge, established_gauge;
  std::vector<instant_gauge> queued_gauge; ///< per pool: entries it holds
  /// Per pool: the requests its registrar holds, and whether it is up.
  std::vector<instant_gauge> backlog_gauge, up_gauge;
  /// Sets pool `p`'s backlog (its backlog's count and its gauge) to `n`.
  void backlog_to(pool_id p, std::int64_t n) {
    backlogs[p].waiting = n;
    backlog_gauge[p].set(static_cast<std::uint64_t>(std::max<std::int64_t>(n, 0)));
  }
  /// Starts a new instant for the gauges.
  void gauges_next_instant() {
    for (auto* g : {&ringing_gauge, &established_gauge})
      g->rose = g->fell = 0;
    for (auto* v : {&queued_gauge, &backlog_gauge, &up_gauge})
      for (auto& g : *v)
        g.rose = g.fell = 0;
  }
  /// Files one latency in its bucket (a value on a bound is in its bucket).
  void observe(latency l, sim_duration d) {
    static const auto bounds_us = [] {
      std::array<sim_duration::rep, latency_bounds_s.size()> us{};
      for (std::size_t i = 0; i < us.size(); ++i)
        us[i] = std::llround(latency_bounds_s[i] * 1e6);
      return us;
    }();
    static_assert(std::is_same_v<sim_duration::period, std::micro>);
    auto bucket = std::lower_bound(bounds_us.begin(), bounds_us.end(), d.count())
                  - bounds_us.begin();
    ++counts.latencies[static_cast<std::size_t>(l)][static_cast<std::size_t>(bucket)];
  }
  std::uint64_t arrivals_so_far() const {
    return counts.calls_started + counts.calls_refused;
  }
  /// Takes what the history settled before `at` (call before it moves on).
  void live_advance(sim_duration at);
  /// Judges the views left at the end: their arrivals at most all of them.
  void live_finish();
  /// Users by pool and mode under the world now, at least and at most: the
  /// `uncertain` users may be counted anywhere.
  void users_gauge(std::vector<std::uint64_t>& lo, std::vector<std::uint64_t>& hi,
                   std::vector<user_id> uncertain) const;

  replay(std::shared_ptr<const topology> t, const scenario& s)
    : topo_ptr(std::move(t)), topo(*topo_ptr), scn(s),
      rep(topo, tolerance_of(s)),
      pairs(topo.pairs.size()),
      ended_memory(std::max<sim_duration>(tolerance_of(s), std::chrono::seconds{1})),
      unregistered_home(topo.pools.size(), 0),
      down_at(topo.pools.size(), sim_duration{0}),
      admitted_level(topo.pools.size(), 0.0),
      admitted_at(topo.pools.size(), sim_duration{0}),
      backlogs(topo.pools.size()),
      tolerance(tolerance_of(s)), planned(topo),
      arrivals_by_home(topo.pools.size(), 0),
      answer_risk(s.traffic.answer_probability, s.traffic.answer_delay_min,
                  s.traffic.answer_delay_max),
      dial_risk(s.traffic.pickup_probability, s.traffic.pickup_delay_min,
                s.traffic.pickup_delay_max) {
    counts.pairs.resize(topo.pairs.size());
    counts.cells.resize(topo.pairs.size() * column_count);
    queued_gauge.resize(topo.pools.size());
    backlog_gauge.resize(topo.pools.size());
    up_gauge.assign(topo.pools.size(), instant_gauge{1, 0, 0}); // pools start up
    pair_steps.resize(topo.pairs.size());
    for (const auto& p : topo.pools)
      fqdn.push_back(p.fqdn);
    homed_span.assign(topo.pools.size(), {topo.user_count(), 0});
    for (user_id u = 0; u < topo.user_count(); ++u) {
      auto& span = homed_span[topo.home_of(u)];
      span.first = std::min(span.first, u);
      span.second = u + 1;
    }
    for (std::size_t p = 0; p < topo.pairs.size(); ++p) {
      pairs[p].figures.pair = topo.pairs[p].name;
      pairs[p].cells[static_cast<std::size_t>(column::normal)].entered = true;
    }
  }

  /// Where call `id` rang: a live call's pool, a lately ended one's, or
  /// no_pool if the checker does not know the call.
  pool_id rang_of(std::uint64_t id) {
    if (const auto* c = calls.find(id))
      return c->rang;
    auto e = ended_rang.find(id);
    return e == ended_rang.end() ? no_pool : e->second.rang;
  }
  /// Whether a group call could still be picked up at `at`: it rings and
  /// nobody took it, or it stopped ringing (answered or ended) no longer
  /// than the memory of ended calls before, as a pool's decision may cross
  /// the news of its end.
  bool still_ringing(std::uint64_t id, sim_duration at) {
    if (const auto* c = calls.find(id))
      return !c->taken
             && (c->state == call_state::ringing
                 || at - c->established <= ended_memory);
    auto e = ended_rang.find(id);
    return e != ended_rang.end() && at - e->second.at <= ended_memory;
  }
  /// Remembers where a group call of `callee` that ended ringing at `at`
  /// rang.
  void remember_ended(std::uint64_t id, pool_id rang, user_id callee,
                      sim_duration at) {
    while (!ended_order.empty() && ended_order.front().first + ended_memory < at) {
      ended_rang.erase(ended_order.front().second);
      ended_order.pop_front();
    }
    ended_rang[id] = {rang, callee, at};
    ended_order.emplace_back(at, id);
  }

  // -- where things are counted ----------------------------------------------

  pair_id pair_of(user_id u) const { return topo.pools[rep.home_of(u)].pair; }
  /// The counts of user `u`'s home pair, or a spare for a user the estate
  /// does not have (a stored history may name any).
  history_counts& pair_counts(user_id u) {
    return u < topo.user_count() ? counts.pairs[pair_of(u)] : unknown_user_counts;
  }
  history_counts unknown_user_counts;
  /// Calls `f(u)` for every user homed on pool `p`, in order.
  template <class F>
  void for_homed(pool_id p, F f) const {
    for (auto u = homed_span[p].first; u < homed_span[p].second; ++u)
      if (topo.home_of(u) == p)
        f(u);
  }
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

  // -- the live counters' bounds (checker.hpp, cell_bounds) -----------------

  /// Each pair's recent steps (a column entered, or one of its pools up,
  /// down or Call Park switched): the replica keeps the world before an
  /// instant and after it, not each step between, and an actor may have
  /// acted between two steps of one instant.
  struct pair_step {
    sim_duration at{};
    std::uint8_t column_bit = 0; ///< the column entered, if any
  };
  std::vector<std::vector<pair_step>> pair_steps;
  void note_step(pair_id p, sim_duration at, std::uint8_t column_bit) {
    auto& steps = pair_steps[p];
    auto keep_from = at - 2 * tolerance;
    steps.erase(std::remove_if(steps.begin(), steps.end(),
                               [&](const pair_step& s) { return s.at < keep_from; }),
                steps.end());
    steps.push_back({at, column_bit});
  }
  /// Whether pair `p` took a step an actor acting at `at` may not have seen.
  bool stepped_near(pair_id p, sim_duration at) const {
    for (const auto& s : pair_steps[p])
      if (s.at >= at - tolerance)
        return true;
    return false;
  }
  /// Whether `holds(world)` is true under some and under every world an
  /// actor of pair `p` acting at `at` may have seen: a world between two
  /// steps of its instant reads either way. Calls rep.views.
  struct world_reading {
    bool some = false, every = true;
  };
  template <class Holds>
  world_reading read_worlds(pair_id p, sim_duration at, Holds holds) const {
    world_reading r;
    for (const auto* w : rep.views(at)) {
      bool h = holds(*w);
      r.some = r.some || h;
      r.every = r.every && h;
    }
    if (stepped_near(p, at))
      r.some = true, r.every = false;
    return r;
  }
  static std::uint8_t column_bit(column c) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(c));
  }
  /// The columns pair `p` may have been in, one bit each, for an actor
  /// acting at `at`.
  std::uint8_t columns_at(pair_id p, sim_duration at) const {
    std::uint8_t bits = 0;
    for (const auto* w : rep.views(at))
      bits |= column_bit(column_of_phase(w->pairs[p].phase));
    for (const auto& s : pair_steps[p])
      if (s.at >= at - tolerance)
        bits |= s.column_bit;
    return bits;
  }
  /// Bounds one event of `what` in pair `p`, in one of the columns
  /// `columns`: it raises the least count (`surely`) if its column is
  /// certain, the most (`maybe`) in each column it may be in.
  void bound(pair_id p, std::uint8_t columns, witnessed what, bool surely,
             bool maybe) {
    if (p >= pairs.size())
      return;
    auto k = static_cast<std::size_t>(what);
    auto* cells = &counts.cells[p * column_count];
    bool single = (columns & (columns - 1)) == 0;
    for (std::size_t c = 0; c < column_count; ++c)
      if ((columns >> c) & 1u) {
        if (surely && single)
          ++cells[c].lo[k];
        if (maybe)
          ++cells[c].hi[k];
      }
  }
  /// The same for an event surely counted, by an actor acting at `at`.
  void bound(pair_id p, sim_duration at, witnessed what) {
    bound(p, columns_at(p, at), what, true, true);
  }
  /// The same for an event of a pair the history does not name: it may
  /// count in any cell.
  void bound_anywhere(witnessed what) {
    for (pair_id p = 0; p < pairs.size(); ++p)
      bound(p, static_cast<std::uint8_t>((1u << column_count) - 1), what, false, true);
  }
  /// What the actors count as a pair changes column: its hosts, the
  /// established calls they hold (established_crossed); its pools, the
  /// stale entries they hold (stale_entries, and after failover completes
  /// stale_left). The history holds those things at the change, give or
  /// take the ones that came or went at that instant (or within the
  /// tolerance), which an actor may have handled before the change
  /// reached it.
  struct transition_count {
    pair_id pair = 0;
    column col = column::normal;
    sim_duration at{};
    witnessed what = witnessed::established_crossed;
    std::uint64_t lo = 0, hi = 0;
    bool purges = false; ///< failover completed: its pools purge after counting
  };
  std::vector<transition_count> at_transitions;
  /// Files the counts whose instant (and tolerance) is before `at`.
  void settle_transitions(sim_duration at) {
    for (std::size_t i = 0; i < at_transitions.size();) {
      auto& x = at_transitions[i];
      if (x.at + tolerance < at) {
        auto& cell = counts.cells[x.pair * column_count + static_cast<std::size_t>(x.col)];
        auto k = static_cast<std::size_t>(x.what);
        cell.lo[k] += x.lo;
        cell.hi[k] += x.hi;
        at_transitions.erase(at_transitions.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
  }
  /// One of the things counted as `what` at a transition of pair `p`
  /// came (`+1`) or went (`-1`) at `at`: within the transition's instant,
  /// the actor may have seen it either way; but an entry `purged` as stale
  /// went after the count of the failover completion that purged it.
  void near_transition(pair_id p, witnessed what, sim_duration at, int change,
                       bool purged = false) {
    for (auto& x : at_transitions) {
      bool counted = x.what == what
                     || (what == witnessed::stale_entries
                         && x.what == witnessed::stale_left);
      if (x.pair != p || !counted || at > x.at + tolerance)
        continue;
      if (change > 0)
        ++x.hi;
      else if (x.lo > 0 && !(purged && x.purges))
        --x.lo;
    }
  }
  /// Whether the entry, held by `pool`, is stale now: live, and its callee
  /// affected (every entry held predates the change being counted).
  bool stale_now(pool_id pool, const queued_call& e) const {
    return e.downs == rep.now().downs[pool] && rep.affected(rep.now(), e.callee);
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
    to_schedule.push_back(checkpoint{k, at + tolerance, p, 0, 0, {}, no_pool});
  }

  // -- registrations ----------------------------------------------------------
  void set_registered(user_id u, bool on, sim_duration at);
  void refresh_registered(user_id u, sim_duration at);
  void on_admitted(const fact& f);
  void on_dropped(const fact& f);
  void on_requested(const fact& f);
  /// Whether a client homed on `home` may ask pool `p` under `w` at `at`:
  /// its home's backup, once the home was silent for the failover interval
  /// or failover of it was invoked.
  bool may_leave_home(const world_view& w, pool_id home, pool_id p,
                      sim_duration at) const;
  /// The admission rate: no pool admits more than its rate allows, with
  /// a second's worth at once.
  void count_admission(pool_id p, sim_duration at);
  /// The admission pace: a registrar with requests waiting admits at its
  /// rate, to within two tenths of a second and two registrations (ticks of
  /// a tenth of a second admit in batches). Virtual time only: a realtime
  /// registrar that acts late admits later, within its tolerance.
  void keep_pace(pool_id p, sim_duration at);
  /// After failover is invoked (`invoked`), or the failover interval after
  /// the outage (`noticed`), every user of the failed pool asked the backup
  /// within the detection jitter.
  void look_invoked(const checkpoint& c);
  /// After failback is invoked, every user of the pool that was registered
  /// on the backup asked its home within the move jitter.
  void look_failback(const checkpoint& c);
  /// After a pool came back with its pair in normal operation, every client
  /// that still held it as its registrar asked again within its registration
  /// refresh.
  void look_forgotten(const checkpoint& c);

  // -- the world ---------------------------------------------------------------
  void on_pool(const fact& f);
  void on_orbit(const fact& f);
  void on_phase(const fact& f);

  /// Bounds what the live counters count when `call` ends.
  void bound_end(const live_call& call, end_cause cause, sim_duration at);
  /// Affected users' established calls and queued calls alive as the pair
  /// enters a column; and what its actors count then (transition_count).
  void count_crossing(pair_id p, pair_phase phase, cell_tally& cell,
                      sim_duration at);
  void figures_on_transition(pair_id p, pair_phase phase, sim_duration at);

  // -- time ----------------------------------------------------------------------

  /// Runs what was deferred to the end of the instant before `at`.
  void advance(sim_duration at);

  /// Ringing group calls due to be queued before `before` and not queued;
  /// the rest wait.
  void look_queued(sim_duration before);
  void look(const checkpoint& c);
  void look_stale(const checkpoint& c);

  /// Every GroupPickup range of the pair points where most of its members
  /// are served, with Call Park enabled there; else the cmdlet that fixes it.
  void look_runbook(pair_id p, sim_duration at, const std::string& when);

  /// Whether the run ended while the pair's runbook still had steps to
  /// play: an action of the drill at or after the end, or random chaos whose
  /// redirect could still be due.
  bool runbook_unfinished(pair_id p, sim_duration end) const;
  void look_recovery(const checkpoint& c);

  // -- the offered load (offered_load.cpp) ------------------------------------------
  /// Counts a call that arrived: started, or refused by the active-call limit.
  void count_arrival(const fact& f);
  /// Notes that the world changed at `at`: the load is judged between changes.
  void note_world_change(sim_duration at);
  /// Counts who dialled a pickup: a member of the group at pickup.by_member's
  /// share (of groups larger than one), anyone else drawn from the estate.
  void count_dial(const fact& f);
  /// Calls arrive as the traffic stages say, whatever the system does: in
  /// each stretch between changes of the stages or the world up to
  /// `until`, and per pool of the callees' homes; none after `end`.
  void look_load(sim_duration until, sim_duration end);

  // -- the active-call limit (capacity.cpp) -------------------------------------
  /// A host's calls as the limit sees them: each host keeps one share of
  /// `max_active_calls`, unknown to the checker but the same all run long.
  struct host_calls {
    std::int64_t alive = 0;         ///< started and not ended
    std::int64_t most_let_in = -1;  ///< most alive before a call it started
    std::int64_t least_kept_out = -1; ///< fewest alive at a call it refused
    sim_duration let_in_at{}, kept_out_at{};
    call_id let_in{}, kept_out{};
  };
  std::vector<host_calls> hosts_calls;
  /// The host whose calls `id` names (a call's handle carries its host).
  host_calls& host_of_call(call_id id);
  /// A call the host started, or refused, at its count of live calls: a
  /// refusal with no more alive than some start, or a start with as many
  /// alive as some refusal or the whole limit, breaks the limit's rule.
  void let_in(const fact& f);
  void kept_out(const fact& f);
  void left(call_id id) { --host_of_call(id).alive; }
  /// At the end: the share is the limit over the hosts, rounded up, and
  /// there are at least as many hosts as the highest one named; none let a
  /// call in with that share up.
  void look_capacity();

  // -- calls -----------------------------------------------------------------------
  void on_started(const fact& f);
  /// Call `c` stopped ringing at `at` (answered, picked up, ended, or still
  /// ringing at the end): its time at risk of abandons, of an answer and
  /// of a pickup dial. `answer_at_risk`: whether an answer could still have
  /// come at `at` itself. In a tie an answer comes before a pickup dial and
  /// an abandon, and after the ring timeout; a dial comes after everything
  /// else, so a call is at risk of it at `at` only when it was dialled then.
  void rang_until(const live_call& c, sim_duration at, bool answer_at_risk);
  /// The risks of an answer and of a pickup dial (draw_risk.hpp).
  draw_risk answer_risk, dial_risk;
  /// Whether a ringing call outlived the pool it rang through: still
  /// ringing at `at`, beyond the tolerance after that pool failed.
  bool outlived_its_pool(const live_call& c, sim_duration at) const {
    return c.rang_lost >= sim_duration{0} && at - c.rang_lost > tolerance;
  }
  /// The evidence's opening for a call that outlived its pool.
  std::string outlived_text(std::uint64_t id, const live_call& c) const {
    return "call " + id_text(id) + " rang through " + fqdn[c.rang]
           + ", which failed at " + at_text(c.rang_lost);
  }
  /// Whether a call ringing at `at` rang past its ring timeout (beyond the
  /// tolerance in realtime).
  bool rang_too_long(const live_call& c, sim_duration at) const {
    return at > c.started + scn.traffic.ring_timeout + tolerance;
  }

  /// A call answered, or dialled for pickup, `what` at `at`, must be so
  /// within [lo, hi] of its start (and the time grid, and a realtime
  /// run's tolerance, and a partition's message delay).
  void judge_delay(const char* what, std::uint64_t id, sim_duration started,
                   sim_duration at, sim_duration lo, sim_duration hi);

  /// Whether pool `p` held user `u` at `at`, however the instant is read.
  bool held_then(user_id u, pool_id p, sim_duration at) const;
  void on_queued(const fact& f);
  void on_dequeued(const fact& f);
  void on_established(const fact& f);

  // -- the runbook's steps (world_steps.cpp) -------------------------------------
  void expect_timeline(std::vector<drill_action> t);
  /// The drill's action an action fact plays (marked played), or nullptr.
  const drill_action* match_action(const fact& f);
  /// Applies an action to the planned world; false, with why, if the
  /// phases refuse it.
  bool plan_action(action_kind kind, pool_id pool, std::uint32_t range,
                   const drill_action* replace, std::string& why);
  void plan_restore(pool_id pool);
  /// Judges an action's fact and moves the planned world; a replaced pool
  /// carries on under the scenario's new FQDN.
  void on_action(const fact& f);
  /// Notes an action or a world fact at `at`.
  void touch(sim_duration at) {
    world_touched = true;
    touched_at = std::max(touched_at, at);
  }
  /// Compares the worlds once a fact at `at` shows the changes settled:
  /// past their instant in virtual time, past the tolerance in realtime
  /// (where other actors' facts interleave with the controller's).
  void settle_world(sim_duration at) {
    if (world_touched && at > touched_at + tolerance)
      compare_world(touched_at);
  }
  /// The history's world against the planned one, at the end of `at`.
  void compare_world(sim_duration at);
  /// The drill's actions due before `until` that were never played.
  void unplayed_actions(sim_duration until);
  void on_ended(const fact& f);
  void on_dialed(const fact& f);
  void on_pickup(const fact& f);
  bool cause_true(const fact& f, const attempt& a);
  /// Bounds what the live counters count for a decided pickup: its result,
  /// and whether it involved a user in resiliency mode, in the pair of the
  /// callee it was dialled for.
  void bound_pickup(const fact& f, const attempt& a,
                    const std::vector<queued_call>& q, bool allowed_any,
                    bool allowed_all);
  /// Bounds the pickup classes a pool counts (eligible, unredirected,
  /// stale, bystander; attempts and successes) for a decided pickup in
  /// pair `p`, in one of `columns`.
  void bound_classes(const fact& f, const attempt& a,
                     const std::vector<queued_call>& q, pair_id p,
                     std::uint8_t columns, bool allowed_any, bool allowed_all);
  /// Why the cause a refused pickup was booked with is not the first rule
  /// it broke (the table's rules are tried in order), or nothing.
  std::string earlier_rule(const fact& f, const attempt& a);
  /// Why a pickup refused for its queue was not booked with the reason of
  /// the call that had rung longest there, or nothing.
  std::string longest_ringing_refusal(const fact& f, const attempt& a);
};

} // namespace calldrill::checking
