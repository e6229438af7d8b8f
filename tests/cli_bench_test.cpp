// `calldrill bench` runs and its output is well-formed (a smoke run of
// seconds; timing targets live in the bench itself, never in tests).
#include "cli_support.hpp"

#include <algorithm>

#include <gtest/gtest.h>

using namespace calldrill::testing;

TEST(CliBench, SmokeRunPrintsTableAndWritesCsv) {
  temp_dir dir;
  auto csv = dir.path + "/bench.csv";
  auto r = run_cli({"bench", "-w", "default", "-w", "storm",
                    "--users", "20000", "--ping-pong", "20000", "--csv", csv});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("calls/wall s"), std::string::npos);
  EXPECT_NE(r.out.find("yardsticks: loop = a plain event loop"), std::string::npos);
  EXPECT_NE(r.out.find("raw CAF ping-pong"), std::string::npos);
  EXPECT_NE(r.out.find("x loop"), std::string::npos);
  EXPECT_NE(r.out.find("verdict"), std::string::npos);
  // Each workload plays a whole runbook: its verdict holds.
  EXPECT_EQ(r.err.find("did not pass"), std::string::npos) << r.err;
  auto text = read_file(csv);
  std::size_t lines = 0, commas_header = 0;
  for (std::size_t i = 0, start = 0; i < text.size(); ++i)
    if (text[i] == '\n') {
      auto line = text.substr(start, i - start);
      auto commas = static_cast<std::size_t>(std::count(line.begin(), line.end(), ','));
      if (lines == 0)
        commas_header = commas;
      else {
        EXPECT_EQ(commas, commas_header) << line;
        EXPECT_EQ(line.substr(line.rfind(',') + 1), "PASS") << line;
      }
      ++lines;
      start = i + 1;
    }
  EXPECT_EQ(lines, 3u); // header + two workloads
  EXPECT_EQ(text.rfind("workload,users,sim_calls", 0), 0u);
}

TEST(CliBench, WorkloadBeyondTheMemoryBudgetIsRefusedBeforeMeasuring) {
  auto r = run_cli({"bench", "-w", "default", "-w", "enterprise",
                    "--memory-max", "200M"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("enterprise: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than its budget of 200 MiB"), std::string::npos)
    << r.err;
  EXPECT_EQ(r.err.find("running"), std::string::npos) << r.err;
}

TEST(CliBench, UnknownWorkloadIsAUsageError) {
  EXPECT_EQ(run_cli({"bench", "-w", "nope"}).code, 2);
  EXPECT_EQ(run_cli({"bench", "--sweep", "colour=1,2"}).code, 2);
}
