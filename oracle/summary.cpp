// Rendering of the timeline, the source's table and the totals as text.
#include "oracle/summary.hpp"

#include "model/duration_text.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace calldrill {

namespace {

constexpr int label_width = 14;
constexpr int cell_width = 17;

std::string pad(std::string s, int width) {
  if (static_cast<int>(s.size()) > width)
    s.resize(static_cast<std::size_t>(width));
  s.append(static_cast<std::size_t>(width) - s.size(), ' ');
  return s;
}

const column table_columns[] = {column::normal, column::failover_during,
                                column::failover_after, column::failback_during,
                                column::failback_after};

using cell_lines = std::vector<std::string>;

std::string status_text(const check_outcome* c, bool colour) {
  if (c == nullptr)
    return "";
  switch (c->status) {
    case check_status::pass:
      return colour ? "\033[32mPASS\033[0m" : "PASS";
    case check_status::fail:
      return colour ? "\033[31mFAIL\033[0m" : "FAIL";
    default:
      return c->note.empty() ? "NO TRAFFIC" : "not entered";
  }
}

void row(std::ostringstream& out, const char* label,
         const std::vector<cell_lines>& cells,
         const std::vector<std::string>& status) {
  std::size_t lines = 0;
  for (const auto& c : cells)
    lines = std::max(lines, c.size());
  for (std::size_t i = 0; i <= lines; ++i) {
    out << pad(i == 0 ? label : "", label_width);
    for (std::size_t k = 0; k < cells.size(); ++k) {
      const auto& c = cells[k];
      if (i < lines) {
        out << "| " << pad(i < c.size() ? c[i] : "", cell_width - 2);
        continue;
      }
      // The status may carry colour codes: pad by its visible width.
      auto visible = status[k].find('\033') == std::string::npos ? status[k].size() : 4;
      out << "| " << status[k]
          << std::string(static_cast<std::size_t>(cell_width - 2) - visible, ' ');
    }
    out << "\n";
  }
}

} // namespace

std::string render_timeline(const topology& t, const run_result& r) {
  std::ostringstream out;
  out << "timeline (simulated):\n";
  for (const auto& ph : r.phases)
    out << "  " << format_clock(ph.at) << "  " << pad(t.pairs[ph.pair].name, 40)
        << " " << pad(std::string{name(ph.phase)}, 23) << " (" << ph.action
        << ")\n";
  for (const auto& ref : r.refused)
    out << "  " << format_clock(ref.at) << "  refused: " << ref.message << "\n";
  if (r.phases.empty() && r.refused.empty())
    out << "  no DR transition\n";
  return out.str();
}

std::string render_table(const topology& t, const check_report& rep,
                         bool colour) {
  std::ostringstream out;
  const auto& v = rep.v;
  for (std::size_t pi = 0; pi < t.pairs.size(); ++pi) {
    auto p = static_cast<pair_id>(pi);
    if (t.pairs[p].b == no_pool)
      continue;
    const auto& pair = t.pairs[p].name;
    out << "pair " << pair << "\n" << pad("", label_width);
    for (auto c : table_columns)
      out << "| " << pad(std::string{name(c)}, cell_width - 2);
    out << "\n" << std::string(label_width + 5 * cell_width, '-') << "\n";
    const char* labels[] = {"new calls", "queued calls", "established"};
    const char* ids[] = {"new_calls.", "queued_calls.", "established_calls."};
    for (int rw = 0; rw < 3; ++rw) {
      std::vector<cell_lines> cells;
      std::vector<std::string> status;
      for (auto c : table_columns) {
        const auto* check
          = v.find(std::string{ids[rw]} + std::string{name(c)}, pair);
        cells.push_back({check != nullptr ? check->brief : ""});
        status.push_back(status_text(check, colour));
      }
      row(out, labels[rw], cells, status);
    }
    if (pi < v.figures.size())
      out << render_figures(v.figures[pi]);
    out << "\n";
  }
  return out.str();
}

std::string render_figures(const pair_figures& f) {
  if (!f.outage)
    return "";
  auto d = [](double s) {
    if (s < 0)
      return std::string{"never"};
    char buf[48];
    if (s >= 3600)
      std::snprintf(buf, sizeof buf, "%dh %02dm", static_cast<int>(s / 3600),
                    static_cast<int>(s / 60) % 60);
    else if (s >= 60)
      std::snprintf(buf, sizeof buf, "%dm %02ds", static_cast<int>(s / 60),
                    static_cast<int>(s) % 60);
    else
      std::snprintf(buf, sizeof buf, "%.1fs", s);
    return std::string{buf};
  };
  std::ostringstream out;
  out << "DR figures: RTO " << d(f.rto) << "; every affected user signed in "
      << d(f.time_to_service) << " after the outage (storm drained in "
      << d(f.storm_drain) << ")\n            GCP back "
      << d(f.gcp_restored) << " after the outage, down " << d(f.gcp_down_total)
      << " in all; " << d(f.unregistered_user_seconds)
      << " of user-time unregistered\n";
  return out.str();
}

std::string render_checks(const verdict& v, bool colour) {
  std::ostringstream out;
  for (const auto& c : v.checks) {
    bool cell = !c.pair.empty();
    if (!cell)
      out << pad(c.id, 18) << " " << status_text(&c, colour) << "  "
          << c.observed << "\n";
    if (c.status == check_status::fail && cell)
      out << "FAIL " << c.id << " (" << c.pair << ")\n";
    if (c.status == check_status::fail) {
      out << "     expected: " << c.expected << "\n"
          << "     observed: " << c.observed << "\n";
      for (const auto& e : c.evidence)
        out << "     e.g. " << e << "\n";
    }
    bool noted = !c.note.empty()
                 && (c.status != check_status::not_covered || cell);
    if (noted && c.note != "the pair never entered this phase")
      out << "note " << c.id << (cell ? " (" + c.pair + ")" : "") << ": "
          << c.note << "\n";
  }
  return out.str();
}

namespace {

std::string sim_text(double seconds) {
  std::ostringstream out;
  char buf[32];
  if (seconds < 1)
    std::snprintf(buf, sizeof buf, "%.0f ms", seconds * 1000);
  else
    std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  out << buf;
  return out.str();
}

std::string wall_ms(double sim_seconds, double speed) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", sim_seconds / speed * 1000);
  return buf;
}

} // namespace

std::string render_timing(const run_timing& t) {
  if (!t.realtime)
    return {};
  std::ostringstream out;
  out << "timing: actors acted up to " << sim_text(t.lag_max)
      << " late (simulated; " << wall_ms(t.lag_max, t.speed)
      << " wall at speed " << t.speed << "), "
      << (t.trusted() ? "within" : "beyond") << " the checker's tolerance of "
      << sim_text(t.tolerance) << "\n";
  return out.str();
}

std::string render_verdict(const verdict& v, std::uint64_t seed) {
  std::ostringstream out;
  auto status = v.status();
  out << "verdict: ";
  if (status == verdict_status::pass)
    out << "PASS";
  else if (status == verdict_status::fail)
    out << "FAIL";
  else
    out << "INCONCLUSIVE";
  out << " (seed " << seed << ")";
  if (status == verdict_status::inconclusive) {
    const auto& t = v.timing;
    auto within = std::max(0.001, std::floor(t.speed_within() * 10) / 10);
    out << ": actors acted up to " << sim_text(t.lag_max)
        << " late (simulated), beyond the checker's tolerance of "
        << sim_text(t.tolerance) << ", so the checks above ("
        << (v.checks_pass() ? "PASS" : "FAIL")
        << ") may judge decisions under worlds their actors had not seen"
           " yet.\n         Run again at --speed " << within
        << " or less, on a quieter machine";
    auto wider = static_cast<long>(std::ceil(t.lag_max * 1.5));
    if (wider <= 600) // run.tolerance's limit
      out << ", or with --tolerance " << wider << "s";
    out << "; virtual time is exact";
  }
  out << "\n";
  return out.str();
}

std::string render_totals(const run_result& r) {
  const auto& o = r.obs;
  std::ostringstream out;
  out << "calls: started " << o.total(counter::calls_started) << ", answered "
      << o.total(counter::calls_answered) << ", picked up "
      << o.total(counter::calls_picked_up) << ", not started "
      << o.total(counter::calls_not_started) << "\n";
  out << "ended:";
  for (std::size_t c = 0; c < end_cause_count; ++c)
    out << " " << name(static_cast<end_cause>(c)) << " "
        << o.total(end_counter(static_cast<end_cause>(c)));
  out << "\npickups:";
  for (std::size_t p = 0; p < pickup_result_count; ++p) {
    auto n = o.total(pickup_counter(static_cast<pickup_result>(p)));
    if (n > 0)
      out << " " << name(static_cast<pickup_result>(p)) << " " << n;
  }
  auto regs = o.total(counter::registrations);
  out << "\nregistrations: " << regs << " (resiliency "
      << o.total(counter::registrations_resiliency) << "), wait mean "
      << (regs > 0 ? static_cast<double>(o.total(counter::registration_wait_us))
                       / static_cast<double>(regs) / 1e6
                   : 0.0)
      << " s, max " << static_cast<double>(o.total(counter::registration_wait_max_us)) / 1e6
      << " s\n";
  return out.str();
}

} // namespace calldrill
