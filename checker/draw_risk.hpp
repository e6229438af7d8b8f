// The risk a ringing call ran of a draw made once per call: with
// probability p, at a delay uniform in [lo, hi] rounded up to the model's
// 10 ms time grid (README: the model's time resolution). While the call
// rings, the draw comes at step k with hazard h_k = p dF_k / (1 - p F_k-1),
// F the delay's distribution on the grid, whatever else may end the
// ringing first. Summed over the steps a call was at risk, the hazards
// are the expected count of such events (a counting process minus its
// compensator is a martingale), so the events seen over a run stray from
// the summed risk as a Poisson count does. Grid steps, not a continuous
// approximation: a window of one instant is an atom of risk p, and a
// certain draw's hazard reaches one instead of growing without bound.
#pragma once

#include "history/fact.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace calldrill::checking {

class draw_risk {
public:
  draw_risk() = default;
  draw_risk(double p, sim_duration lo, sim_duration hi) : p_(p), lo_(lo), hi_(hi) {
    if (p_ <= 0 || hi_ < sim_duration{0})
      return;
    auto steps = static_cast<std::size_t>(std::max<sim_duration>(hi_, lo_) / grid) + 2;
    if (steps > steps_max)
      return; // beyond about a day of delay: read continuously (see risk)
    cum_.resize(steps);
    double sum = 0, before = 0;
    for (std::size_t k = 0; k < steps; ++k) {
      double now = p_ * share(grid * static_cast<long>(k));
      if (now > before)
        sum += (now - before) / (1 - before);
      before = now;
      cum_[k] = sum;
    }
  }

  /// The risk of a call at risk for `d` after its start: through the
  /// grid step at `d` when the event could still come then (`came`: it
  /// did, or what ended the ringing then gives way to it in a tie), else
  /// only through the steps before it.
  double risk(sim_duration d, bool came) const {
    if (p_ <= 0 || d < sim_duration{0})
      return 0;
    if (cum_.empty()) {
      double s = std::min(p_ * share(d), 1 - 1e-9);
      return -std::log1p(-s);
    }
    auto k = d / grid; // the steps at or before d
    if (!came && d % grid == sim_duration{0})
      --k;
    if (k < 0)
      return 0;
    return cum_[std::min<std::size_t>(static_cast<std::size_t>(k), cum_.size() - 1)];
  }

private:
  static constexpr sim_duration grid = std::chrono::milliseconds{10};
  static constexpr std::size_t steps_max = 10'000'000;

  /// P(delay <= x): the uniform window's share passed, or a step at lo.
  double share(sim_duration x) const {
    if (x < lo_)
      return 0;
    if (hi_ <= lo_)
      return 1;
    return std::min(1.0, static_cast<double>((x - lo_).count())
                           / static_cast<double>((hi_ - lo_).count()));
  }

  double p_ = 0;
  sim_duration lo_{0}, hi_{0};
  std::vector<double> cum_; ///< summed hazard through each grid step
};

} // namespace calldrill::checking
