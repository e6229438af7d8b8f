// `--junit FILE`: the verdict as JUnit XML in the Surefire form CI servers
// read: one testsuite per run, one testcase per check and pair; a failing
// check is a <failure> with expected, observed and the replay command, a
// check without traffic is <skipped>.
#include "outputs/output.hpp"

#include <cstdio>
#include <sstream>

namespace calldrill {

namespace {

/// Text safe in XML 1.0 content and attributes (controls dropped).
std::string xml(std::string_view s) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      default:
        if (c >= 0x20)
          out += ch;
    }
  }
  return out;
}

std::string class_name(const check_outcome& c) {
  if (c.pair.empty())
    return "calldrill.run";
  std::string out = "calldrill.";
  for (char ch : c.pair)
    out += ch == '.' ? '_' : ch; // dots would read as packages
  return out;
}

/// RFC 3339 "…Z" as the zone-less timestamp the JUnit schema asks for.
std::string junit_timestamp(std::string t) {
  if (!t.empty() && t.back() == 'Z')
    t.pop_back();
  return t;
}

/// Seconds with at most three decimals, as Surefire writes them.
std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

void property(std::ostringstream& out, const char* name, const std::string& v) {
  out << "    <property name=\"" << name << "\" value=\"" << xml(v) << "\"/>\n";
}

class junit_output : public output {
public:
  std::string render(const finished_run& r) const override {
    std::size_t failures = 0, skipped = 0;
    for (const auto& c : r.checks.checks) {
      failures += c.status == check_status::fail;
      skipped += c.status == check_status::not_covered;
    }
    // A realtime run's timing is a test case of its own: an error when the
    // actors lagged beyond the checker's tolerance.
    const auto& timing = r.checks.timing;
    std::size_t errors = timing.realtime && !timing.trusted() ? 1 : 0;
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuite name=\"calldrill." << xml(r.scn.name) << "\" tests=\""
        << r.checks.checks.size() + (timing.realtime ? 1 : 0)
        << "\" failures=\"" << failures << "\" errors=\"" << errors
        << "\" skipped=\"" << skipped << "\" time=\""
        << seconds_text(r.result.wall.run_seconds) << "\" timestamp=\""
        << xml(junit_timestamp(r.facts.started_at)) << "\" hostname=\"localhost\">\n"
        << "  <properties>\n";
    property(out, "calldrill_version", r.facts.version);
    property(out, "scenario", r.scn.name);
    property(out, "source", r.scn.source);
    property(out, "scenario_sha256", r.facts.scenario_sha256);
    property(out, "seed", std::to_string(r.result.seed));
    property(out, "replay", r.facts.replay);
    if (!r.facts.interrupted_by.empty())
      property(out, "interrupted_by", r.facts.interrupted_by);
    out << "  </properties>\n";
    for (const auto& c : r.checks.checks) {
      out << "  <testcase name=\"" << xml(c.id) << "\" classname=\""
          << xml(class_name(c)) << "\" time=\"0\"";
      if (c.status == check_status::pass) {
        out << "/>\n";
        continue;
      }
      out << ">\n";
      if (c.status == check_status::fail) {
        out << "    <failure message=\"" << xml("expected " + c.expected
                                                + "; observed " + c.observed)
            << "\" type=\"check_failed\">" << xml("expected: " + c.expected)
            << "&#10;" << xml("observed: " + c.observed) << "&#10;";
        if (!c.note.empty())
          out << xml("note: " + c.note) << "&#10;";
        out << xml("replay: " + r.facts.replay) << "</failure>\n";
      } else {
        out << "    <skipped message=\""
            << xml("not covered: " + c.observed
                   + (c.note.empty() ? "" : "; " + c.note))
            << "\"/>\n";
      }
      out << "  </testcase>\n";
    }
    if (timing.realtime) {
      out << "  <testcase name=\"timing\" classname=\"calldrill.run\" time=\"0\"";
      if (errors == 0)
        out << "/>\n";
      else
        out << ">\n    <error message=\""
            << xml("actors lagged " + seconds_text(timing.lag_max)
                   + " s (simulated), beyond the tolerance of "
                   + seconds_text(timing.tolerance)
                   + " s: the verdict is inconclusive")
            << "\" type=\"inconclusive\"/>\n  </testcase>\n";
    }
    out << "</testsuite>\n";
    return out.str();
  }
};

} // namespace

std::unique_ptr<output> make_junit_output() {
  return std::make_unique<junit_output>();
}

} // namespace calldrill
