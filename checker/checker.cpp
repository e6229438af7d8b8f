// The checker's interface: facts in, in the order they were made; the
// verdict out. The replay itself is in checker/replay*.cpp.
#include "checker/checker.hpp"

#include "checker/outcomes.hpp"
#include "checker/replay.hpp"
#include "model/cache_fetch.hpp"

#include <algorithm>

namespace calldrill {

using namespace checking;

struct history_checker::impl : replay {
  using replay::replay;
};

// -- the interface ------------------------------------------------------------------

history_checker::history_checker(std::shared_ptr<const topology> topo,
                                 const scenario& s)
  : impl_(std::make_unique<impl>(std::move(topo), s)) {}

history_checker::~history_checker() = default;

void history_checker::expect_timeline(std::vector<drill_action> timeline) {
  impl_->expect_timeline(std::move(timeline));
}

void history_checker::expect_live_views(sim_duration every,
                                        sim_duration arrivals_ahead,
                                        std::size_t users_every,
                                        instant_judge judge) {
  auto& m = *impl_;
  if (every <= sim_duration{0})
    return;
  m.live_judge = std::move(judge);
  m.live_every = every;
  m.live_ahead = arrivals_ahead;
  m.live_users_every = std::max<std::size_t>(1, users_every);
}

void history_checker::put(const fact& f) {
  auto& m = *impl_;
  ++m.counts.facts;
  if (f.at + m.tolerance < m.current)
    m.run.steps.add(std::string{name(f.kind)} + " at " + at_text(f.at)
                    + " recorded after facts of " + at_text(m.current)
                    + ": the history went back in time (something acted on "
                      "an instant already past)");
  m.settle_world(f.at);
  m.advance(f.at);
  if (f.kind == fact_kind::reg_requested || f.kind == fact_kind::reg_admitted
      || f.kind == fact_kind::reg_dropped || f.kind == fact_kind::reg_confirmed)
    m.note_touched(f.user, f.at);
  switch (f.kind) {
    case fact_kind::pool_down:
    case fact_kind::pool_up:
    case fact_kind::call_park_on:
    case fact_kind::call_park_off:
      m.note_world_change(f.at);
      m.on_pool(f);
      break;
    case fact_kind::orbit_set:
      m.note_world_change(f.at);
      m.on_orbit(f);
      break;
    case fact_kind::pair_phase:
      m.note_world_change(f.at);
      m.counts.phases.push_back({f.at, f.group, static_cast<pair_phase>(f.code)});
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
      if (f.pool != no_pool && m.topo.pools[f.pool].pair != m.pair_of(f.user))
        m.confirmed_abroad.push_back(f.user);
      m.refresh_registered(f.user, f.at);
      break;
    case fact_kind::call_started:
      m.count_arrival(f);
      m.on_started(f);
      break;
    case fact_kind::call_refused:
      ++m.counts.calls_refused;
      ++m.pair_counts(f.user).calls_refused;
      if (f.user < m.topo.user_count())
        m.bound(m.pair_of(f.user), f.at, witnessed::calls_refused);
      m.count_arrival(f);
      m.kept_out(f);
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
      m.counts.refused_actions += f.value == 1 ? 1 : 0;
      m.on_action(f);
      break;
    case fact_kind::clock_lag:
      m.lag = std::max(m.lag, sim_duration{f.value});
      break;
    default:
      break; // regs_lost: for the record
  }
}

void history_checker::put_all(const fact* first, std::size_t n) {
  // Far enough ahead for a fetch to arrive while the facts between are
  // handled (each takes about a tenth of a microsecond).
  constexpr std::size_t ahead = 12;
  const auto& m = *impl_;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + ahead < n) {
      const auto& next = first[i + ahead];
      if (next.user < m.rep.users.size())
        fetch_line(&m.rep.users[next.user]);
      const void* entry = nullptr;
      if (next.kind >= fact_kind::call_started && next.kind <= fact_kind::call_ended)
        entry = m.calls.where(next.id);
      else if (next.kind == fact_kind::pickup_dialed
               || next.kind == fact_kind::pickup_done)
        entry = m.attempts.where(next.id);
      if (entry != nullptr)
        fetch_line(entry);
    }
    put(first[i]);
  }
}

check_report history_checker::finish() {
  auto& m = *impl_;
  auto end = m.run.end >= sim_duration{0} ? m.run.end : m.current;
  if (m.scn.run.clock == clock_kind::virtual_time)
    m.counts.run_end = m.run.end;
  // In realtime, what was due within the tolerance before the end may not
  // have happened when the run stopped: it is not judged.
  auto judged_until = end - m.tolerance;
  if (m.tolerance > sim_duration{0}) {
    m.look_queued(judged_until);
    m.awaiting_queue = {};
  }
  m.advance(end + sim_duration{1});
  m.settle_transitions(sim_duration::max() - m.tolerance);
  if (m.live_judge)
    m.live_finish();
  m.checkpoints.clear();
  if (m.world_touched)
    m.compare_world(m.touched_at);
  m.unplayed_actions(judged_until);
  m.calls.for_each([&](call_id id, const live_call& c) {
    ++m.run.calls_alive_at_end;
    m.counts.ringing_at_end += c.state == call_state::ringing ? 1 : 0;
    // Rung until the end: abandons are counted until the end too.
    if (c.state == call_state::ringing && c.rang != no_pool)
      m.rang_until(c, std::max(c.started, end), false);
    if (c.state == call_state::ringing && m.outlived_its_pool(c, judged_until))
      m.run.conservation.add(m.outlived_text(id, c)
                             + ", and still rang at the end");
    if (c.state == call_state::ringing && m.rang_too_long(c, judged_until))
      m.run.conservation.add("call " + id_text(id) + " still rang at the end, "
                             "past its ring timeout at "
                             + at_text(c.started + m.scn.traffic.ring_timeout));
    if (c.state == call_state::established
        && c.established + c.hold < judged_until)
      m.cell_for(c.callee)
        .dropped.add("call " + id_text(id) + " of user "
                     + id_text(c.callee) + " should have hung up at "
                     + at_text(c.established + c.hold)
                     + " and was never ended");
  });
  if (m.tolerance == sim_duration{0} && m.rep.latest_change() < end) {
    std::vector<std::uint64_t> most;
    m.users_gauge(m.counts.users_by_mode, most, {});
    for (std::size_t p = 0; p < m.topo.pools.size(); ++p) {
      m.counts.backlog_at_end.push_back(m.backlog_gauge[p].now);
      m.counts.up_at_end.push_back(m.up_gauge[p].now);
    }
  }
  m.counts.queued_at_end.assign(m.topo.pools.size(), 0);
  for (const auto& [key, q] : m.rep.queues) {
    auto pool = static_cast<pool_id>(key >> 32);
    if (pool < m.topo.pools.size())
      for (const auto& e : q)
        m.counts.queued_at_end[pool] += e.downs == m.rep.now().downs[pool] ? 1 : 0;
  }
  // A call leaves its pickup queue when it stops ringing.
  for (const auto& [key, q] : m.rep.queues)
    for (const auto& e : q)
      if (!m.still_ringing(e.call, judged_until))
        m.run.conservation.add(
          "call " + id_text(e.call) + " of user " + id_text(e.callee)
          + " still waited in " + m.fqdn[static_cast<pool_id>(key >> 32)]
          + "'s queue at the end, though it no longer rang");
  m.look_load(judged_until, end);
  m.look_capacity();
  for (std::size_t p = 0; p < m.backlogs.size(); ++p)
    m.keep_pace(static_cast<pool_id>(p), judged_until);
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
  r.counts.cells_bound = t.trusted();
  return r;
}

} // namespace calldrill
