// Realtime verdicts through the binary: a conforming model is never failed
// because its actors saw a change late, and a run whose actors lagged beyond
// the checker's tolerance ends INCONCLUSIVE (exit 4) with what to change,
// in the terminal, the reports and a re-check of its history alike.
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
    if (r.code == 4)
      EXPECT_TRUE(has(r.out, "verdict: INCONCLUSIVE")) << r.out;
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
                    "--report", report, "--junit", junit});
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
