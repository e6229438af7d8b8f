// A run's verdict: one outcome per check (per DR pair where it applies),
// decided by the checker from the history. Plain data, shared by every
// output (terminal, JSON, metrics).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calldrill {

enum class check_status : std::uint8_t { pass, fail, not_covered };

std::string_view name(check_status s);

struct check_outcome {
  std::string id;   ///< "<row>.<column>", "blast_radius", ...
  std::string pair; ///< the DR pair's name, or "" for run-wide checks
  check_status status = check_status::not_covered;
  std::string expected;
  std::string observed;
  std::string note; ///< why, when the run needs to say (e.g. GCP stayed down)
  std::string brief; ///< a cell's figures in a few characters, for the table
  /// The check's figure and its limit, where it has them (a ratio, a count
  /// of violations, seconds).
  std::optional<double> observed_value;
  std::optional<double> threshold;
  /// Up to a few facts that broke the rule, as text (evidence).
  std::vector<std::string> evidence;
};

/// A DR rehearsal's headline figures for one pair (seconds; negative: the
/// run never got there).
struct pair_figures {
  std::string pair;
  bool outage = false;          ///< the pair went through an outage
  double outage_at = -1;        ///< first outage of its primary
  double rto = -1;              ///< outage to failover complete
  double time_to_service = -1;  ///< outage to every affected user registered
  double storm_drain = -1;      ///< first to last re-registration of the storm
  double gcp_restored = -1;     ///< outage to affected users' first working pickup
  double gcp_down_total = 0;    ///< time GCP was unavailable to affected users
  double unregistered_user_seconds = 0; ///< summed over affected users
};

/// How late the run's actors acted, against what the checker tolerates.
/// In virtual time messages take no simulated time and nothing is late; in
/// realtime an actor may act on a timer or a message after its instant, and
/// the checker reads every decision under the worlds of the tolerance before
/// it. A run whose actors lagged further was judged too strictly or too
/// leniently here and there: its checks cannot be trusted either way.
struct run_timing {
  bool realtime = false;
  double speed = 1;     ///< simulated seconds per wall second
  double tolerance = 0; ///< simulated seconds
  double lag_max = 0;   ///< simulated seconds, the largest the run reported
  bool trusted() const { return !realtime || lag_max <= tolerance; }
  /// The highest speed at which this run's lag would have been tolerated.
  double speed_within() const {
    return lag_max > 0 ? speed * tolerance / lag_max : speed;
  }
};

enum class verdict_status : std::uint8_t { pass, fail, inconclusive };

std::string_view name(verdict_status s);

struct verdict {
  std::vector<check_outcome> checks;
  std::vector<pair_figures> figures; ///< per pair, in topology order
  run_timing timing;

  /// Whether no check failed (whatever the timing).
  bool checks_pass() const {
    for (const auto& c : checks)
      if (c.status == check_status::fail)
        return false;
    return true;
  }
  verdict_status status() const {
    if (!timing.trusted())
      return verdict_status::inconclusive;
    return checks_pass() ? verdict_status::pass : verdict_status::fail;
  }
  bool pass() const { return status() == verdict_status::pass; }
  /// The check with this id (and pair, if given), or nullptr.
  const check_outcome* find(std::string_view id,
                            std::string_view pair = {}) const;
};

} // namespace calldrill
