// JSON rendering of a run report and its atomic write.
#include "oracle/report_json.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

namespace calldrill {

namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string number(double x) {
  if (!std::isfinite(x))
    return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string optional_number(const std::optional<double>& x) {
  return x ? number(*x) : "null";
}

/// A minimal JSON object writer: key order is insertion order.
class object {
public:
  object& field(std::string_view key, const std::string& raw_json) {
    out_ << (first_ ? "" : ",") << quote(key) << ":" << raw_json;
    first_ = false;
    return *this;
  }
  object& str(std::string_view key, std::string_view v) {
    return field(key, quote(v));
  }
  object& num(std::string_view key, std::uint64_t v) {
    return field(key, std::to_string(v));
  }
  object& real(std::string_view key, double v) { return field(key, number(v)); }
  std::string done() const { return "{" + out_.str() + "}"; }

private:
  std::ostringstream out_;
  bool first_ = true;
};

std::string array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? "," : "") + items[i];
  return out + "]";
}

std::string strings(const std::vector<std::string>& xs) {
  std::vector<std::string> items;
  for (const auto& x : xs)
    items.push_back(quote(x));
  return array(items);
}

std::string checks_json(const verdict& v) {
  std::vector<std::string> items;
  for (const auto& c : v.checks)
    items.push_back(object{}
                      .str("id", c.id)
                      .str("pair", c.pair)
                      .str("status", name(c.status))
                      .str("expected", c.expected)
                      .str("observed", c.observed)
                      .field("observed_value", optional_number(c.observed_value))
                      .field("threshold", optional_number(c.threshold))
                      .str("note", c.note)
                      .field("evidence", strings(c.evidence))
                      .done());
  return array(items);
}

/// Each pair's DR figures (seconds; null where the run never got there).
std::string timing_json(const run_timing& t) {
  if (!t.realtime)
    return object{}.str("clock", "virtual").field("trusted", "true").done();
  return object{}
    .str("clock", "realtime")
    .real("speed", t.speed)
    .real("tolerance_seconds", t.tolerance)
    .real("lag_max_seconds", t.lag_max)
    .field("trusted", t.trusted() ? "true" : "false")
    .done();
}

std::string figures_json(const verdict& v) {
  auto secs = [](double x) {
    return x < 0 ? std::optional<double>{} : std::optional<double>{x};
  };
  std::vector<std::string> items;
  for (const auto& f : v.figures)
    if (f.outage)
      items.push_back(object{}
                        .str("pair", f.pair)
                        .field("outage_at_seconds", optional_number(secs(f.outage_at)))
                        .field("rto_seconds", optional_number(secs(f.rto)))
                        .field("time_to_service_seconds",
                               optional_number(secs(f.time_to_service)))
                        .field("storm_drain_seconds",
                               optional_number(secs(f.storm_drain)))
                        .field("gcp_restored_seconds",
                               optional_number(secs(f.gcp_restored)))
                        .real("gcp_down_seconds", f.gcp_down_total)
                        .real("unregistered_user_seconds",
                              f.unregistered_user_seconds)
                        .done());
  return array(items);
}

std::string totals_json(const run_result& r) {
  const auto& o = r.obs;
  auto end = o.boundaries().empty() ? boundary_totals{} : o.boundaries().back();
  object ended;
  for (std::size_t c = 0; c < end_cause_count; ++c)
    ended.num(name(static_cast<end_cause>(c)),
              o.total(end_counter(static_cast<end_cause>(c))));
  object calls;
  calls.num("started", end.started)
    .num("established", end.established)
    .num("failed", end.failed)
    .num("abandoned", end.abandoned)
    .num("active", end.ringing)
    .num("answered", o.total(counter::calls_answered))
    .num("picked_up", o.total(counter::calls_picked_up))
    .num("not_started", o.total(counter::calls_not_started))
    .field("ended_by_cause", ended.done());
  object by_result;
  std::uint64_t attempts = 0;
  for (std::size_t p = 0; p < pickup_result_count; ++p) {
    auto n = o.total(pickup_counter(static_cast<pickup_result>(p)));
    attempts += n;
    by_result.num(name(static_cast<pickup_result>(p)), n);
  }
  auto regs = o.total(counter::registrations);
  object registrations;
  registrations.num("admitted", regs)
    .num("resiliency", o.total(counter::registrations_resiliency))
    .real("wait_mean_seconds",
          regs ? static_cast<double>(o.total(counter::registration_wait_us))
                   / static_cast<double>(regs) / 1e6
               : 0.0)
    .real("wait_max_seconds",
          static_cast<double>(o.total(counter::registration_wait_max_us)) / 1e6);
  return object{}
    .field("calls", calls.done())
    .field("pickups", object{}
                        .num("attempts", attempts)
                        .field("by_result", by_result.done())
                        .done())
    .field("registrations", registrations.done())
    .done();
}

std::string phases_json(const topology& t, const run_result& r) {
  std::vector<std::string> items;
  for (const auto& ph : r.phases)
    items.push_back(object{}
                      .real("at_seconds", to_seconds(ph.at))
                      .str("pair", t.pairs[ph.pair].name)
                      .str("phase", name(ph.phase))
                      .str("column", name(column_of(ph.phase)))
                      .str("action", ph.action)
                      .done());
  return array(items);
}

std::string refused_json(const run_result& r) {
  std::vector<std::string> items;
  for (const auto& x : r.refused)
    items.push_back(object{}
                      .real("at_seconds", to_seconds(x.at))
                      .str("message", x.message)
                      .done());
  return array(items);
}

std::string cells_json(const topology& t, const run_result& r) {
  object pairs;
  for (std::size_t p = 0; p < t.pairs.size(); ++p) {
    object cols;
    for (std::size_t c = 0; c < column_count; ++c) {
      object counters;
      for (std::size_t k = 0; k < counter_count; ++k)
        counters.num(name(static_cast<counter>(k)),
                     r.obs.get(static_cast<pair_id>(p), static_cast<column>(c),
                               static_cast<counter>(k)));
      cols.field(name(static_cast<column>(c)), counters.done());
    }
    pairs.field(t.pairs[p].name, cols.done());
  }
  return pairs.done();
}

std::string wall_json(const run_result& r) {
  return object{}
    .real("setup_seconds", r.wall.setup_seconds)
    .real("run_seconds", r.wall.run_seconds)
    .num("peak_rss_bytes", r.wall.peak_rss_bytes)
    .num("actor_messages", r.wall.actor_messages)
    .num("actors", r.wall.actors)
    .real("arrival_lag_p99_ms", r.wall.arrival_lag_p99_ms)
    .done();
}

} // namespace

std::string report_json(const topology& t, const scenario& s,
                        const run_result& r, const verdict& v,
                        const report_facts& facts) {
  return object{}
           .num("calldrill_report", 1)
           .str("calldrill_version", facts.version)
           .str("scenario", s.name)
           .str("source", s.source)
           .str("scenario_sha256", facts.scenario_sha256)
           .num("seed", r.seed)
           .str("verdict", std::string{name(v.status())})
           .field("timing", timing_json(v.timing))
           .field("interrupted", facts.interrupted_by.empty() ? "false" : "true")
           .str("interrupted_by", facts.interrupted_by)
           .str("replay", facts.replay)
           .real("simulated_seconds", to_seconds(r.simulated))
           .field("checks", checks_json(v))
           .field("figures", figures_json(v))
           .field("totals", totals_json(r))
           .field("phases", phases_json(t, r))
           .field("refused_actions", refused_json(r))
           .field("cells", cells_json(t, r))
           .str("started_at", facts.started_at) // wall-clock facts last
           .field("wall", wall_json(r))
           .done()
         + "\n";
}

} // namespace calldrill
