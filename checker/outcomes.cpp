// Each check reads the checker's tallies: a violation found in the history
// fails it, a cell whose column was entered but saw no traffic of affected
// users is not covered (and fails coverage), and availability is a ratio
// of eligible pickups against the scenario's threshold.
#include "checker/outcomes.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace calldrill::checking {

namespace {

constexpr column all_columns[] = {column::normal, column::failover_during,
                                  column::failover_after,
                                  column::failback_during,
                                  column::failback_after};

std::string num(std::uint64_t n) { return std::to_string(n); }

void add_evidence(check_outcome& c, const evidence& e) {
  for (const auto& l : e.lines)
    if (c.evidence.size() < 5)
      c.evidence.push_back(l);
}

/// Fails on violations, else passes with traffic, else not covered.
void settle(check_outcome& c, std::uint64_t violations, bool traffic) {
  c.status = violations > 0 ? check_status::fail
             : traffic      ? check_status::pass
                            : check_status::not_covered;
}

check_outcome pickups_check(const cell_tally& cell, column col,
                            const std::string& pair, double threshold,
                            bool redirected) {
  check_outcome c;
  c.id = "new_calls." + std::string{name(col)};
  c.pair = pair;
  const auto& t = cell.pickups;
  bool during = col == column::failover_during || col == column::failback_during;
  std::ostringstream exp;
  if (during)
    exp << "no pickup succeeds with a picker or callee in resiliency mode; ";
  exp << "no pickup succeeds that the table forbids; eligible pickups "
         "succeed at ratio >= " << threshold;
  c.expected = exp.str();
  c.observed = num(t.wrongly_ok.count) + " forbidden pickups succeeded, "
               + num(t.eligible_ok) + "/" + num(t.eligible) + " eligible ok, "
               + num(t.in_resiliency) + " of " + num(t.attempts)
               + " attempts involved resiliency";
  bool low = t.eligible > 0
             && static_cast<double>(t.eligible_ok)
                  < threshold * static_cast<double>(t.eligible);
  c.threshold = threshold;
  if (t.eligible > 0)
    c.observed_value = static_cast<double>(t.eligible_ok)
                       / static_cast<double>(t.eligible);
  settle(c, t.wrongly_ok.count + (low ? 1 : 0), t.attempts > 0);
  c.brief = during ? "res " + num(t.in_resiliency) + " bad "
                       + num(t.wrongly_ok.count)
                  : "ok " + num(t.eligible_ok) + "/" + num(t.eligible)
                      + (t.wrongly_ok.count > 0
                           ? " bad " + num(t.wrongly_ok.count)
                           : "");
  add_evidence(c, t.wrongly_ok);
  if (low)
    add_evidence(c, t.refused);
  if (!during && col != column::normal && cell.entered && !redirected
      && t.attempts > 0)
    c.note = "GCP stayed down for the failed pool's users: the runbook did "
             "not redirect all their ranges to the pool serving them";
  return c;
}

check_outcome queued_check(const cell_tally& cell, column col,
                           const std::string& pair) {
  check_outcome c;
  c.id = "queued_calls." + std::string{name(col)};
  c.pair = pair;
  c.expected = col == column::failover_after
                 ? "no affected call queued before failover completed waits "
                   "after it or is answered"
                 : "no affected call queued before the transition (or while "
                   "its callee was in resiliency) is answered through GCP";
  auto bad = cell.stale_answered.count + cell.stale_left.count
             + cell.bad_removal.count + cell.not_queued.count;
  c.observed = num(cell.stale_answered.count) + " stale answered, "
               + num(cell.stale_left.count) + " left waiting, "
               + num(cell.bad_removal.count) + " ringing calls removed, "
               + num(cell.not_queued.count) + " never queued; "
               + num(cell.queued_crossing) + " queued at entry, "
               + num(cell.queued_in_column) + " queued in it";
  c.observed_value = static_cast<double>(bad);
  c.threshold = 0;
  settle(c, bad, cell.queued_crossing + cell.queued_in_column > 0);
  c.brief = "q " + num(cell.queued_crossing + cell.queued_in_column)
            + " bad " + num(bad);
  for (const auto* e : {&cell.stale_answered, &cell.stale_left,
                        &cell.bad_removal, &cell.not_queued})
    add_evidence(c, *e);
  return c;
}

check_outcome established_check(const cell_tally& cell, column col,
                                const std::string& pair) {
  check_outcome c;
  c.id = "established_calls." + std::string{name(col)};
  c.pair = pair;
  c.expected = "established calls stay connected: each ends at its drawn "
               "hang-up time";
  c.observed = num(cell.dropped.count) + " dropped of "
               + num(cell.established_crossing)
               + (col == column::normal ? " established" : " crossing");
  c.observed_value = static_cast<double>(cell.dropped.count);
  c.threshold = 0;
  settle(c, cell.dropped.count, cell.established_crossing > 0);
  c.brief = "drop " + num(cell.dropped.count) + "/"
            + num(cell.established_crossing);
  add_evidence(c, cell.dropped);
  return c;
}

check_outcome blast_radius(const run_tally& run, double threshold) {
  const auto& b = run.bystanders;
  check_outcome c;
  c.id = "blast_radius";
  std::ostringstream exp;
  exp << "bystanders keep full service through a partner's DR: eligible "
         "pickups ratio >= " << threshold
      << ", no forbidden pickup, no queued or established call touched";
  c.expected = exp.str();
  const auto& t = b.pickups;
  c.observed = num(t.eligible_ok) + "/" + num(t.eligible) + " pickups ok, "
               + num(t.wrongly_ok.count) + " forbidden ok, "
               + num(b.dropped.count) + " established dropped, "
               + num(b.bad_removal.count + b.not_queued.count + b.stale_answered.count)
               + " queued calls touched";
  bool low = t.eligible > 0
             && static_cast<double>(t.eligible_ok)
                  < threshold * static_cast<double>(t.eligible);
  if (t.eligible > 0)
    c.observed_value = static_cast<double>(t.eligible_ok)
                       / static_cast<double>(t.eligible);
  c.threshold = threshold;
  auto bad = t.wrongly_ok.count + b.dropped.count + b.bad_removal.count
             + b.not_queued.count + b.stale_answered.count + (low ? 1 : 0);
  settle(c, bad, t.attempts > 0);
  for (const auto* e : {&t.wrongly_ok, &b.dropped, &b.bad_removal,
                        &b.not_queued, &b.stale_answered})
    add_evidence(c, *e);
  if (low)
    add_evidence(c, t.refused);
  return c;
}

/// A run-wide check that fails on any violation it gathered (and on `more`
/// besides), passes with `traffic` and is otherwise not covered.
check_outcome violations_check(std::string id, std::string expected,
                               std::string observed, const evidence& e,
                               bool traffic, std::uint64_t more = 0) {
  check_outcome c;
  c.id = std::move(id);
  c.expected = std::move(expected);
  c.observed = std::move(observed);
  c.observed_value = static_cast<double>(e.count);
  c.threshold = 0;
  settle(c, e.count + more, traffic);
  add_evidence(c, e);
  return c;
}

check_outcome conservation(const run_tally& run) {
  bool adds_up = run.calls_started == run.calls_ended + run.calls_alive_at_end;
  return violations_check(
    "call_conservation",
    "every call that started ends once or is still up at the end; nothing "
    "is answered or ended that never rang; no call rings past its ring "
    "timeout; no pool queues a call it cannot hold; a call ringing through "
    "a pool that fails ends with it; a call leaves its queue when it stops "
    "ringing: no pickup answers it after",
    num(run.calls_started) + " started = " + num(run.calls_ended)
      + " ended + " + num(run.calls_alive_at_end) + " still up; "
      + num(run.conservation.count) + " impossible facts",
    run.conservation, run.calls_started > 0, adds_up ? 0 : 1);
}

check_outcome registrar(const run_tally& run) {
  return violations_check(
    "registrations",
    "a client leaves its home pool only for its backup, once the home was "
    "silent for the failover interval or failover was invoked, and goes "
    "back only on failback; within the detection jitter of failover being "
    "invoked, or of the failover interval passing since its pool failed, "
    "every user of the failed pool has asked the backup; after "
    "failback is invoked every one registered there asks home within the "
    "move jitter; a client its pool forgot in a blip asks again within its "
    "registration refresh; a pool admits only while up, only users who "
    "asked it since it last came up, and no faster than its registrations "
    "per second",
    num(run.registrations) + " admitted, " + num(run.registrar.count)
      + " against the rules",
    run.registrar, run.registrations > 0);
}

check_outcome pace(const run_tally& run, bool realtime) {
  auto c = violations_check(
    "admission_pace",
    "a registrar with requests waiting admits them at its "
    "registrations_per_second, to within two tenths of a second and two "
    "registrations (its ticks admit in batches)",
    num(run.registrations) + " admitted, " + num(run.pace.count)
      + " registrars behind their rate",
    run.pace, run.registrations > 0);
  if (realtime)
    c.note = "not judged in realtime: a registrar that acts late admits later";
  return c;
}

check_outcome world_steps(const run_tally& run) {
  // A run without actions still had its world checked: never not covered.
  return violations_check(
    "world_steps",
    "every change of the world (pools up or down, Call Park, where ranges "
    "point, each pair's DR phase) is the one the drill's actions make, as "
    "the checker reads the runbook's phases; every action of the drill is "
    "played at its instant, refused only where the phases forbid it; the "
    "history never goes back in time",
    num(run.actions) + " actions played, " + num(run.steps.count)
      + " steps against the drill",
    run.steps, true);
}

check_outcome causes(const run_tally& run) {
  return violations_check(
    "failure_causes",
    "every failed pickup and lost call is booked with a cause that was "
    "true; a call to an unregistered user never rings",
    num(run.lies.count) + " causes not true", run.lies, run.calls_started > 0);
}

check_outcome load(const run_tally& run) {
  return violations_check(
    "offered_load",
    "calls arrive as the traffic stages say, whatever the system does: in "
    "every stretch between changes of the stages or the world the calls "
    "that arrived (started, or refused by max_active_calls) are within six "
    "standard deviations and ten calls of the stages' Poisson rate, none "
    "after the run's end, each pool's users are called in proportion "
    "to their number, and members of the group dial pickups at "
    "pickup.by_member's share",
    num(run.arrivals) + " calls arrived, "
      + num(static_cast<std::uint64_t>(std::llround(run.arrivals_expected)))
      + " offered; " + num(run.load.count) + " stretches or pools off",
    run.load, run.arrivals_expected >= 1 || run.arrivals > 0 || run.dials > 0);
}

/// A count of draws against its summed risk (a Poisson count's bound).
void judge_draws(evidence& e, const char* what, std::uint64_t seen,
                 double risk, double p) {
  double bound = 6 * std::sqrt(risk) + 10;
  if (std::abs(static_cast<double>(seen) - risk) <= bound)
    return;
  std::ostringstream line;
  line << seen << " " << what << " where the calls' time ringing makes "
       << std::llround(risk) << " expected at probability " << p << " (at most "
       << std::llround(bound) << " off)";
  e.add(line.str());
}

check_outcome timing(const run_tally& run, const traffic_spec& t, bool realtime) {
  // The hold times drawn: exponential with the scenario's mean. Their mean
  // strays by six standard errors (mean / sqrt(n)) about once in a billion
  // runs; the time grid lengthens each by at most 10 ms.
  evidence e = run.timing;
  double mean = to_seconds(t.hold_mean);
  if (run.holds >= 30) {
    double n = static_cast<double>(run.holds);
    double got = run.hold_sum_s / n;
    double bound = 6 * mean / std::sqrt(n) + 0.02;
    if (std::abs(got - mean) > bound) {
      std::ostringstream line;
      line << "the " << run.holds << " hold times drawn average " << got
           << " s; hold_time.mean is " << mean << " s (at most " << bound
           << " s off)";
      e.add(line.str());
    }
  }
  // Callers' patience: exponential with abandon_mean, at risk while a call
  // rings. Over all the time calls rang, abandons come at one per mean
  // (memoryless, whatever else ended the ringing first).
  double patience = to_seconds(t.abandon_mean);
  if (patience > 0 && run.ringing_s > 0) {
    double want = run.ringing_s / patience;
    double bound = 6 * std::sqrt(want) + 10;
    if (std::abs(static_cast<double>(run.abandons) - want) > bound) {
      std::ostringstream line;
      line << run.abandons << " callers abandoned over " << run.ringing_s
           << " s of ringing; abandon_mean (" << patience << " s) makes "
           << std::llround(want) << " expected (at most " << std::llround(bound)
           << " off)";
      e.add(line.str());
    }
  }
  // Answers and pickup dials: each ringing call draws them once, at
  // answer.probability and pickup.probability, at a delay uniform in the
  // window; while the call still rings they come at the rate of their
  // risk, whatever else ends the ringing (a count of events against its
  // compensator). Virtual time only: late actors shift the delays.
  if (!realtime) {
    judge_draws(e, "calls answered", run.answers_timed, run.answer_risk,
                t.answer_probability);
    judge_draws(e, "pickups dialled", run.dials_seen, run.dial_risk,
                t.pickup_probability);
  }
  auto c = violations_check(
    "call_timing",
    "calls are answered within answer.delay of their start and dialled for "
    "pickup within pickup.delay (to the time grid, and the tolerance in "
    "realtime); the hold times drawn average hold_time.mean within six "
    "standard errors; callers abandon at one per abandon_mean of ringing; "
    "ringing calls are answered at answer.probability and dialled for pickup "
    "at pickup.probability over the time they rang",
    num(run.answers_timed) + " answers (" + num(std::llround(run.answer_risk))
      + " expected) and " + num(run.dials_timed) + " pickup dials ("
      + num(std::llround(run.dial_risk)) + " expected) timed, "
      + num(run.holds) + " hold times; " + num(run.abandons) + " abandons; "
      + num(e.count) + " off",
    e, run.answers_timed + run.dials_timed + run.holds > 0 || run.ringing_s > 0);
  if (realtime)
    c.note = "answer and pickup probabilities not judged in realtime: late "
             "actors shift the delays";
  return c;
}

check_outcome coverage(const std::vector<check_outcome>& cells,
                       const std::vector<bool>& entered) {
  check_outcome c;
  c.id = "coverage";
  c.expected = "every cell of every DR phase the run entered saw traffic of "
               "affected users";
  bool any = false;
  std::vector<std::string> empty;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (!entered[i])
      continue;
    any = true;
    if (cells[i].status == check_status::not_covered)
      empty.push_back(cells[i].id + "@" + cells[i].pair);
  }
  if (!any) {
    c.status = check_status::fail;
    c.observed = "no pair went through a DR phase: nothing was checked";
  } else if (!empty.empty()) {
    c.status = check_status::fail;
    c.observed = num(empty.size()) + " cells without traffic:";
    for (const auto& e : empty)
      c.observed += " " + e;
  } else {
    c.status = check_status::pass;
    c.observed = "every entered cell had traffic";
  }
  c.observed_value = static_cast<double>(empty.size());
  c.threshold = 0;
  return c;
}

} // namespace

std::vector<check_outcome> pair_runbook_checks(const outcome_inputs& in,
                                               pair_id p);

verdict decide(const outcome_inputs& in) {
  const double threshold = in.scn.expect.pickup_success_ratio_min;
  verdict v;
  std::vector<check_outcome> dr_cells;
  std::vector<bool> dr_entered;
  for (std::size_t p = 0; p < in.topo.pairs.size(); ++p) {
    const auto& pt = in.pairs[p];
    const auto& name_ = in.topo.pairs[p].name;
    bool paired = in.topo.pairs[p].b != no_pool;
    for (auto col : all_columns) {
      if (col != column::normal && !paired)
        continue;
      const auto& cell = pt.cells[static_cast<std::size_t>(col)];
      bool redirected = col == column::failover_after
                          ? pt.redirected_after_failover
                          : pt.redirected_after_failback;
      // In normal operation every eligible pickup succeeds (DOMAIN.md
      // section 4); the scenario's ratio is for the DR phases.
      auto cell_threshold = col == column::normal ? 1.0 : threshold;
      for (auto c : {pickups_check(cell, col, name_, cell_threshold, redirected),
                     queued_check(cell, col, name_),
                     established_check(cell, col, name_)}) {
        if (col != column::normal && !cell.entered)
          c.note = "the pair never entered this phase";
        if (col != column::normal) {
          dr_cells.push_back(c);
          dr_entered.push_back(cell.entered);
        }
        v.checks.push_back(std::move(c));
      }
    }
  }
  v.checks.push_back(blast_radius(in.run, 1.0)); // bystanders: always
  v.checks.push_back(conservation(in.run));
  v.checks.push_back(registrar(in.run));
  v.checks.push_back(pace(in.run, in.scn.run.clock == clock_kind::realtime));
  v.checks.push_back(world_steps(in.run));
  v.checks.push_back(causes(in.run));
  v.checks.push_back(load(in.run));
  v.checks.push_back(timing(in.run, in.scn.traffic,
                           in.scn.run.clock == clock_kind::realtime));
  v.checks.push_back(coverage(dr_cells, dr_entered));
  for (std::size_t p = 0; p < in.topo.pairs.size(); ++p)
    for (auto& c : pair_runbook_checks(in, static_cast<pair_id>(p)))
      v.checks.push_back(std::move(c));
  return v;
}

} // namespace calldrill::checking
