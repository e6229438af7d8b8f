// Recording live views through a private exporter (no endpoint) and reading
// its exposition back, so the file holds exactly what a scrape would have;
// rendering as CSV and as OpenMetrics.
#include "outputs/series.hpp"

#include "metrics/exporter.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

namespace calldrill {

namespace {

std::string format_value(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

double parse_value(const std::string& s) {
  if (s == "+Inf" || s == "Inf")
    return HUGE_VAL;
  if (s == "-Inf")
    return -HUGE_VAL;
  if (s == "NaN" || s == "Nan" || s == "nan")
    return std::nan("");
  return std::stod(s);
}

/// Splits `k="v",...` into a map (values unescaped).
std::map<std::string, std::string> parse_labels(const std::string& text) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto eq = text.find('=', i);
    if (eq == std::string::npos)
      break;
    auto key = text.substr(i, eq - i);
    std::string val;
    auto q = eq + 2; // after ="
    while (q < text.size() && text[q] != '"') {
      if (text[q] == '\\' && q + 1 < text.size()) {
        ++q;
        val += text[q] == 'n' ? '\n' : text[q];
      } else {
        val += text[q];
      }
      ++q;
    }
    out[key] = val;
    i = q + 1;
    if (i < text.size() && text[i] == ',')
      ++i;
  }
  return out;
}

/// The end of the label block that starts after `open` (a '{').
std::size_t label_end(const std::string& line, std::size_t open) {
  bool quoted = false;
  for (auto i = open + 1; i < line.size(); ++i) {
    if (quoted && line[i] == '\\') {
      ++i;
      continue;
    }
    if (line[i] == '"')
      quoted = !quoted;
    else if (!quoted && line[i] == '}')
      return i;
  }
  return std::string::npos;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char c : s)
    out += c == '"' ? std::string{"\"\""} : std::string(1, c);
  return out + "\"";
}

std::string seconds_text(std::int64_t ms) {
  std::string sign = ms < 0 ? "-" : "";
  auto a = ms < 0 ? -ms : ms;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%03lld", sign.c_str(),
                static_cast<long long>(a / 1000), static_cast<long long>(a % 1000));
  return buf;
}

/// The label text without `le`, which groups a histogram's samples.
std::string without_le(const series_log::series& s) {
  std::string out;
  for (const auto& [k, v] : s.labels)
    if (k != "le")
      out += k + "=" + v + ",";
  return out;
}

std::string help_text(const std::string& h) {
  std::string out;
  for (char c : h)
    out += c == '"' ? std::string{"\\\""} : std::string(1, c);
  return out;
}

} // namespace

series_log::series_log(const topology& t, const scenario& s,
                       const std::string& run_id)
  : exporter_(std::make_unique<exporter>(t, s, exporter_options{"", 0, run_id})) {}

series_log::~series_log() = default;

void series_log::record(const live_view& v) {
  if (v.final) {
    final_ = std::make_unique<live_view>(v);
    return;
  }
  auto at = std::chrono::duration_cast<std::chrono::milliseconds>(v.now).count();
  if (!instants_.empty() && at <= instants_.back())
    return; // two views in one millisecond: the first stands
  exporter_->publish(v);
  take(at);
}

void series_log::finish(const verdict& v, sim_duration end) {
  auto at = std::chrono::duration_cast<std::chrono::milliseconds>(end).count();
  if (!instants_.empty() && at < instants_.back())
    at = instants_.back();
  if (final_) {
    final_->now = end;
    exporter_->publish(*final_);
  }
  exporter_->publish_verdict(v);
  take(at);
}

void series_log::take(std::int64_t at_ms) {
  bool again = !instants_.empty() && instants_.back() == at_ms;
  if (!again)
    instants_.push_back(at_ms);
  std::istringstream in{exporter_->exposition()};
  std::string line;
  std::size_t fam = 0;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      auto rest = line.substr(7);
      auto sp = rest.find(' ');
      auto name = rest.substr(0, sp);
      auto text = sp == std::string::npos ? std::string{} : rest.substr(sp + 1);
      auto [it, fresh] = family_index_.emplace(name, families_.size());
      if (fresh)
        families_.push_back({name, "untyped", ""});
      fam = it->second;
      (line[2] == 'H' ? families_[fam].help : families_[fam].type) = text;
      continue;
    }
    if (line.empty() || line[0] == '#')
      continue;
    auto brace = line.find('{');
    auto close = brace == std::string::npos ? brace : label_end(line, brace);
    auto value_at = line.find(' ', close == std::string::npos ? 0 : close);
    if (value_at == std::string::npos)
      continue;
    auto key = line.substr(0, value_at);
    auto [it, fresh] = series_index_.emplace(key, series_.size());
    if (fresh) {
      series s;
      s.family = fam;
      s.name = line.substr(0, brace == std::string::npos ? value_at : brace);
      if (brace != std::string::npos) {
        s.label_text = line.substr(brace + 1, close - brace - 1);
        s.labels = parse_labels(s.label_text);
      }
      series_.push_back(std::move(s));
    }
    auto& pts = series_[it->second].points;
    auto end = line.find(' ', value_at + 1); // a timestamp would follow
    auto value = parse_value(line.substr(value_at + 1, end - value_at - 1));
    if (!pts.empty() && pts.back().at_ms == at_ms)
      pts.back().value = value;
    else
      pts.push_back({at_ms, value});
  }
}

std::string series_log::csv() const {
  std::string out = "seconds";
  for (const auto& s : series_)
    out += "," + csv_field(s.label_text.empty() ? s.name
                                                : s.name + "{" + s.label_text + "}");
  out += "\n";
  std::vector<std::size_t> next(series_.size(), 0);
  for (auto at : instants_) {
    out += seconds_text(at);
    for (std::size_t i = 0; i < series_.size(); ++i) {
      out += ",";
      const auto& pts = series_[i].points;
      if (next[i] < pts.size() && pts[next[i]].at_ms == at)
        out += format_value(pts[next[i]++].value);
    }
    out += "\n";
  }
  return out;
}

std::string series_log::openmetrics() const {
  std::string out;
  for (std::size_t f = 0; f < families_.size(); ++f) {
    auto fam = families_[f];
    auto type = fam.type;
    auto family_name = fam.name;
    const std::string total = "_total";
    if (type == "counter") {
      if (family_name.size() > total.size()
          && family_name.compare(family_name.size() - total.size(), total.size(),
                                 total) == 0)
        family_name.resize(family_name.size() - total.size());
      else
        type = "unknown"; // OpenMetrics counters must end in _total
    } else if (type != "gauge" && type != "histogram") {
      type = "unknown";
    }
    // Metrics (label sets without `le`) in first-seen order; each one's
    // points in time order, a histogram's samples together per instant.
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < series_.size(); ++i) {
      if (series_[i].family != f)
        continue;
      auto key = without_le(series_[i]);
      if (!members.count(key))
        order.push_back(key);
      members[key].push_back(i);
    }
    if (order.empty())
      continue;
    out += "# TYPE " + family_name + " " + type + "\n";
    if (!fam.help.empty())
      out += "# HELP " + family_name + " " + help_text(fam.help) + "\n";
    for (const auto& key : order) {
      const auto& group = members[key];
      const auto& times = series_[group.front()].points;
      for (std::size_t t = 0; t < times.size(); ++t) {
        auto at_ms = times[t].at_ms;
        auto stamp = seconds_text(series_epoch_unix_s * 1000 + at_ms);
        for (auto i : group) {
          const auto& s = series_[i];
          if (t >= s.points.size() || s.points[t].at_ms != at_ms)
            continue;
          // The labels a scrape adds, so dashboards that select by job and
          // instance find the loaded series too.
          out += s.name + "{" + series_scrape_labels
                 + (s.label_text.empty() ? "" : "," + s.label_text) + "}";
          out += " " + format_value(s.points[t].value) + " " + stamp + "\n";
        }
      }
    }
  }
  return out + "# EOF\n";
}

} // namespace calldrill
