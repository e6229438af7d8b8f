// Realtime verdicts through the binary: a conforming model is never failed
// because its actors saw a change late, and a run whose actors lagged beyond
// the checker's tolerance ends INCONCLUSIVE (exit 4) with what to change,
// in the terminal, the reports, the metrics and a re-check of its history
// alike. Also the verdict and the DR figures as metrics.
#include "cli_support.hpp"

#include <gtest/gtest.h>

using namespace calldrill::testing;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(CliRealtime, AConformingRunIsNeverFailedForItsActorsLateness) {
  // Fast enough that actors routinely act milliseconds of wall time (whole
  // simulated seconds) after a change: before the checker read decisions
  // under the worlds of the tolerance, this failed the cells of every phase.
  for (const char* seed : {"1", "2"}) {
    auto r = run_cli({"run", "--clock", "realtime", "--speed", "240",
                      "--duration", "40m", "--seed", seed, "-q",
                      "--metrics-port", "0"});
    EXPECT_TRUE(r.code == 0 || r.code == 4) << "seed " << seed << "\n" << r.out << r.err;
    if (r.code == 4) {
      EXPECT_TRUE(has(r.out, "verdict: INCONCLUSIVE")) << r.out;
    }
  }
}

TEST(CliRealtime, ALagBeyondTheToleranceIsInconclusiveEverywhere) {
  temp_dir dir;
  auto history = dir.path + "/run.history";
  auto report = dir.path + "/report.json";
  auto junit = dir.path + "/junit.xml";
  // No tolerance at all: any lateness of a realtime actor is beyond it.
  auto r = run_cli({"run", "--clock", "realtime", "--speed", "1000",
                    "--duration", "20m", "--seed", "3", "-q", "--tolerance",
                    "0s", "--metrics-port", "0", "--history", history,
                    "--report", report, "--junit", junit, "--series",
                    dir.path + "/run.om"});
  ASSERT_EQ(r.code, 4) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "verdict: INCONCLUSIVE (seed 3): actors acted up to"))
    << r.out;
  EXPECT_TRUE(has(r.out, "Run again at --speed ")) << r.out;
  EXPECT_TRUE(has(r.out, "replay: calldrill run --seed 3 --clock realtime "
                         "--speed 1000 --tolerance 0s"))
    << r.out;
  auto json = read_file(report);
  EXPECT_TRUE(has(json, "\"verdict\":\"inconclusive\"")) << json;
  EXPECT_TRUE(has(json, "\"tolerance_seconds\":0")) << json;
  EXPECT_TRUE(has(json, "\"trusted\":false")) << json;
  auto xml = read_file(junit);
  EXPECT_TRUE(has(xml, "errors=\"1\"")) << xml;
  EXPECT_TRUE(has(xml, "type=\"inconclusive\"")) << xml;
  auto om = read_file(dir.path + "/run.om");
  EXPECT_TRUE(has(om, "status=\"inconclusive\"} 1")) << om.substr(0, 2000);
  EXPECT_TRUE(has(om, "calldrill_clock_tolerance_seconds{")) << om.substr(0, 2000);
  EXPECT_TRUE(has(om, "calldrill_clock_lag_seconds{")) << om.substr(0, 2000);

  // The history keeps the clock's facts: its re-check says the same.
  auto c = run_cli({"check", history, "-q"});
  EXPECT_EQ(c.code, 4) << c.out << c.err;
  EXPECT_TRUE(has(c.out, "verdict: INCONCLUSIVE (seed 3)")) << c.out;
}

TEST(CliRealtime, TheToleranceIsCheckedLikeTheFilesKey) {
  for (const char* bad : {"-1s", "11m", "soon"}) {
    auto r = run_cli({"run", "--clock", "realtime", "--tolerance", bad,
                      "--metrics-port", "0"});
    EXPECT_EQ(r.code, 2) << bad << "\n" << r.out << r.err;
    EXPECT_TRUE(has(r.err, "--tolerance")) << r.err;
  }
}

namespace {

/// The value of the first sample of `metric` whose line holds every part.
double sample(const std::string& text, const std::string& metric,
              const std::vector<std::string>& parts) {
  std::size_t pos = 0;
  while ((pos = text.find(metric + "{", pos)) != std::string::npos) {
    auto end = text.find('\n', pos);
    auto line = text.substr(pos, end - pos);
    bool all = true;
    for (const auto& p : parts)
      all = all && has(line, p);
    if (all)
      return std::stod(line.substr(line.find("} ") + 2));
    pos = end;
  }
  return -1;
}

} // namespace

TEST(CliMetrics, TheVerdictAndEachPairsDrFiguresAreMetrics) {
  temp_dir dir;
  auto series = dir.path + "/run.om";
  auto r = run_cli({"run", "--seed", "1", "-q", "--metrics-port", "0",
                    "--series", series});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto text = read_file(series);
  EXPECT_EQ(sample(text, "calldrill_verdict", {"status=\"pass\""}), 1);
  EXPECT_EQ(sample(text, "calldrill_verdict", {"status=\"fail\""}), 0);
  // The default drill's timeline: fe-a fails at 10m, failover completes at
  // 26m (RTO 16 minutes); clients notice after the 300 s interval plus up
  // to 60 s and the last is admitted 6m 40s after the outage; gcp-a is
  // redirected at 30m (GCP back 20 minutes after the outage) and GCP is
  // down again from failback at 50m until gcp-a goes back at 66m.
  const std::string pair = "pair=\"fe-a.calldrill.test/fe-b.calldrill.test\"";
  EXPECT_EQ(sample(text, "calldrill_dr_figure_seconds", {pair, "figure=\"rto\""}), 960);
  EXPECT_NEAR(sample(text, "calldrill_dr_figure_seconds",
                     {pair, "figure=\"time_to_service\""}), 400, 1);
  EXPECT_NEAR(sample(text, "calldrill_dr_figure_seconds",
                     {pair, "figure=\"gcp_restored\""}), 1200, 2);
  EXPECT_NEAR(sample(text, "calldrill_dr_figure_seconds",
                     {pair, "figure=\"gcp_down_total\""}), 2160, 4);
  EXPECT_GT(sample(text, "calldrill_dr_figure_seconds",
                   {pair, "figure=\"storm_drain\""}), 0);
  // The bystander pool never failed: no figures for it.
  EXPECT_EQ(sample(text, "calldrill_dr_figure_seconds", {"fe-c.calldrill.test"}), -1);
}
