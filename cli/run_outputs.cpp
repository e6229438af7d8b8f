// Outputs of `calldrill run` (see run_outputs.hpp).
#include "cli/run_outputs.hpp"

#include "outputs/sha256.hpp"
#include "scenarios/builtin.hpp"

#include <boost/program_options.hpp>

#include <ctime>
#include <fstream>
#include <sstream>

namespace po = boost::program_options;

namespace calldrill {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size()
         && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

po::options_description output_options(output_args& a) {
  po::options_description o{"outputs (FILE may be - for standard output)"};
  o.add_options()
    ("report", po::value<std::string>(&a.report)->value_name("FILE"),
     "write the JSON report to FILE")
    ("series", po::value<std::string>(&a.series)->value_name("FILE"),
     "write the run's time series to FILE: CSV, or OpenMetrics when FILE ends "
     "in .om (simulated time 0 at 2000-01-01T00:00:00Z)")
    ("html", po::value<std::string>(&a.html)->value_name("FILE"),
     "write a one-file HTML report (verdict, table, timeline, charts) to FILE")
    ("junit", po::value<std::string>(&a.junit)->value_name("FILE"),
     "write the checks as JUnit XML (Surefire form) to FILE");
  return o;
}

std::string plan_outputs(const output_args& a, const po::variables_map& vm,
                         output_set& out) {
  struct wanted {
    const char* option;
    const std::string& path;
    std::unique_ptr<output> (*make)();
  };
  bool om = ends_with(a.series, ".om");
  const wanted all[] = {
    {"--report", a.report, make_report_output},
    {"--series", a.series, om ? make_series_om_output : make_series_csv_output},
    {"--html", a.html, make_html_output},
    {"--junit", a.junit, make_junit_output},
  };
  for (const auto& w : all) {
    if (!vm.count(w.option + 2))
      continue;
    if (auto err = out.add(w.option, w.path, w.make()); !err.empty())
      return err;
  }
  return {};
}

std::unique_ptr<series_log> record_series(const output_set& outs,
                                          const scenario& s, const topology& t,
                                          const std::string& run_id,
                                          run_hooks& hooks) {
  if (!outs.needs_series())
    return nullptr;
  auto log = std::make_unique<series_log>(t, s, run_id);
  auto every = s.run.clock == clock_kind::virtual_time
                 ? series_every_virtual
                 : from_seconds(s.run.speed); // one view per wall second
  auto live = std::move(hooks.sink);
  hooks.every = live ? std::min(hooks.every, every) : every;
  hooks.sink = [live, rec = log.get()](const live_view& v) {
    if (live)
      live(v);
    rec->record(v);
  };
  return log;
}

std::string scenario_hash(const std::string& file, const std::string& workload) {
  if (!workload.empty())
    return sha256_hex("calldrill workload " + workload);
  if (file.empty())
    return sha256_hex(default_drill_yaml);
  std::ifstream in{file, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return sha256_hex(text.str());
}

std::string utc_now_rfc3339() {
  auto now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

} // namespace calldrill
