// The checker: replays a run's history of facts with its own reading of the
// source's table (DOMAIN.md sections 1 and 3) and decides every check. It
// shares no rule code with the simulated system: it stands on the history
// format and the topology's data alone (the build enforces it), keeps its
// own state of pools, registrations, ranges and queues, and consumes facts
// as they are made, so its memory follows live calls, not the run's length.
#pragma once

#include "checker/verdict.hpp"
#include "history/fact.hpp"
#include "model/latencies.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <array>
#include <functional>
#include <memory>
#include <vector>

namespace calldrill {

/// The live counters the history bounds cell by cell (a pair's column of
/// the table), beyond the exact counts of history_counts.
enum class witnessed : std::uint8_t {
  calls_started,
  calls_refused,
  calls_queued,
  calls_answered,
  calls_picked_up,
  ended_first, ///< one per end cause, in end_cause order
  queued_failed = ended_first + end_cause_count,
  established_crossed,
  established_dropped,
  bystander_calls_lost,
  stale_entries,
  stale_left,
  registrations,
  registrations_resiliency,
  resiliency_attempts,
  resiliency_ok,
  eligible_attempts,
  eligible_ok,
  unredirected_attempts,
  unredirected_ok,
  stale_attempts,
  stale_ok,
  bystander_attempts,
  bystander_ok,
  pickups_first, ///< one per pickup result, in pickup_result order
};
constexpr std::size_t witnessed_count =
  static_cast<std::size_t>(witnessed::pickups_first) + pickup_result_count;
constexpr witnessed pickup_witness(pickup_result r) {
  return static_cast<witnessed>(static_cast<std::size_t>(witnessed::pickups_first)
                                + static_cast<std::size_t>(r));
}
constexpr witnessed ended_witness(end_cause c) {
  return static_cast<witnessed>(static_cast<std::size_t>(witnessed::ended_first)
                                + static_cast<std::size_t>(c));
}

/// What a live counter may read in one cell, as the history has it: at
/// least `lo` (the events it surely counts there) and at most `hi` (those
/// it may count there). An event's cell is uncertain when its pair changed
/// column at its instant (the actor may have acted before or after), and
/// whether it counts at all when the history does not settle it (a call
/// the host sent to be queued that its pool never queued).
struct cell_bounds {
  std::array<std::uint64_t, witnessed_count> lo{};
  std::array<std::uint64_t, witnessed_count> hi{};
};

/// Counts the history gives that the run's live counters also keep: where
/// the two witnesses disagree, recording or counting is broken.
struct history_counts {
  std::uint64_t facts = 0;
  std::uint64_t calls_started = 0;
  std::uint64_t calls_refused = 0;
  std::uint64_t calls_queued = 0;
  std::uint64_t calls_answered = 0;
  std::uint64_t calls_picked_up = 0;
  std::array<std::uint64_t, end_cause_count> ended{};
  std::array<std::uint64_t, pickup_result_count> pickups{};
  std::uint64_t registrations = 0;
  /// Request-to-admission waits (us): their sum and the longest, known if
  /// every admission answered a request the history shows.
  std::uint64_t registration_wait_us = 0;
  std::uint64_t registration_wait_max_us = 0;
  bool waits_known = true;
  /// The latencies' histograms (bucket counts by latency, whole run only):
  /// registration waits, and a call's start to its pickup and to its
  /// establishment; known if every one's start is in the history.
  using latency_counts = std::array<std::array<std::uint64_t, latency_buckets>,
                                    latency_count>;
  latency_counts latencies{};
  bool latencies_known = true;
  /// Calls still ringing when the run ended (whole run only).
  std::uint64_t ringing_at_end = 0;
  /// Calls each pool's pickup queues held when the run ended (whole run
  /// only), by pool.
  std::vector<std::uint64_t> queued_at_end;
  /// Requests each registrar held and whether each pool was up (1) when
  /// the run ended, by pool; known when users_by_mode is (whole run only).
  std::vector<std::uint64_t> backlog_at_end, up_at_end;
  /// The pairs' phases in the order the history shows them (the report's
  /// timeline), and the drill actions the world refused (whole run only).
  struct phase_seen {
    sim_duration at{};
    std::uint32_t pair = 0;
    pair_phase phase = pair_phase::normal;
  };
  std::vector<phase_seen> phases;
  std::uint64_t refused_actions = 0;
  /// The instant of the run_end fact (-1: none), where the run's simulated
  /// length must stand when actors act on time (virtual time).
  sim_duration run_end{-1};
  /// Users by pool and mode at the end (pool * 3 + user_mode, an
  /// unregistered user under its home), known in virtual time when the
  /// world did not change at the last instant (whole run only).
  std::vector<std::uint64_t> users_by_mode;
  /// The same counts for each pair: calls by their callee's home pair,
  /// registrations by the user's (as the live counters file them). Facts,
  /// queued calls and pickups are counted for the whole run only.
  std::vector<history_counts> pairs;
  /// Per pair and column (pair * column_count + column), whole run only.
  std::vector<cell_bounds> cells;
  /// Whether the cells' bounds hold: a realtime run whose actors lagged
  /// past the tolerance may have counted outside them.
  bool cells_bound = true;
};


/// The history's bounds at one instant of the run, for a live view taken
/// then: each cell's least counts from the facts before the instant, its
/// most through it; the arrivals the generator may have drawn by then (it
/// hands them out ahead of time); and, where judged, the users by pool and
/// mode (pool * 3 + user_mode) at least and at most, empty where not.
struct instant_bounds {
  sim_duration at{};
  std::vector<cell_bounds> cells;
  std::uint64_t arrivals_lo = 0, arrivals_hi = 0;
  std::vector<std::uint64_t> users_lo, users_hi;
  /// Gauges a live view may read then, least and most: calls ringing and
  /// established, and each pool's queue length (by pool; empty where the
  /// world changed at that instant).
  std::uint64_t ringing_lo = 0, ringing_hi = 0;
  std::uint64_t established_lo = 0, established_hi = 0;
  std::vector<std::uint64_t> queued_lo, queued_hi;
  /// Each registrar's backlog and whether its pool is up (1) or down (0),
  /// by pool, least and most.
  std::vector<std::uint64_t> backlog_lo, backlog_hi, up_lo, up_hi;
  history_counts::latency_counts latencies_lo{}, latencies_hi{};
  bool latencies_known = true;
};
using instant_judge = std::function<void(const instant_bounds&)>;

struct check_report {
  verdict v; ///< the checks and each pair's DR figures
  history_counts counts;
  std::uint64_t violations = 0; ///< facts that broke a rule, all checks
};

class history_checker : public fact_sink {
public:
  history_checker(std::shared_ptr<const topology> topo,
                  const scenario& s);
  ~history_checker() override;

  /// The drill as it will play: its written actions and its chaos
  /// expanded, in time order. Each action fact is matched to one of them
  /// and each due before the end must have played; without it, action
  /// facts are judged by the phases alone.
  void expect_timeline(std::vector<drill_action> timeline);

  /// Live views the run takes every `every` of simulated time from 0 (in
  /// virtual time; a partitioned run's are the sum of its partitions'
  /// parts, each taken at that instant): `judge` gets the history's bounds
  /// at each of their instants, on the thread that puts facts, once the
  /// history settles them. The generator hands arrivals out `arrivals_ahead` early.
  /// The users gauge is bounded at one view in `users_every` (a pass over
  /// every user each).
  void expect_live_views(sim_duration every, sim_duration arrivals_ahead,
                         std::size_t users_every, instant_judge judge);

  /// Consumes the next fact of the history, in the order it was made.
  void put(const fact& f) override;
  /// The same for `n` facts, fetching the rows of the facts a few ahead:
  /// on a large estate each fact's user row is a miss of the cache.
  void put_all(const fact* first, std::size_t n) override;

  /// Decides every check; call once, after the run_end fact.
  check_report finish();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace calldrill
