// What the checker counts while it replays a history: per pair and column of
// the table, for bystanders, and run-wide; plus a few facts of evidence per
// broken rule. Turned into check outcomes by checker/outcomes.cpp.
#pragma once

#include "checker/checker.hpp"

#include <string>
#include <vector>

namespace calldrill::checking {

/// Up to `max` lines of evidence, and how many there were in all.
struct evidence {
  std::uint64_t count = 0;
  std::vector<std::string> lines;
  void add(std::string line, std::size_t max = 3) {
    ++count;
    if (lines.size() < max)
      lines.push_back(std::move(line));
  }
};

/// Pickups judged in one cell (or for bystanders).
struct pickup_tally {
  std::uint64_t attempts = 0;
  std::uint64_t ok = 0;
  std::uint64_t eligible = 0;    ///< allowed however the instant is read
  std::uint64_t eligible_ok = 0;
  std::uint64_t in_resiliency = 0; ///< attempts involving a user in resiliency
  evidence wrongly_ok;  ///< succeeded where the table forbids it
  evidence refused;     ///< eligible, yet refused
};

struct cell_tally {
  bool entered = false;
  pickup_tally pickups;
  std::uint64_t queued_crossing = 0; ///< affected entries waiting at entry
  std::uint64_t queued_in_column = 0; ///< affected calls queued in it
  evidence stale_answered;
  evidence stale_left;
  evidence bad_removal;   ///< a ringing call taken out of its queue unasked
  evidence not_queued;    ///< a ringing group call never queued
  std::uint64_t established_crossing = 0;
  evidence dropped;       ///< established calls ended other than by hang-up
};

struct pair_tally {
  std::array<cell_tally, column_count> cells;
  bool redirected_after_failover = false;
  bool redirected_after_failback = false;
  pair_figures figures;
  sim_duration outage_at{-1};
  sim_duration gcp_down_since{-1};
  sim_duration first_request{-1};
  std::uint32_t affected_unregistered = 0;
  bool awaiting_service = false;
  evidence recovery; ///< users left unregistered or in resiliency too long
  std::uint64_t recovery_checked = 0;
  evidence runbook;  ///< ranges left where their members are not served
  std::uint64_t runbook_looks = 0;
  std::uint64_t runbook_ranges = 0;
  bool runbook_cut_short = false; ///< the run ended before its last steps
  sim_duration last_transition{-1};
};

struct run_tally {
  cell_tally bystanders;    ///< users not affected while their pair is in DR
  evidence lies;            ///< a failure's cause that was not true
  evidence conservation;    ///< facts of calls that do not add up
  evidence registrar;       ///< registrations against the clients' or registrars' rules
  evidence pace;            ///< registrars that admitted slower than their rate
  evidence steps;           ///< world changes the drill's actions do not make
  evidence load;            ///< arrivals the traffic stages do not explain
  evidence timing;          ///< answers and pickups outside their delays
  std::uint64_t answers_timed = 0, dials_timed = 0;
  std::uint64_t holds = 0;  ///< hold times drawn
  double hold_sum_s = 0;    ///< their sum, seconds
  double ringing_s = 0;     ///< seconds calls rang in all (callers' patience at risk)
  std::uint64_t abandons = 0;
  /// Answers and pickup dials: drawn with their probabilities at a delay
  /// uniform in their window; the count seen (answers_timed, dials_seen)
  /// strays from the risk summed over the time calls rang as a Poisson
  /// count does (checker/draw_risk.hpp).
  std::uint64_t dials_seen = 0; ///< dials of calls still ringing
  double answer_risk = 0, dial_risk = 0;
  std::uint64_t arrivals = 0; ///< calls started or refused by the limit
  double arrivals_expected = 0; ///< what the stages offer, until the end
  std::uint64_t dials = 0;  ///< pickups dialled (their pickers are judged)
  std::uint64_t calls_started = 0;
  std::uint64_t calls_ended = 0;
  std::uint64_t calls_alive_at_end = 0;
  sim_duration longest_registration_wait{0};
  std::uint64_t registrations = 0;
  std::uint64_t actions = 0; ///< drill actions played
  sim_duration end{-1};
};

} // namespace calldrill::checking
