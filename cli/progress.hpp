// Live progress of a run, driven by the same live views as the metrics, on
// stderr: one line rewritten in place on a terminal, plain periodic lines
// otherwise (logs, CI), each with percent done, wall time elapsed and ETA.
#pragma once

#include "model/snapshot.hpp"
#include "model/topology.hpp"

#include <iosfwd>
#include <string>

namespace calldrill {

/// Prints progress lines; not thread-safe (called from the live sink only).
class progress {
public:
  /// `terminal`: rewrite one line; otherwise print a line every
  /// `period_s` wall seconds and at the end.
  /// `total`: the run's simulated length (0: unknown, no percent or ETA).
  progress(std::ostream& out, const topology& t, bool terminal,
           double period_s = 10.0, sim_duration total = {});

  /// Shows `v`, seen `wall_s` wall seconds after the start.
  void update(const live_view& v, double wall_s);

  /// The text of one progress line: phase, simulated time, calls active,
  /// pickups ok/failed, established calls dropped.
  static std::string line(const topology& t, const live_view& v);

  /// "42% | elapsed 12.3 s | ETA 17.0 s" for simulated `now` of `total`
  /// reached after `wall_s` wall seconds ("" when `total` is unknown).
  static std::string timing(sim_duration now, sim_duration total, double wall_s);

private:
  std::ostream& out_;
  const topology& topo_;
  bool terminal_;
  double period_s_;
  sim_duration total_;
  double last_s_ = -1;
};

} // namespace calldrill
