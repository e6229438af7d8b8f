// Rendering of the timeline, the source's table and the totals as text.
#include "oracle/summary.hpp"

#include "model/duration_text.hpp"

#include <cstdio>
#include <sstream>

namespace calldrill {

namespace {

constexpr int label_width = 14;
constexpr int cell_width = 21;

std::string pad(std::string s, int width) {
  if (static_cast<int>(s.size()) > width)
    s.resize(static_cast<std::size_t>(width));
  s.append(static_cast<std::size_t>(width) - s.size(), ' ');
  return s;
}

const column table_columns[] = {column::failover_during, column::failover_after,
                                column::failback_during, column::failback_after};

std::string cat(const char* label, std::uint64_t a) {
  return std::string{label} + " " + std::to_string(a);
}

std::string cat(const char* label, std::uint64_t a, std::uint64_t b) {
  return std::string{label} + " " + std::to_string(a) + "/" + std::to_string(b);
}

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

std::uint64_t attempts(const observations& o, pair_id p, column c) {
  std::uint64_t n = 0;
  for (std::size_t r = 0; r < pickup_result_count; ++r)
    n += o.get(p, c, pickup_counter(static_cast<pickup_result>(r)));
  return n;
}

cell_lines new_calls(const observations& o, pair_id p, column c) {
  if (c == column::failover_during || c == column::failback_during)
    return {cat("calls", o.get(p, c, counter::calls_started)),
            cat("GCP ok", o.get(p, c, counter::pickup_ok), attempts(o, p, c)),
            cat("resil ok", o.get(p, c, counter::resiliency_ok),
                o.get(p, c, counter::resiliency_attempts))};
  return {cat("calls", o.get(p, c, counter::calls_started)),
          cat("elig ok", o.get(p, c, counter::eligible_ok),
              o.get(p, c, counter::eligible_attempts)),
          cat("off-range ok", o.get(p, c, counter::unredirected_ok),
              o.get(p, c, counter::unredirected_attempts))};
}

cell_lines queued_calls(const observations& o, pair_id p, column c) {
  if (c == column::failover_after)
    return {cat("stale", o.get(p, c, counter::stale_entries)),
            cat("left", o.get(p, c, counter::stale_left)),
            cat("answered", o.get(p, c, counter::stale_ok))};
  return {cat("stale", o.get(p, c, counter::stale_entries)),
          cat("tried", o.get(p, c, counter::stale_attempts)),
          cat("answered", o.get(p, c, counter::stale_ok))};
}

cell_lines established(const observations& o, pair_id p, column c) {
  return {cat("crossed", o.get(p, c, counter::established_crossed)),
          cat("dropped", o.get(p, c, counter::established_dropped))};
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

std::string render_table(const topology& t, const run_result& r,
                         const verdict& v, bool colour) {
  std::ostringstream out;
  const auto& o = r.obs;
  for (std::size_t pi = 0; pi < t.pairs.size(); ++pi) {
    auto p = static_cast<pair_id>(pi);
    if (t.pairs[p].b == no_pool)
      continue;
    const auto& pair = t.pairs[p].name;
    out << "pair " << pair << "\n" << pad("", label_width);
    for (auto c : table_columns)
      out << "| " << pad(std::string{name(c)}, cell_width - 2);
    out << "\n" << std::string(label_width + 4 * cell_width, '-') << "\n";
    const char* labels[] = {"new calls", "queued calls", "established"};
    const char* ids[] = {"new_calls.", "queued_calls.", "established_calls."};
    for (int rw = 0; rw < 3; ++rw) {
      std::vector<cell_lines> cells;
      std::vector<std::string> status;
      for (auto c : table_columns) {
        cells.push_back(rw == 0   ? new_calls(o, p, c)
                        : rw == 1 ? queued_calls(o, p, c)
                                  : established(o, p, c));
        status.push_back(status_text(
          v.find(std::string{ids[rw]} + std::string{name(c)}, pair), colour));
      }
      row(out, labels[rw], cells, status);
    }
    out << "\n";
  }
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
    if (c.status == check_status::fail)
      out << "     expected: " << c.expected << "\n"
          << "     observed: " << c.observed << "\n";
    bool noted = !c.note.empty()
                 && (c.status != check_status::not_covered || cell);
    if (noted && c.note != "the pair never entered this phase")
      out << "note " << c.id << (cell ? " (" + c.pair + ")" : "") << ": "
          << c.note << "\n";
  }
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
