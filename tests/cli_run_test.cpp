// `calldrill run` as a user meets it: exit codes CI can gate on, the seed
// first, the replay command on failure, and a JSON report identical outside
// "started_at" and "wall" for two virtual-clock runs of one seed.
#include "cli_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

using namespace calldrill::testing;

TEST(CliRun, DefaultDrillPassesAndPrintsSeedFirst) {
  auto r = run_cli({"run", "--seed", "5"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("seed: 5\n", 0), 0u);
  EXPECT_NE(r.out.find("verdict: PASS"), std::string::npos);
  for (const char* cell : {"failover_during", "failover_after",
                           "failback_during", "failback_after"})
    EXPECT_NE(r.out.find(cell), std::string::npos);
}

TEST(CliRun, DefectFailsWithExitOneAndTheReplayCommand) {
  auto r = run_cli({"run", "--seed", "5", "--quiet", "--defect",
                      "drop-established-on-failover"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL established_calls.failover_during"),
            std::string::npos);
  EXPECT_NE(r.out.find("replay: calldrill run --seed 5 --defect "
                       "drop-established-on-failover"),
            std::string::npos);
}

TEST(CliRun, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({"run", "--clock", "sundial"}).code, 2);
  EXPECT_EQ(run_cli({"run", "--defect", "no-such-defect"}).code, 2);
  EXPECT_EQ(run_cli({"run", "--duration", "-5m"}).code, 2);
  EXPECT_EQ(run_cli({"run", "--no-such-option"}).code, 2);
  EXPECT_EQ(run_cli({"frobnicate"}).code, 2);
  EXPECT_EQ(run_cli({"run", "--report", "/nonexistent/dir/r.json"}).code, 2);
}

TEST(CliRun, HelpTeachesTheDefects) {
  auto r = run_cli({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* d : {"drop-established-on-failover", "pickup-in-resiliency",
                        "answer-stale-queue", "keep-stale-queue",
                        "ignore-orbit-target", "degrade-bystanders"})
    EXPECT_NE(r.out.find(d), std::string::npos) << d;
}

TEST(CliRun, ReportsOfOneSeedAreIdenticalOutsideWall) {
  temp_dir dir;
  auto a = dir.path + "/a.json", b = dir.path + "/b.json";
  ASSERT_EQ(run_cli({"run", "--seed", "9", "-q", "--report", a}).code, 0);
  ASSERT_EQ(run_cli({"run", "--seed", "9", "-q", "--report", b}).code, 0);
  auto strip = [](std::string s) {
    return s.substr(0, s.find("\"started_at\":")); // wall-clock facts last
  };
  auto ja = read_file(a), jb = read_file(b);
  EXPECT_NE(ja.find("\"verdict\":\"pass\""), std::string::npos);
  EXPECT_NE(ja.find("\"seed\":9"), std::string::npos);
  EXPECT_EQ(strip(ja), strip(jb));
  EXPECT_NE(ja, jb); // wall-clock facts differ
}

TEST(CliRun, StoredHistoryGivesTheRunsVerdictOffline) {
  temp_dir dir;
  auto file = dir.path + "/run.history";
  auto r = run_cli({"run", "forgot-redirect", "--seed", "3", "--quiet",
                    "--metrics-port", "0", "--history", file});
  EXPECT_EQ(r.code, 1) << r.out << r.err; // the runbook forgot a redirect
  auto c = run_cli({"check", file, "--quiet"});
  EXPECT_EQ(c.code, r.code) << c.out << c.err;
  auto checks = [](const std::string& out) {
    return out.substr(out.find("blast_radius"));
  };
  EXPECT_EQ(checks(c.out), checks(r.out));
}

TEST(CliRun, HistoryToAFolderThatDoesNotExistIsRefusedBeforeTheRun) {
  auto r = run_cli({"run", "--seed", "3", "--quiet", "--metrics-port", "0",
                    "--history", "/nonexistent/dir/run.history"});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("--history"), std::string::npos);
  EXPECT_EQ(r.out.find("verdict"), std::string::npos);
}

TEST(CliRun, PartitionedReportsAreIdenticalForAnyWorkersAndReplayPartitioned) {
  temp_dir dir;
  auto strip = [](std::string s) {
    return s.substr(0, s.find("\"started_at\":"));
  };
  std::string first;
  for (const char* workers : {"1", "2"}) {
    auto path = dir.path + "/w" + workers + ".json";
    auto r = run_cli({"run", "--seed", "9", "-q", "--partition", "pairs",
                      "--workers", workers, "--duration", "20m", "--report", path});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto json = strip(read_file(path));
    EXPECT_NE(json.find("\"verdict\":\"pass\""), std::string::npos);
    if (first.empty())
      first = json;
    else
      EXPECT_EQ(first, json) << workers << " workers";
  }
  auto bad = run_cli({"run", "--seed", "9", "-q", "--partition", "pairs",
                      "--duration", "20m", "--defect",
                      "drop-established-on-failover"});
  EXPECT_EQ(bad.code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("--partition pairs"), std::string::npos) << bad.out;
  EXPECT_EQ(run_cli({"run", "--partition", "sites"}).code, 2);
  EXPECT_EQ(run_cli({"run", "--partition", "pairs", "--clock", "realtime"}).code, 2);
}
