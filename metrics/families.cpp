// Builds calldrill's metric families once per run: names, help, label sets,
// and the bindings from each series to the live-view value it mirrors.
#include "metrics/families.hpp"

#include "calldrill/version.hpp"
#include "model/chaos.hpp"

#include <sstream>
#include <string>

namespace calldrill::metrics_detail {

namespace {

using prometheus::Labels;

/// A counter family over observation cells: one series per pair, column and
/// entry of `values` (its extra labels and the counters it mirrors).
struct cell_family {
  const char* name;
  const char* help;
  struct series {
    Labels labels;
    counter plus;
    bool has_minus = false;
    counter minus{};
  };
  std::vector<series> values;
};

cell_family single(const char* name, const char* help, counter c) {
  return {name, help, {{{}, c}}};
}

/// One family per pickup class of the oracle (classes overlap: bystander
/// attempts are eligible too, so each class is its own family), split by
/// result: ok or failed, which add up to the class's attempts.
void pickup_classes(std::vector<cell_family>& out) {
  struct cls {
    const char* name;
    const char* help;
    counter attempts;
    counter ok;
  };
  const cls classes[] = {
    {"calldrill_pickup_eligible_attempts_total",
     "Pickup attempts where every rule held, by result (ok or failed)",
     counter::eligible_attempts, counter::eligible_ok},
    {"calldrill_pickup_resiliency_attempts_total",
     "Pickup attempts involving a user in resiliency mode, by result (ok "
     "must stay 0)",
     counter::resiliency_attempts, counter::resiliency_ok},
    {"calldrill_pickup_unredirected_attempts_total",
     "Pickup attempts whose orbit range pointed away from the callee's pool, "
     "by result (ok must stay 0)",
     counter::unredirected_attempts, counter::unredirected_ok},
    {"calldrill_pickup_stale_attempts_total",
     "Pickup attempts aimed at a queue entry from before a DR transition, by "
     "result (ok must stay 0)",
     counter::stale_attempts, counter::stale_ok},
    {"calldrill_pickup_bystander_attempts_total",
     "Eligible pickup attempts between users at home on a live pool "
     "(bystanders), by result",
     counter::bystander_attempts, counter::bystander_ok},
  };
  for (const auto& c : classes)
    out.push_back({c.name, c.help,
                   {{{{"result", "ok"}}, c.ok},
                    {{{"result", "failed"}}, c.attempts, true, c.ok}}});
}

std::vector<cell_family> cell_families() {
  std::vector<cell_family> out;
  out.push_back(single("calldrill_calls_started_total",
                       "Calls that started ringing", counter::calls_started));
  out.push_back(single("calldrill_calls_queued_total",
                       "Ringing calls entered in a Group Call Pickup queue",
                       counter::calls_queued));
  out.push_back({"calldrill_calls_established_total",
                 "Calls established, by how: answered by the callee or "
                 "picked_up through Group Call Pickup",
                 {{{{"how", "answered"}}, counter::calls_answered},
                  {{{"how", "picked_up"}}, counter::calls_picked_up}}});
  out.push_back(single("calldrill_call_arrivals_dropped_total",
                       "Arrivals not started because the active-call limit "
                       "was reached (counted, never blocked)",
                       counter::calls_not_started));
  cell_family ended{"calldrill_calls_ended_total",
                    "Calls ended, by cause (dropped_by_pool: an established "
                    "call ended by a pool event)",
                    {}};
  for (std::size_t c = 0; c < end_cause_count; ++c) {
    auto cause = static_cast<end_cause>(c);
    ended.values.push_back(
      {{{"cause", std::string{name(cause)}}}, end_counter(cause)});
  }
  out.push_back(std::move(ended));
  out.push_back(single("calldrill_queued_calls_failed_total",
                       "Calls queued for pickup that failed (rang out or were "
                       "lost)",
                       counter::queued_failed));
  cell_family pickups{"calldrill_pickup_attempts_total",
                      "Group Call Pickup attempts, by result: ok, or the "
                      "cause of the failure",
                      {}};
  for (std::size_t r = 0; r < pickup_result_count; ++r) {
    auto res = static_cast<pickup_result>(r);
    pickups.values.push_back(
      {{{"result", std::string{name(res)}}}, pickup_counter(res)});
  }
  out.push_back(std::move(pickups));
  pickup_classes(out);
  out.push_back(single("calldrill_queue_entries_stale_total",
                       "Pickup queue entries made stale by a DR transition",
                       counter::stale_entries));
  out.push_back(single("calldrill_queue_entries_stale_left_total",
                       "Stale pickup queue entries still queued when failover "
                       "completed",
                       counter::stale_left));
  out.push_back(single("calldrill_established_calls_crossed_total",
                       "Established calls alive across a DR transition",
                       counter::established_crossed));
  out.push_back(single("calldrill_established_calls_dropped_total",
                       "Established calls dropped by a pool event (the source "
                       "says none may be)",
                       counter::established_dropped));
  out.push_back(single("calldrill_bystander_calls_lost_total",
                       "Calls of users of pools not involved in the drill "
                       "lost to pool events",
                       counter::bystander_calls_lost));
  out.push_back({"calldrill_registrations_total",
                 "Registrations admitted, by mode (normal or resiliency)",
                 {{{{"mode", "resiliency"}}, counter::registrations_resiliency},
                  {{{"mode", "normal"}},
                   counter::registrations,
                   true,
                   counter::registrations_resiliency}}});
  return out;
}

prometheus::Gauge* gauge(prometheus::Registry& r, const Labels& common,
                         const char* name, const char* help,
                         const Labels& labels = {}) {
  return &prometheus::BuildGauge().Name(name).Help(help).Labels(common)
            .Register(r).Add(labels);
}

prometheus::Counter* plain(prometheus::Registry& r, const Labels& common,
                           const char* name, const char* help) {
  return &prometheus::BuildCounter().Name(name).Help(help).Labels(common)
            .Register(r).Add({});
}

std::string speed_text(double speed) {
  std::ostringstream out;
  out << speed;
  return out.str();
}

/// Chaos: what happens to the estate; everything else is the runbook.
bool is_chaos(action_kind k) {
  return k == action_kind::pool_outage || k == action_kind::pool_restore
         || k == action_kind::disable_call_park;
}

} // namespace

prometheus::Labels action_labels(const topology& t, const world& w,
                                 const drill_action& a) {
  auto pool = t.find_pool(a.pool);
  for (std::size_t p = 0; pool == no_pool && p < t.pools.size(); ++p)
    if (w.fqdn(static_cast<pool_id>(p)) == a.pool)
      pool = static_cast<pool_id>(p);
  std::string pair = pool == no_pool ? "none" : t.pairs[t.pools[pool].pair].name;
  return {{"action", std::string{name(a.kind)}},
          {"source", is_chaos(a.kind) ? "chaos" : "operator"},
          {"pool", a.pool.empty() ? std::string{"none"} : a.pool},
          {"pair", pair},
          {"range", a.range.empty() ? std::string{"none"} : a.range}};
}

families::families(prometheus::Registry& r, const topology& t,
                   const scenario& s, const std::string& run_id)
  : registry(r), topo(t), common{{"run", run_id}, {"scenario", s.name}} {
  for (const auto& f : cell_families()) {
    auto& fam = prometheus::BuildCounter().Name(f.name).Help(f.help).Labels(common).Register(r);
    for (std::size_t p = 0; p < t.pairs.size(); ++p)
      for (std::size_t c = 0; c < column_count; ++c)
        for (const auto& v : f.values) {
          auto col = static_cast<column>(c);
          cell_counter b;
          auto labels = v.labels;
          labels["pair"] = t.pairs[p].name;
          labels["column"] = std::string{name(col)};
          b.metric = &fam.Add(labels);
          b.cell = p * column_count + c;
          b.plus = v.plus;
          b.has_minus = v.has_minus;
          b.minus = v.minus;
          cells.push_back(b);
        }
  }
  arrivals.metric = plain(r, common, "calldrill_call_arrivals_total",
                          "Call arrivals drawn by the open-model generator");
  messages.metric = plain(r, common, "calldrill_actor_messages_total",
                          "Messages handled by the actors of the run");
  actions.family = &prometheus::BuildCounter()
                      .Name("calldrill_drill_actions_total")
                      .Help("Drill actions played, by action, source (chaos: "
                            "outage, restore, Call Park stopping; operator: "
                            "the runbook), pool, pair and orbit range (none "
                            "when the action names no range)")
                      .Labels(common).Register(r);
  actions.timeline = full_drill(s, t);
  actions.truth = world{t};
  { // every action's series from the start, at 0: rate() and increase()
    // see the first play of each
    world names{t};
    for (const auto& a : actions.timeline) {
      actions.family->Add(action_labels(t, names, a));
      std::string refused;
      names.act(a, a.at, refused);
    }
  }
  simulated_seconds = plain(r, common, "calldrill_simulated_seconds_total",
                            "Simulated seconds elapsed: divide a rate() by "
                            "this one's rate() for a rate per simulated second");
  const char* latency_names[latency_count][2] = {
    {"calldrill_registration_latency_seconds",
     "Re-registration request to admission, simulated seconds"},
    {"calldrill_pickup_latency_seconds",
     "Start of ringing to answered by pickup, simulated seconds"},
    {"calldrill_call_setup_latency_seconds",
     "Start of ringing to established (answer or pickup), simulated seconds"}};
  prometheus::Histogram::BucketBoundaries bounds(latency_bounds_s.begin(),
                                                 latency_bounds_s.end());
  for (std::size_t i = 0; i < latency_count; ++i)
    latencies[i].metric = &prometheus::BuildHistogram()
                             .Name(latency_names[i][0])
                             .Help(latency_names[i][1])
                             .Labels(common).Register(r)
                             .Add({}, bounds);

  auto& active = prometheus::BuildGauge()
                   .Name("calldrill_calls_active")
                   .Help("Calls in progress, by state (ringing or established)")
                   .Labels(common).Register(r);
  ringing = &active.Add({{"state", "ringing"}});
  established = &active.Add({{"state", "established"}});
  simulated_time = gauge(r, common, "calldrill_simulated_time_seconds",
                         "Simulated time of the latest view");
  speed = gauge(r, common, "calldrill_speed_ratio",
                "Simulated seconds per wall second, measured since the start");
  complete = gauge(r, common, "calldrill_run_complete",
                   "1 once the run has ended and final values are published");
  wait_max = gauge(r, common, "calldrill_registration_wait_max_seconds",
                   "Longest request-to-admission wait of a registration, "
                   "simulated seconds");
  gauge(r, common, "calldrill_run_info",
        "The run (value 1): its clock, seed, speed and calldrill's version",
        {{"clock", s.run.clock == clock_kind::realtime ? "realtime" : "virtual"},
         {"seed", std::to_string(s.run.seed)},
         {"speed", s.run.clock == clock_kind::realtime ? speed_text(s.run.speed)
                                                        : std::string{"max"}},
         {"version", version}})
    ->Set(1);

  up_family = &prometheus::BuildGauge().Name("calldrill_pool_up")
                 .Help("1 while the pool is up, 0 while it is down").Labels(common).Register(r);
  queue_family = &prometheus::BuildGauge().Name("calldrill_pickup_queue_length")
                    .Help("Calls in the pool's Group Call Pickup queues")
                    .Labels(common).Register(r);
  backlog_family = &prometheus::BuildGauge()
                      .Name("calldrill_registration_backlog_users")
                      .Help("Users waiting for the pool's registrar to admit "
                            "them (a registration storm)")
                      .Labels(common).Register(r);
  users_family = &prometheus::BuildGauge().Name("calldrill_pool_users")
                    .Help("Users by pool and mode: registered users at the "
                          "pool serving them, unregistered ones at their home "
                          "pool")
                    .Labels(common).Register(r);
  pools.resize(t.pools.size());
  for (std::size_t p = 0; p < t.pools.size(); ++p)
    add_pool_series(p, t.pools[p].fqdn);

  auto& phase = prometheus::BuildGauge().Name("calldrill_pair_phase")
                  .Help("1 for the DR phase the pair is in, 0 for the others")
                  .Labels(common).Register(r);
  auto& index = prometheus::BuildGauge().Name("calldrill_pair_phase_index")
                  .Help("The pair's DR phase as its step number: 0 normal, 1 "
                        "primary_outage, 2 failover_in_progress, 3 "
                        "failover_complete, 4 ranges_redirected, 5 "
                        "primary_restored, 6 failback_in_progress, 7 "
                        "failback_complete, 8 ranges_redirected_back")
                  .Labels(common).Register(r);
  for (const auto& pair : t.pairs) {
    pair_series ps;
    for (std::size_t ph = 0; ph < pair_phase_count; ++ph)
      ps.phase[ph] = &phase.Add(
        {{"pair", pair.name},
         {"phase", std::string{name(static_cast<pair_phase>(ph))}}});
    ps.phase[0]->Set(1);
    ps.phase_index = &index.Add({{"pair", pair.name}});
    pairs.push_back(ps);
  }

  range_family = &prometheus::BuildGauge()
                    .Name("calldrill_orbit_range_target")
                    .Help("1 for the pool a GroupPickup orbit range points "
                          "at (none: a retired FQDN), 0 for pools it pointed "
                          "at before")
                    .Labels(common).Register(r);
  for (std::size_t i = 0; i < t.ranges.size(); ++i) {
    const auto& ri = t.ranges[i];
    if (ri.type != range_type::group_pickup)
      continue;
    range_series rs;
    rs.range = static_cast<range_id>(i);
    rs.current = ri.owner < t.pools.size() ? t.pools[ri.owner].fqdn : "none";
    rs.by_pool[rs.current] =
      &range_family->Add({{"range", ri.identity}, {"pool", rs.current}});
    rs.by_pool[rs.current]->Set(1);
    ranges.push_back(std::move(rs));
  }

  check_status = &prometheus::BuildGauge()
                    .Name("calldrill_check_status")
                    .Help("1 for the status (pass, fail, not_covered) of each "
                          "oracle check, 0 for the others; set at the end")
                    .Labels(common).Register(r);
  checks = &prometheus::BuildGauge()
              .Name("calldrill_checks")
              .Help("Oracle checks by status; set at the end of the run")
              .Labels(common).Register(r);
  verdict = &prometheus::BuildGauge()
               .Name("calldrill_verdict")
               .Help("1 for the run's verdict (pass, fail, inconclusive), 0 "
                     "for the others; set at the end")
               .Labels(common).Register(r);
  dr_figure = &prometheus::BuildGauge()
                 .Name("calldrill_dr_figure_seconds")
                 .Help("A pair's DR rehearsal figures, simulated seconds: rto, "
                       "time_to_service, storm_drain, gcp_restored, "
                       "gcp_down_total; set at the end, for those the run "
                       "reached")
                 .Labels(common).Register(r);
  if (s.run.clock == clock_kind::realtime) {
    clock_lag = &prometheus::BuildGauge()
                   .Name("calldrill_clock_lag_seconds")
                   .Help("Realtime: the largest lateness, simulated seconds, "
                         "with which an actor acted; set at the end")
                   .Labels(common).Register(r).Add({});
    clock_tolerance = &prometheus::BuildGauge()
                         .Name("calldrill_clock_tolerance_seconds")
                         .Help("Realtime: the lateness the checker tolerates "
                               "(run.tolerance), simulated seconds")
                         .Labels(common).Register(r).Add({});
    clock_tolerance->Set(to_seconds(s.run.tolerance));
  }
}

void families::add_pool_series(std::size_t p, const std::string& fqdn) {
  auto& ps = pools[p];
  ps.fqdn = fqdn;
  ps.up = &up_family->Add({{"pool", fqdn}});
  ps.up->Set(1);
  ps.queue_length = &queue_family->Add({{"pool", fqdn}});
  ps.backlog = &backlog_family->Add({{"pool", fqdn}});
  for (std::size_t m = 0; m < 3; ++m)
    ps.users[m] = &users_family->Add(
      {{"pool", fqdn}, {"mode", std::string{name(static_cast<user_mode>(m))}}});
}

void families::remove_pool_series(std::size_t p) {
  auto& ps = pools[p];
  up_family->Remove(ps.up);
  queue_family->Remove(ps.queue_length);
  backlog_family->Remove(ps.backlog);
  for (auto* g : ps.users)
    users_family->Remove(g);
  ps = pool_series{};
}

} // namespace calldrill::metrics_detail
