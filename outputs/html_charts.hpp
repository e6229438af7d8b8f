// Hand-written SVG line charts over simulated time for the HTML report:
// shaded phase bands behind the lines, axes in simulated minutes, a legend.
// No script and no external file: the SVG is inlined in the page.
#pragma once

#include <string>
#include <vector>

namespace calldrill {

struct chart_line {
  std::string label;
  std::string colour;               ///< CSS colour
  std::vector<double> x_s, y;       ///< simulated seconds, values
};

struct chart_band {
  double from_s = 0, to_s = 0;
  std::string label;
  std::string colour;
};

struct chart_spec {
  std::string title;
  std::string unit;   ///< shown on the y axis
  double end_s = 0;   ///< simulated length: the x axis runs 0..end_s
  bool ratio = false; ///< y fixed to 0..1
  std::vector<chart_line> lines;
  std::vector<chart_band> bands;
};

/// The chart as an inline <svg class="chart"> element.
std::string svg_chart(const chart_spec& c);

/// Minimal HTML escaping for text and attribute values.
std::string html_escape(const std::string& s);

} // namespace calldrill
