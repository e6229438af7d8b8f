// Rendering of the timeline, the source's table and the totals as text.
#include "oracle/summary.hpp"

#include <cstdio>
#include <sstream>

namespace calldrill {

namespace {

constexpr int label_width = 14;
constexpr int cell_width = 20;

std::string fmt_time(sim_duration d) {
  auto s = static_cast<long long>(to_seconds(d));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60,
                s % 60);
  return buf;
}

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

/// The most frequent pickup failure cause of a cell, or "".
std::string top_cause(const observations& o, pair_id p, column c) {
  std::uint64_t best = 0;
  std::string label;
  for (std::size_t r = 1; r < pickup_result_count; ++r) {
    auto n = o.get(p, c, pickup_counter(static_cast<pickup_result>(r)));
    if (n > best) {
      best = n;
      label = std::string{name(static_cast<pickup_result>(r))};
    }
  }
  return best == 0 ? std::string{} : label + " " + std::to_string(best);
}

using cell_lines = std::vector<std::string>;

cell_lines new_calls(const observations& o, pair_id p, column c) {
  auto attempts = [&] {
    std::uint64_t n = 0;
    for (std::size_t r = 0; r < pickup_result_count; ++r)
      n += o.get(p, c, pickup_counter(static_cast<pickup_result>(r)));
    return n;
  }();
  return {cat("calls", o.get(p, c, counter::calls_started)),
          cat("pickup ok", o.get(p, c, counter::pickup_ok), attempts),
          top_cause(o, p, c)};
}

cell_lines queued_calls(const observations& o, pair_id p, column c) {
  return {cat("stale", o.get(p, c, counter::stale_entries)),
          cat("tried", o.get(p, c, counter::stale_attempts)),
          cat("answered", o.get(p, c, counter::stale_ok))};
}

cell_lines established(const observations& o, pair_id p, column c) {
  return {cat("crossed", o.get(p, c, counter::established_crossed)),
          cat("dropped", o.get(p, c, counter::established_dropped))};
}

void row(std::ostringstream& out, const char* label,
         const std::vector<cell_lines>& cells) {
  std::size_t lines = 0;
  for (const auto& c : cells)
    lines = std::max(lines, c.size());
  for (std::size_t i = 0; i < lines; ++i) {
    out << pad(i == 0 ? label : "", label_width);
    for (const auto& c : cells)
      out << "| " << pad(i < c.size() ? c[i] : "", cell_width - 2);
    out << "\n";
  }
}

bool involved(const observations& o, pair_id p) {
  for (auto c : table_columns)
    if (o.get(p, c, counter::calls_started) > 0
        || o.get(p, c, counter::established_crossed) > 0)
      return true;
  return false;
}

} // namespace

std::string render_timeline(const topology& t, const run_result& r) {
  std::ostringstream out;
  out << "timeline (simulated):\n";
  for (const auto& ph : r.phases)
    out << "  " << fmt_time(ph.at) << "  " << pad(t.pairs[ph.pair].name, 40)
        << " " << pad(std::string{name(ph.phase)}, 23) << " (" << ph.action
        << ")\n";
  for (const auto& ref : r.refused)
    out << "  " << fmt_time(ref.at) << "  refused: " << ref.message << "\n";
  if (r.phases.empty() && r.refused.empty())
    out << "  no DR transition\n";
  return out.str();
}

std::string render_table(const topology& t, const run_result& r) {
  std::ostringstream out;
  const auto& o = r.obs;
  for (std::size_t pi = 0; pi < t.pairs.size(); ++pi) {
    auto p = static_cast<pair_id>(pi);
    if (t.pairs[p].b == no_pool || !involved(o, p))
      continue;
    out << "pair " << t.pairs[p].name << "\n";
    out << pad("", label_width);
    for (auto c : table_columns)
      out << "| " << pad(std::string{name(c)}, cell_width - 2);
    out << "\n" << std::string(label_width + 4 * cell_width, '-') << "\n";
    std::vector<cell_lines> n, q, e;
    for (auto c : table_columns) {
      n.push_back(new_calls(o, p, c));
      q.push_back(queued_calls(o, p, c));
      e.push_back(established(o, p, c));
    }
    row(out, "new calls", n);
    row(out, "queued calls", q);
    row(out, "established", e);
    out << "\n";
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
