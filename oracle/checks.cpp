// Runs a scenario with the checker attached to its history, then compares
// the two witnesses: the live counters and the history's counts.
#include "oracle/checks.hpp"

#include "history/sink.hpp"
#include "model/chaos.hpp"
#include "model/duration_text.hpp"

#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace calldrill {

namespace {

/// The live views a run takes, each kept until the checker has bounded its
/// instant, and what disagreed.
struct live_witness {
  std::mutex lock;
  std::map<sim_duration, live_view> views;
  std::vector<std::string> out;
  std::size_t more = 0; ///< disagreements past the first few, not spelt out

  void judge(const instant_bounds& b);
};

/// Disagreements of live views spelt out, the rest counted.
constexpr std::size_t live_disagreements_max = 10;

void compare_cell_bounds(std::vector<std::string>& out, const std::string& where,
                         const observations& o,
                         const std::vector<cell_bounds>& cells);

} // namespace

checked_run run_checked(std::shared_ptr<const scenario> s,
                        std::shared_ptr<const topology> topo, run_hooks hooks,
                        fact_sink* also) {
  history_checker checker{topo, *s};
  checker.expect_timeline(full_drill(*s, *topo));
  // Live views are judged at their instants in virtual time, where an
  // instant's facts are all made before the clock moves on. A partitioned
  // run's view is the sum of every partition's part, each taken at the
  // same instant of its own clock.
  auto live = std::make_shared<live_witness>();
  if (hooks.sink && hooks.every > sim_duration{0}
      && s->run.clock == clock_kind::virtual_time) {
    auto inner = std::move(hooks.sink);
    hooks.sink = [inner, live](const live_view& v) {
      if (!v.final) {
        std::lock_guard<std::mutex> g{live->lock};
        live->views[v.now] = v;
      }
      inner(v);
    };
    // A pass over every user per judged gauge: about 2^26 user-views a run.
    auto views = static_cast<std::uint64_t>(s->run.duration / hooks.every) + 1;
    auto users_every = 1 + topo->user_count() * views / (std::uint64_t{1} << 26);
    checker.expect_live_views(hooks.every, arrivals_handed_ahead, users_every,
                              [live](const instant_bounds& b) { live->judge(b); });
  }
  tee_sink tee;
  tee.add(&checker);
  if (also != nullptr)
    tee.add(also);
  hooks.history = &tee;
  checked_run out;
  out.result = run_scenario(s, topo, std::move(hooks));
  out.report = checker.finish();
  out.disagreements = disagreements(out.result, out.report.counts);
  std::lock_guard<std::mutex> g{live->lock};
  for (auto& d : live->out)
    out.disagreements.push_back(std::move(d));
  if (live->more > 0)
    out.disagreements.push_back("and " + std::to_string(live->more)
                                + " more disagreements of live views");
  return out;
}

namespace {

void live_witness::judge(const instant_bounds& b) {
  std::lock_guard<std::mutex> g{lock};
  auto it = views.find(b.at);
  if (it == views.end())
    return; // no view was taken then (the run ended first)
  for (auto& f : view_disagreements(it->second, b)) {
    if (out.size() < live_disagreements_max)
      out.push_back(std::move(f));
    else
      ++more;
  }
  views.erase(views.begin(), std::next(it));
}

/// Notes `what` if the live counters and the history count it apart.
void note_unequal(std::vector<std::string>& out, const std::string& what,
                  std::uint64_t counted, std::uint64_t recorded) {
  if (counted != recorded)
    out.push_back(what + ": counters " + std::to_string(counted) + ", history "
                  + std::to_string(recorded));
}

/// Compares one set of counts: `total(k)` reads the live counter `k` over
/// the same scope (the run, or a pair) as `h`; `where` names the scope.
template <class Total>
void compare_counts(std::vector<std::string>& out, const std::string& where,
                    const history_counts& h, bool pickups, Total total) {
  auto compare = [&](const std::string& what, std::uint64_t counted,
                     std::uint64_t recorded) {
    note_unequal(out, where + what, counted, recorded);
  };
  compare("calls started", total(counter::calls_started), h.calls_started);
  compare("calls refused", total(counter::calls_not_started), h.calls_refused);
  compare("calls answered", total(counter::calls_answered), h.calls_answered);
  compare("calls picked up", total(counter::calls_picked_up),
          h.calls_picked_up);
  for (std::size_t c = 0; c < end_cause_count; ++c) {
    auto cause = static_cast<end_cause>(c);
    compare("calls ended " + std::string{name(cause)},
            total(end_counter(cause)), h.ended[c]);
  }
  if (pickups)
    for (std::size_t p = 0; p < pickup_result_count; ++p) {
      auto res = static_cast<pickup_result>(p);
      compare("pickups " + std::string{name(res)},
              total(pickup_counter(res)), h.pickups[p]);
    }
  compare("registrations", total(counter::registrations), h.registrations);
  if (h.waits_known) {
    compare("registration waits (us)", total(counter::registration_wait_us),
            h.registration_wait_us);
    compare("longest registration wait (us)",
            total(counter::registration_wait_max_us), h.registration_wait_max_us);
  }
}

/// The call totals the hosts keep for conservation, at the run's end (the
/// report's totals), against the history's.
void compare_end_totals(std::vector<std::string>& out, const observations& o,
                        const history_counts& h) {
  auto end = o.boundaries().empty() ? boundary_totals{} : o.boundaries().back();
  auto compare = [&](const std::string& what, std::uint64_t counted,
                     std::uint64_t recorded) {
    note_unequal(out, "calls " + what + " at the end", counted, recorded);
  };
  auto ended = [&](end_cause c) { return h.ended[static_cast<std::size_t>(c)]; };
  compare("started", end.started, h.calls_started);
  compare("established", end.established, h.calls_answered + h.calls_picked_up);
  compare("failed", end.failed,
          ended(end_cause::ring_timeout) + ended(end_cause::callee_unreachable)
            + ended(end_cause::pool_down));
  compare("abandoned", end.abandoned, ended(end_cause::abandoned));
  compare("ringing", end.ringing, h.ringing_at_end);
}

/// The latency histograms the metrics show, bucket by bucket, within
/// `lo`-`hi` (the history's counts at the end, or at a live view's instant).
void compare_latencies(std::vector<std::string>& out, const std::string& where,
                       const std::array<latency_histogram, latency_count>& live,
                       const history_counts::latency_counts& lo,
                       const history_counts::latency_counts& hi) {
  static const char* names[latency_count] = {"registration", "pickup", "call setup"};
  for (std::size_t l = 0; l < latency_count; ++l)
    for (std::size_t i = 0; i < latency_buckets; ++i) {
      auto n = live[l].counts[i];
      if (n >= lo[l][i] && n <= hi[l][i])
        continue;
      std::ostringstream bound;
      if (i < latency_bounds_s.size())
        bound << "le " << latency_bounds_s[i] << " s";
      else
        bound << "above the last bound";
      out.push_back(where + names[l] + " latencies " + bound.str() + ": histogram "
                    + std::to_string(n) + ", history "
                    + (lo[l][i] == hi[l][i] ? std::to_string(lo[l][i])
                                            : std::to_string(lo[l][i]) + " to "
                                                + std::to_string(hi[l][i])));
      break;
    }
}

/// Each pool's gauges at the end (as the metrics show them) against the
/// history: the calls it leaves in the pool's queues, the requests its
/// registrar holds, whether it is up.
void compare_pools(std::vector<std::string>& out, const run_result& r,
                   const history_counts& h) {
  auto compare = [&](const pool_gauge& g, const char* what, std::uint64_t live,
                     const std::vector<std::uint64_t>& recorded) {
    if (g.pool < recorded.size() && live != recorded[g.pool])
      out.push_back("pool " + std::to_string(g.pool) + " " + what
                    + " at the end: gauge " + std::to_string(live)
                    + ", history " + std::to_string(recorded[g.pool]));
  };
  for (const auto& g : r.pools) {
    compare(g, "queue length", g.queue_length, h.queued_at_end);
    compare(g, "admission backlog", g.admission_backlog, h.backlog_at_end);
    compare(g, "up", g.up ? 1 : 0, h.up_at_end);
  }
}

/// The live counter each witnessed count bounds.
counter counter_of(witnessed w) {
  auto i = static_cast<std::size_t>(w);
  auto first = static_cast<std::size_t>(witnessed::ended_first);
  if (i >= first && i < first + end_cause_count)
    return end_counter(static_cast<end_cause>(i - first));
  auto pickups = static_cast<std::size_t>(witnessed::pickups_first);
  if (i >= pickups && i < pickups + pickup_result_count)
    return pickup_counter(static_cast<pickup_result>(i - pickups));
  switch (w) {
    case witnessed::calls_started: return counter::calls_started;
    case witnessed::calls_refused: return counter::calls_not_started;
    case witnessed::calls_queued: return counter::calls_queued;
    case witnessed::calls_answered: return counter::calls_answered;
    case witnessed::calls_picked_up: return counter::calls_picked_up;
    case witnessed::queued_failed: return counter::queued_failed;
    case witnessed::established_crossed: return counter::established_crossed;
    case witnessed::established_dropped: return counter::established_dropped;
    case witnessed::bystander_calls_lost: return counter::bystander_calls_lost;
    case witnessed::stale_entries: return counter::stale_entries;
    case witnessed::stale_left: return counter::stale_left;
    case witnessed::registrations: return counter::registrations;
    case witnessed::registrations_resiliency:
      return counter::registrations_resiliency;
    case witnessed::resiliency_attempts: return counter::resiliency_attempts;
    case witnessed::resiliency_ok: return counter::resiliency_ok;
    case witnessed::eligible_attempts: return counter::eligible_attempts;
    case witnessed::eligible_ok: return counter::eligible_ok;
    case witnessed::unredirected_attempts: return counter::unredirected_attempts;
    case witnessed::unredirected_ok: return counter::unredirected_ok;
    case witnessed::stale_attempts: return counter::stale_attempts;
    case witnessed::stale_ok: return counter::stale_ok;
    case witnessed::bystander_attempts: return counter::bystander_attempts;
    case witnessed::bystander_ok: return counter::bystander_ok;
    case witnessed::ended_first:
    case witnessed::pickups_first:
      break; // the first of their runs, mapped above
  }
  throw std::logic_error{"no live counter for a witnessed count"};
}

/// Each cell's counters against the history's bounds: a counter filed in
/// the wrong column, or one that misses (or invents) what the history
/// shows, reads outside them.
void compare_cell_bounds(std::vector<std::string>& out, const std::string& where,
                         const observations& o,
                         const std::vector<cell_bounds>& cells) {
  for (std::size_t i = 0; i < cells.size() && i / column_count < o.pairs(); ++i) {
    auto p = static_cast<pair_id>(i / column_count);
    auto c = static_cast<column>(i % column_count);
    for (std::size_t k = 0; k < witnessed_count; ++k) {
      auto live = o.get(p, c, counter_of(static_cast<witnessed>(k)));
      auto lo = cells[i].lo[k];
      auto hi = cells[i].hi[k];
      if (live >= lo && live <= hi)
        continue;
      out.push_back(where + "pair " + std::to_string(p) + ", " + std::string{name(c)}
                    + ": " + std::string{name(counter_of(static_cast<witnessed>(k)))}
                    + ": counters " + std::to_string(live) + ", history "
                    + (lo == hi ? std::to_string(lo)
                                : std::to_string(lo) + " to " + std::to_string(hi)));
    }
  }
}

void compare_cells(std::vector<std::string>& out, const observations& o,
                   const history_counts& h) {
  if (h.cells_bound)
    compare_cell_bounds(out, "", o, h.cells);
}

/// The users gauge by pool and mode at the end against the registrations
/// the history leaves, where it settles them.
void compare_users(std::vector<std::string>& out, const run_result& r,
                   const history_counts& h) {
  if (h.users_by_mode.empty() || r.users_by_mode.size() != h.users_by_mode.size())
    return;
  for (std::size_t i = 0; i < h.users_by_mode.size(); ++i)
    if (r.users_by_mode[i] != h.users_by_mode[i]) {
      out.push_back("users of pool " + std::to_string(i / 3) + " in mode "
                    + std::string{name(static_cast<user_mode>(i % 3))}
                    + " at the end: gauge " + std::to_string(r.users_by_mode[i])
                    + ", history " + std::to_string(h.users_by_mode[i]));
      return;
    }
}

/// The report's timeline of phases and its refused actions against the
/// history's pair_phase and action facts.
void compare_timeline(std::vector<std::string>& out, const run_result& r,
                      const history_counts& h) {
  if (r.refused.size() != h.refused_actions)
    out.push_back("refused actions: report " + std::to_string(r.refused.size())
                  + ", history " + std::to_string(h.refused_actions));
  if (r.phases.size() != h.phases.size()) {
    out.push_back("phases: report " + std::to_string(r.phases.size())
                  + ", history " + std::to_string(h.phases.size()));
    return;
  }
  auto text = [](sim_duration at, std::uint32_t pair, pair_phase ph) {
    return "pair " + std::to_string(pair) + " " + std::string{name(ph)} + " at "
           + format_duration(at);
  };
  for (std::size_t i = 0; i < r.phases.size(); ++i) {
    const auto& a = r.phases[i];
    const auto& b = h.phases[i];
    if (a.at != b.at || a.pair != b.pair || a.phase != b.phase) {
      out.push_back("phase " + std::to_string(i + 1) + ": report "
                    + text(a.at, a.pair, a.phase) + ", history "
                    + text(b.at, b.pair, b.phase));
      return;
    }
  }
}

} // namespace

std::vector<std::string> view_disagreements(const live_view& v,
                                            const instant_bounds& b) {
  std::vector<std::string> out;
  const auto& t = v.total;
  auto where = "live view at " + format_duration(b.at) + ": ";
  compare_cell_bounds(out, where, t.obs, b.cells);
  if (t.arrivals < b.arrivals_lo || t.arrivals > b.arrivals_hi)
    out.push_back(where + "arrivals: generator " + std::to_string(t.arrivals)
                  + ", history " + std::to_string(b.arrivals_lo)
                  + (b.arrivals_hi == std::numeric_limits<std::uint64_t>::max()
                       ? std::string{" or more"}
                       : " to " + std::to_string(b.arrivals_hi)));
  auto gauge = [&](const std::string& what, std::uint64_t live, std::uint64_t lo,
                   std::uint64_t hi) {
    if (live < lo || live > hi)
      out.push_back(where + what + ": gauge " + std::to_string(live) + ", history "
                    + std::to_string(lo) + " to " + std::to_string(hi));
  };
  gauge("calls ringing", t.calls_ringing, b.ringing_lo, b.ringing_hi);
  gauge("calls established", t.calls_established, b.established_lo, b.established_hi);
  for (const auto& g : t.pools) {
    auto pool = "pool " + std::to_string(g.pool);
    if (g.pool < b.queued_lo.size())
      gauge(pool + " queue length", g.queue_length, b.queued_lo[g.pool],
            b.queued_hi[g.pool]);
    if (g.pool < b.backlog_lo.size())
      gauge(pool + " admission backlog", g.admission_backlog,
            b.backlog_lo[g.pool], b.backlog_hi[g.pool]);
    if (g.pool < b.up_lo.size())
      gauge(pool + " up", g.up ? 1 : 0, b.up_lo[g.pool], b.up_hi[g.pool]);
  }
  if (b.latencies_known)
    compare_latencies(out, where, t.latencies, b.latencies_lo, b.latencies_hi);
  if (!b.users_lo.empty() && t.users_by_mode.size() == b.users_lo.size())
    for (std::size_t i = 0; i < b.users_lo.size(); ++i)
      if (t.users_by_mode[i] < b.users_lo[i] || t.users_by_mode[i] > b.users_hi[i]) {
        out.push_back(where + "users of pool " + std::to_string(i / 3) + " in mode "
                      + std::string{name(static_cast<user_mode>(i % 3))}
                      + ": gauge " + std::to_string(t.users_by_mode[i])
                      + ", history " + std::to_string(b.users_lo[i]) + " to "
                      + std::to_string(b.users_hi[i]));
        break;
      }
  return out;
}

std::vector<std::string> disagreements(const run_result& r,
                                       const history_counts& h) {
  std::vector<std::string> out;
  const auto& o = r.obs;
  compare_counts(out, "", h, true, [&](counter k) { return o.total(k); });
  // Per pair too: the live counters feed each pair's metrics, and a count
  // filed under the wrong pair keeps every total right.
  for (std::size_t p = 0; p < h.pairs.size() && p < o.pairs(); ++p)
    compare_counts(out, "pair " + std::to_string(p) + ": ", h.pairs[p], false,
                   [&](counter k) {
                     return o.pair_total(static_cast<pair_id>(p), k);
                   });
  compare_cells(out, o, h);
  compare_end_totals(out, o, h);
  compare_pools(out, r, h);
  compare_timeline(out, r, h);
  if (h.run_end >= sim_duration{0} && r.simulated != h.run_end)
    out.push_back("simulated length: report " + format_duration(r.simulated)
                  + ", history " + format_duration(h.run_end));
  compare_users(out, r, h);
  if (h.latencies_known)
    compare_latencies(out, "", r.latencies, h.latencies, h.latencies);
  return out;
}

} // namespace calldrill
