// SVG line charts (see html_charts.hpp).
#include "outputs/html_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace calldrill {

namespace {

constexpr double width = 560, plot_height = 230, legend_row = 13;
constexpr double left = 58, right = 12, top = 28, bottom = 52;

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string tick_label(double v) {
  char buf[32];
  if (std::fabs(v) >= 10000)
    std::snprintf(buf, sizeof buf, "%.0fk", v / 1000);
  else if (std::fabs(v - std::round(v)) < 1e-9)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}

/// A "nice" step so that about `n` ticks cover `span`.
double nice_step(double span, int n) {
  if (span <= 0)
    return 1;
  auto raw = span / n;
  auto mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag)
      return m * mag;
  return 10 * mag;
}

} // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

/// Legend rows: each entry's x offset and row, wrapping at the chart's width.
std::vector<std::pair<double, int>> legend_layout(const chart_spec& c) {
  std::vector<std::pair<double, int>> out;
  double x = left;
  int row = 0;
  for (const auto& l : c.lines) {
    auto w = 22 + 5.6 * static_cast<double>(l.label.size());
    if (x + w > width && x > left) {
      x = left;
      ++row;
    }
    out.emplace_back(x, row);
    x += w;
  }
  return out;
}

std::string svg_chart(const chart_spec& c) {
  auto legend = legend_layout(c);
  double height = plot_height + legend_row * (legend.empty() ? 0 : legend.back().second);
  double y_max = c.ratio ? 1.0 : 0.0;
  if (!c.ratio)
    for (const auto& l : c.lines)
      for (auto v : l.y)
        if (std::isfinite(v))
          y_max = std::max(y_max, v);
  if (y_max <= 0)
    y_max = 1;
  auto y_step = nice_step(y_max, 4);
  y_max = std::ceil(y_max / y_step) * y_step;
  double end = c.end_s > 0 ? c.end_s : 1;
  double pw = width - left - right, ph = plot_height - top - bottom;
  auto sx = [&](double x) { return left + pw * std::clamp(x / end, 0.0, 1.0); };
  auto sy = [&](double y) { return top + ph * (1 - std::clamp(y / y_max, 0.0, 1.0)); };

  std::string out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                    "viewBox=\"0 0 " + fmt(width) + " " + fmt(height) + "\">"
                    "<title>" + html_escape(c.title) + "</title>"
                    "<text class=\"t\" x=\"" + fmt(left) + "\" y=\"16\">"
                    + html_escape(c.title) + "</text>";
  for (const auto& b : c.bands)
    out += "<rect class=\"band\" x=\"" + fmt(sx(b.from_s)) + "\" y=\"" + fmt(top)
           + "\" width=\"" + fmt(std::max(0.5, sx(b.to_s) - sx(b.from_s)))
           + "\" height=\"" + fmt(ph) + "\" fill=\"" + b.colour
           + "\"><title>" + html_escape(b.label) + "</title></rect>";
  for (double y = 0; y <= y_max + 1e-9; y += y_step)
    out += "<line class=\"grid\" x1=\"" + fmt(left) + "\" x2=\"" + fmt(left + pw)
           + "\" y1=\"" + fmt(sy(y)) + "\" y2=\"" + fmt(sy(y)) + "\"/>"
           "<text class=\"yl\" x=\"" + fmt(left - 4) + "\" y=\"" + fmt(sy(y) + 4)
           + "\">" + tick_label(y) + "</text>";
  auto x_step = nice_step(end / 60, 8) * 60;
  for (double x = 0; x <= end + 1e-9; x += x_step)
    out += "<text class=\"xl\" x=\"" + fmt(sx(x)) + "\" y=\"" + fmt(top + ph + 14)
           + "\">" + tick_label(x / 60) + "</text>";
  out += "<text class=\"xl\" x=\"" + fmt(left + pw / 2) + "\" y=\""
         + fmt(top + ph + 28) + "\">simulated minutes</text>"
         "<text class=\"yu\" x=\"12\" y=\"" + fmt(top + ph / 2)
         + "\" transform=\"rotate(-90 12 " + fmt(top + ph / 2) + ")\">"
         + html_escape(c.unit) + "</text>"
         "<rect class=\"frame\" x=\"" + fmt(left) + "\" y=\"" + fmt(top)
         + "\" width=\"" + fmt(pw) + "\" height=\"" + fmt(ph) + "\"/>";
  for (std::size_t li = 0; li < c.lines.size(); ++li) {
    const auto& l = c.lines[li];
    auto lx = legend[li].first;
    auto ly = plot_height - 12 + legend_row * legend[li].second;
    out += "<polyline class=\"series\" fill=\"none\" stroke=\"" + l.colour
           + "\" data-points=\"" + std::to_string(l.x_s.size()) + "\" points=\"";
    bool first = true;
    for (std::size_t i = 0; i < l.x_s.size() && i < l.y.size(); ++i) {
      if (!std::isfinite(l.y[i]))
        continue;
      out += (first ? "" : " ") + fmt(sx(l.x_s[i])) + "," + fmt(sy(l.y[i]));
      first = false;
    }
    out += "\"><title>" + html_escape(l.label) + "</title></polyline>";
    // legend below the axis label
    out += "<rect x=\"" + fmt(lx) + "\" y=\"" + fmt(ly) + "\" width=\"10\" "
           "height=\"3\" fill=\"" + l.colour + "\"/><text class=\"lg\" x=\""
           + fmt(lx + 13) + "\" y=\"" + fmt(ly + 4) + "\">"
           + html_escape(l.label) + "</text>";
  }
  return out + "</svg>";
}

} // namespace calldrill
