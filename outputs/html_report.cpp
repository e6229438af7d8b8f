// `--html FILE`: the run as one self-contained page (no network, no script
// library): verdict, failing checks with the replay command, the source's
// table with PASS/FAIL per cell, the DR timeline with phases as shaded bands,
// and charts over simulated time drawn from the recorded series.
#include "outputs/html_charts.hpp"
#include "outputs/output.hpp"
#include "outputs/series.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace calldrill {

namespace {

using labels = std::map<std::string, std::string>;

// -- reading the recorded series ---------------------------------------------

bool matches(const series_log::series& s, const labels& want, const labels& skip) {
  for (const auto& [k, v] : want) {
    auto it = s.labels.find(k);
    if (it == s.labels.end() || it->second != v)
      return false;
  }
  for (const auto& [k, v] : skip) {
    auto it = s.labels.find(k);
    if (it != s.labels.end() && it->second == v)
      return false;
  }
  return true;
}

/// Per instant, the sum of the series named `name` that match.
std::vector<double> sum_of(const series_log& log, const std::string& name,
                           const labels& want = {}, const labels& skip = {}) {
  const auto& at = log.instants();
  std::vector<double> out(at.size(), 0.0);
  for (const auto& s : log.all()) {
    if (s.name != name || !matches(s, want, skip))
      continue;
    std::size_t i = 0;
    for (const auto& p : s.points) {
      while (i < at.size() && at[i] < p.at_ms)
        ++i;
      if (i < at.size() && at[i] == p.at_ms)
        out[i] += p.value;
    }
  }
  return out;
}

/// Growth of a cumulative sum between consecutive instants (first: 0).
std::vector<double> deltas(const std::vector<double>& v) {
  std::vector<double> out(v.size(), 0.0);
  for (std::size_t i = 1; i < v.size(); ++i)
    out[i] = std::max(0.0, v[i] - v[i - 1]);
  return out;
}

std::vector<double> seconds(const series_log& log) {
  std::vector<double> out;
  for (auto ms : log.instants())
    out.push_back(static_cast<double>(ms) / 1000);
  return out;
}

/// Label values of `key` among series named `name`, in first-seen order.
std::vector<std::string> values_of(const series_log& log, const std::string& name,
                                   const std::string& key) {
  std::vector<std::string> out;
  for (const auto& s : log.all())
    if (s.name == name && s.labels.count(key)
        && std::find(out.begin(), out.end(), s.labels.at(key)) == out.end())
      out.push_back(s.labels.at(key));
  return out;
}

/// Pool labels in topology order (pools named after a replace_pool last).
std::vector<std::string> pools_of(const series_log& log, const topology& t,
                                  const std::string& name) {
  auto seen = values_of(log, name, "pool");
  auto rank = [&](const std::string& fqdn) {
    for (std::size_t i = 0; i < t.pools.size(); ++i)
      if (t.pools[i].fqdn == fqdn)
        return i;
    return t.pools.size();
  };
  std::stable_sort(seen.begin(), seen.end(), [&](const auto& a, const auto& b) {
    return rank(a) < rank(b);
  });
  return seen;
}

const char* palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                         "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

std::string colour(std::size_t i) { return palette[i % std::size(palette)]; }

std::string short_pool(const std::string& fqdn) {
  return fqdn.substr(0, fqdn.find('.'));
}

// -- phases ------------------------------------------------------------------

const char* band_colour(column c) {
  switch (c) {
    case column::failover_during: return "rgba(214,39,40,0.16)";
    case column::failover_after: return "rgba(255,127,14,0.14)";
    case column::failback_during: return "rgba(148,103,189,0.18)";
    case column::failback_after: return "rgba(31,119,180,0.12)";
    default: return "none";
  }
}

/// The table columns each pair went through, as bands over simulated time.
std::vector<chart_band> bands_of(const finished_run& r, pair_id pair) {
  std::vector<chart_band> out;
  double end = to_seconds(r.result.simulated);
  const phase_record* open = nullptr;
  for (const auto& ph : r.result.phases) {
    if (ph.pair != pair)
      continue;
    if (open && column_of(open->phase) != column::normal)
      out.push_back({to_seconds(open->at), to_seconds(ph.at),
                     std::string{name(column_of(open->phase))} + ": "
                       + std::string{name(open->phase)},
                     band_colour(column_of(open->phase))});
    open = &ph;
  }
  if (open && column_of(open->phase) != column::normal)
    out.push_back({to_seconds(open->at), end,
                   std::string{name(column_of(open->phase))} + ": "
                     + std::string{name(open->phase)},
                   band_colour(column_of(open->phase))});
  return out;
}

/// Pairs that went through a DR phase, in topology order.
std::vector<pair_id> dr_pairs(const finished_run& r) {
  std::vector<pair_id> out;
  for (const auto& ph : r.result.phases)
    if (std::find(out.begin(), out.end(), ph.pair) == out.end())
      out.push_back(ph.pair);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<chart_band> all_bands(const finished_run& r) {
  std::vector<chart_band> out;
  for (auto p : dr_pairs(r))
    for (auto& b : bands_of(r, p))
      out.push_back(std::move(b));
  return out;
}

// -- page sections -----------------------------------------------------------

std::string status_cell(const check_outcome* c, bool entered) {
  if (!c)
    return "<td class=\"na\">—</td>";
  std::string cls, text;
  switch (c->status) {
    case check_status::pass: cls = "pass"; text = "PASS"; break;
    case check_status::fail: cls = "fail"; text = "FAIL"; break;
    default:
      cls = "na";
      text = entered ? "NO TRAFFIC" : "not entered";
  }
  return "<td class=\"" + cls + "\"><b>" + text + "</b><div class=\"obs\">"
         + html_escape(c->observed) + "</div></td>";
}

std::string dr_table(const finished_run& r, pair_id p) {
  const auto& pair = r.topo.pairs[p].name;
  bool entered[column_count] = {};
  for (const auto& ph : r.result.phases)
    if (ph.pair == p)
      entered[static_cast<std::size_t>(column_of(ph.phase))] = true;
  std::string out = "<h3>" + html_escape(pair) + "</h3><table class=\"dr\"><tr><th>"
                    "call state</th>";
  const column cols[] = {column::failover_during, column::failover_after,
                         column::failback_during, column::failback_after};
  for (auto c : cols)
    out += "<th>" + std::string{name(c)} + "</th>";
  out += "</tr>";
  const std::pair<const char*, const char*> rows[] = {
    {"new_calls", "new calls"},
    {"queued_calls", "calls in the GCP queue"},
    {"established_calls", "established calls"}};
  for (const auto& [id, label] : rows) {
    out += "<tr><th>" + std::string{label} + "</th>";
    for (auto c : cols)
      out += status_cell(r.checks.find(std::string{id} + "." + std::string{name(c)}, pair),
                         entered[static_cast<std::size_t>(c)]);
    out += "</tr>";
  }
  return out + "</table>";
}

std::string timeline(const finished_run& r) {
  std::string out = "<table class=\"tl\"><tr><th>simulated</th><th>pair</th>"
                    "<th>phase</th><th>action</th></tr>";
  auto clock = [](sim_duration d) {
    auto s = static_cast<long long>(to_seconds(d));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return std::string{buf};
  };
  for (const auto& ph : r.result.phases)
    out += "<tr><td>" + clock(ph.at) + "</td><td>"
           + html_escape(r.topo.pairs[ph.pair].name) + "</td><td><span class=\"sw\" "
           "style=\"background:" + band_colour(column_of(ph.phase)) + "\"></span>"
           + std::string{name(ph.phase)} + "</td><td>" + html_escape(ph.action)
           + "</td></tr>";
  for (const auto& x : r.result.refused)
    out += "<tr class=\"refused\"><td>" + clock(x.at) + "</td><td colspan=\"3\">refused: "
           + html_escape(x.message) + "</td></tr>";
  return out + "</table>";
}

std::string checks_table(const finished_run& r) {
  std::string out = "<table class=\"checks\"><tr><th>check</th><th>pair</th>"
                    "<th>status</th><th>expected</th><th>observed</th></tr>";
  for (const auto& c : r.checks.checks) {
    auto st = std::string{name(c.status)};
    auto cls = c.status == check_status::pass ? "pass"
               : c.status == check_status::fail ? "fail" : "na";
    out += "<tr><td>" + html_escape(c.id) + "</td><td>" + html_escape(c.pair)
           + "</td><td class=\"" + cls + "\">" + st + "</td><td>"
           + html_escape(c.expected) + "</td><td>" + html_escape(c.observed)
           + (c.note.empty() ? "" : "<div class=\"obs\">" + html_escape(c.note) + "</div>")
           + "</td></tr>";
  }
  return out + "</table>";
}

std::string evidence(const check_outcome& c) {
  if (c.evidence.empty())
    return {};
  std::string out = "<ul class=\"obs\">";
  for (const auto& e : c.evidence)
    out += "<li>" + html_escape(e) + "</li>";
  return out + "</ul>";
}

std::string failures(const finished_run& r) {
  std::string out;
  for (const auto& c : r.checks.checks)
    if (c.status == check_status::fail)
      out += "<li><b>" + html_escape(c.id) + (c.pair.empty() ? "" : " @ " + html_escape(c.pair))
             + "</b>: expected " + html_escape(c.expected) + "; observed "
             + html_escape(c.observed)
             + (c.note.empty() ? "" : " (" + html_escape(c.note) + ")") + evidence(c)
             + "</li>";
  if (out.empty())
    return {};
  return "<section><h2>Failing checks</h2><ul>" + out + "</ul><p>replay: <code>"
         + html_escape(r.facts.replay) + "</code></p></section>";
}

// -- charts ------------------------------------------------------------------

std::string charts(const finished_run& r) {
  if (!r.series || r.series->instants().size() < 2)
    return "<p>No time series was recorded.</p>";
  const auto& log = *r.series;
  auto x = seconds(log);
  chart_spec base;
  base.end_s = to_seconds(r.result.simulated);
  base.bands = all_bands(r);
  std::string out;

  // Per interval: ok / attempts, of all pickups less the bystanders' (the
  // affected users') and of the bystanders'.
  const std::string every = "calldrill_pickup_attempts_total";
  const std::string bystander = "calldrill_pickup_bystander_attempts_total";
  auto total_ok = deltas(sum_of(log, every, {{"result", "ok"}}));
  auto total = deltas(sum_of(log, every));
  auto by_ok = deltas(sum_of(log, bystander, {{"result", "ok"}}));
  auto by = deltas(sum_of(log, bystander));
  auto ratio_line = [&](const std::string& label, const std::vector<double>& ok,
                        const std::vector<double>& all, std::size_t colour_index) {
    chart_line l{label, colour(colour_index), {}, {}};
    for (std::size_t i = 1; i < x.size(); ++i)
      if (all[i] > 0) {
        l.x_s.push_back(x[i]);
        l.y.push_back(ok[i] / all[i]);
      }
    return l;
  };
  auto c = base;
  c.title = "Pickup success ratio per interval";
  c.unit = "ok / attempts";
  c.ratio = true;
  std::vector<double> aff_ok(x.size()), aff(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    aff_ok[i] = std::max(0.0, total_ok[i] - by_ok[i]);
    aff[i] = std::max(0.0, total[i] - by[i]);
  }
  c.lines.push_back(ratio_line("affected users", aff_ok, aff, 1));
  c.lines.push_back(ratio_line("bystanders", by_ok, by, 0));
  out += svg_chart(c);

  auto pools = pools_of(log, r.topo, "calldrill_pool_users");
  std::size_t shown = 0;
  for (const auto& pool : pools) {
    if (++shown > 4)
      break;
    c = base;
    c.title = "Users of " + pool + " by mode";
    c.unit = "users";
    std::size_t i = 0;
    for (const char* mode : {"normal", "resiliency", "unregistered"})
      c.lines.push_back({mode, colour(i++ == 0 ? 2 : i == 2 ? 1 : 7), x,
                         sum_of(log, "calldrill_pool_users", {{"pool", pool}, {"mode", mode}})});
    out += svg_chart(c);
  }

  auto per_pool = [&](const std::string& title, const std::string& unit,
                      const std::string& metric) {
    auto ch = base;
    ch.title = title;
    ch.unit = unit;
    std::size_t i = 0;
    for (const auto& pool : pools_of(log, r.topo, metric))
      if (i < 8)
        ch.lines.push_back({short_pool(pool), colour(i++), x,
                            sum_of(log, metric, {{"pool", pool}})});
    return svg_chart(ch);
  };
  out += per_pool("Pickup queue depth", "queued calls", "calldrill_pickup_queue_length");
  out += per_pool("Registration backlog (the storm)", "users waiting",
                  "calldrill_registration_backlog_users");

  c = base;
  c.title = "Calls in progress";
  c.unit = "calls";
  c.lines.push_back({"established", colour(0), x,
                     sum_of(log, "calldrill_calls_active", {{"state", "established"}})});
  c.lines.push_back({"ringing", colour(3), x,
                     sum_of(log, "calldrill_calls_active", {{"state", "ringing"}})});
  out += svg_chart(c);

  c = base;
  c.title = "Calls ended per interval, by cause";
  c.unit = "calls";
  std::size_t i = 0;
  for (const auto& cause : values_of(log, "calldrill_calls_ended_total", "cause"))
    c.lines.push_back({cause, colour(i++), x,
                       deltas(sum_of(log, "calldrill_calls_ended_total", {{"cause", cause}}))});
  out += svg_chart(c);
  return out;
}

const char* style = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px}h3{font-size:15px;margin:12px 0 6px}
.meta{color:#555;font-size:12px}.meta code{font-size:11px}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;font-weight:bold;font-size:18px}
.v-pass{background:#2a8a3a}.v-fail{background:#c62828}.v-int{background:#8a6d00}
table{border-collapse:collapse;margin:4px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.pass{background:#e3f4e6}td.fail{background:#fbe0e0}td.na{background:#f7f7f7;color:#777}
.obs{font-size:11px;color:#555}.dr td{min-width:150px}.checks{font-size:12px}.tl{font-size:12px}
.sw{display:inline-block;width:12px;height:10px;margin-right:6px;border:1px solid #bbb}
tr.refused td{color:#a33}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:10px}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #ddd}
svg .t{font-size:13px;font-weight:bold}svg .xl{font-size:10px;text-anchor:middle;fill:#555}
svg .yl{font-size:10px;text-anchor:end;fill:#555}svg .yu{font-size:10px;text-anchor:middle;fill:#555}
svg .lg{font-size:10px;fill:#333}svg .grid{stroke:#eee}svg .frame{fill:none;stroke:#bbb}
svg .series{stroke-width:1.6}
)";

/// Marks each chart with how many points it drew (its lines' rendered
/// length), so a reader and a headless browser can tell drawn charts apart.
const char* script = R"(
addEventListener('load',function(){var n=0;document.querySelectorAll('svg.chart').forEach(function(s){
var d=0;s.querySelectorAll('polyline.series').forEach(function(p){if(p.getTotalLength()>0)d+=p.points.numberOfItems;});
s.setAttribute('data-drawn',d);if(d>0)n++;});document.body.setAttribute('data-charts-drawn',n);});
)";

class html_output : public output {
public:
  bool needs_series() const override { return true; }
  std::string render(const finished_run& r) const override {
    bool interrupted = !r.facts.interrupted_by.empty();
    auto status = r.checks.status();
    bool pass = status == verdict_status::pass;
    std::string verdict_text = pass ? "PASS"
                               : status == verdict_status::fail ? "FAIL"
                                                                : "INCONCLUSIVE";
    std::string cls = pass ? "v-pass" : status == verdict_status::fail ? "v-fail"
                                                                       : "v-int";
    if (interrupted) {
      verdict_text += " (interrupted by " + r.facts.interrupted_by + ")";
      cls = "v-int";
    }
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        << "<title>calldrill: " << html_escape(r.scn.name) << "</title><style>"
        << style << "</style></head><body>\n"
        << "<h1>calldrill: " << html_escape(r.scn.name) << "</h1>"
        << "<p><span class=\"verdict " << cls << "\">" << verdict_text
        << "</span></p><p class=\"meta\">seed " << r.result.seed << " · "
        << html_escape(r.scn.source) << " · " << to_seconds(r.result.simulated) / 60
        << " simulated minutes · started " << html_escape(r.facts.started_at)
        << " · calldrill " << html_escape(r.facts.version) << "<br>scenario sha256 <code>"
        << r.facts.scenario_sha256 << "</code><br>replay: <code>"
        << html_escape(r.facts.replay) << "</code></p>\n"
        << failures(r) << "<section><h2>The source's table</h2>";
    for (auto p : dr_pairs(r))
      out << dr_table(r, p);
    out << "</section><section><h2>Timeline and charts</h2><p class=\"meta\">Shaded in the charts: "
        << "<span class=\"sw\" style=\"background:" << band_colour(column::failover_during)
        << "\"></span>failover during <span class=\"sw\" style=\"background:"
        << band_colour(column::failover_after) << "\"></span>failover after "
        << "<span class=\"sw\" style=\"background:" << band_colour(column::failback_during)
        << "\"></span>failback during <span class=\"sw\" style=\"background:"
        << band_colour(column::failback_after) << "\"></span>failback after</p>"
        << "<div class=\"charts\">" << charts(r) << "</div>" << timeline(r)
        << "</section><section><h2>Checks</h2>" << checks_table(r)
        << "</section><script>" << script << "</script></body></html>\n";
    return out.str();
  }
};

} // namespace

std::unique_ptr<output> make_html_output() {
  return std::make_unique<html_output>();
}

} // namespace calldrill
