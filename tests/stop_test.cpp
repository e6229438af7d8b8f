// A clean stop: SIGINT or SIGTERM during a run, in either clock, ends it at
// the current simulated instant with the summary marked interrupted, every
// output written and exit 130 or 143; a second SIGINT exits at once with no
// temporary file left behind. Each case signals a real child process.
#include "child_process.hpp"
#include "cli_support.hpp"
#include "http_get.hpp"
#include "json_lite.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

namespace {

using namespace calldrill::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string bin = std::string{CALLDRILL_BINARY_DIR} + "/cli/calldrill";

/// A run that lasts long enough to be signalled (minutes of wall time).
std::vector<std::string> long_run(const std::string& clock, const std::string& dir) {
  std::vector<std::string> args{bin, "run", "--seed", "4", "--metrics-port", "0",
                                "--report", dir + "/r.json", "--html",
                                dir + "/r.html", "--junit", dir + "/j.xml",
                                "--series", dir + "/s.om"};
  if (clock == "realtime")
    for (const char* a : {"--clock", "realtime", "--speed", "60"})
      args.emplace_back(a); // 80 simulated minutes: 80 wall seconds
  else
    for (const char* a : {"--duration", "160h"})
      args.emplace_back(a); // minutes of wall time in virtual time
  return args;
}

/// Polls `log` until it contains `text`, at most `limit`.
bool wait_for_text(const std::string& log, const std::string& text,
                   std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (read_file(log).find(text) != std::string::npos)
      return true;
    std::this_thread::sleep_for(20ms); // polling a child's output, bounded
  }
  return false;
}

std::vector<std::string> leftovers(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator{dir})
    if (e.path().extension() == ".tmp")
      out.push_back(e.path().filename().string());
  return out;
}

void stops_cleanly(const std::string& clock, int sig, int code, const char* name) {
  temp_dir dir;
  auto log = dir.path + "/log";
  child_process run{long_run(clock, dir.path), log};
  ASSERT_TRUE(wait_for_text(log, "scenario:", 30s)) << read_file(log);
  ASSERT_EQ(kill(run.pid(), sig), 0);
  EXPECT_EQ(run.wait_for(60s), code) << read_file(log);
  auto out = read_file(log);
  EXPECT_NE(out.find(std::string{"interrupted by "} + name), std::string::npos) << out;
  EXPECT_NE(out.find(std::string{"verdict: INTERRUPTED by "} + name), std::string::npos)
    << out;
  auto report = json_reader::parse(read_file(dir.path + "/r.json"));
  EXPECT_TRUE(report.find("interrupted")->b);
  EXPECT_EQ(report.find("interrupted_by")->s, name);
  auto simulated = report.find("simulated_seconds")->n;
  EXPECT_GE(simulated, 0);
  EXPECT_LT(simulated, clock == "realtime" ? 4800 : 160 * 3600);
  EXPECT_NE(read_file(dir.path + "/j.xml").find("interrupted_by"), std::string::npos);
  EXPECT_NE(read_file(dir.path + "/r.html").find("interrupted by"), std::string::npos);
  EXPECT_NE(read_file(dir.path + "/s.om").find("# EOF"), std::string::npos);
  EXPECT_EQ(leftovers(dir.path), std::vector<std::string>{});
}

TEST(Stop, SigintStopsARealtimeRunCleanly) {
  stops_cleanly("realtime", SIGINT, 130, "SIGINT");
}
TEST(Stop, SigtermStopsARealtimeRunCleanly) {
  stops_cleanly("realtime", SIGTERM, 143, "SIGTERM");
}
TEST(Stop, SigintStopsAVirtualRunCleanly) {
  stops_cleanly("virtual", SIGINT, 130, "SIGINT");
}
TEST(Stop, SigtermStopsAVirtualRunCleanly) {
  stops_cleanly("virtual", SIGTERM, 143, "SIGTERM");
}

TEST(Stop, SecondSigintExitsAtOnceLeavingNoTemporaryFile) {
  for (const char* clock : {"realtime", "virtual"}) {
    temp_dir dir;
    auto log = dir.path + "/log";
    child_process run{long_run(clock, dir.path), log};
    ASSERT_TRUE(wait_for_text(log, "scenario:", 30s)) << read_file(log);
    ASSERT_EQ(kill(run.pid(), SIGINT), 0);
    ASSERT_TRUE(wait_for_text(log, "again to exit at once", 10s)) << read_file(log);
    ASSERT_EQ(kill(run.pid(), SIGINT), 0);
    EXPECT_EQ(run.wait_for(10s), 130) << clock << "\n" << read_file(log);
    EXPECT_EQ(leftovers(dir.path), std::vector<std::string>{}) << clock;
    // Whatever was written is whole: a file exists only once renamed.
    if (fs::exists(dir.path + "/r.json")) {
      EXPECT_NO_THROW(json_reader::parse(read_file(dir.path + "/r.json")));
    }
  }
}

TEST(Stop, ASecondSignalRightAfterTheFirstWritesNothing) {
  for (const char* clock : {"realtime", "virtual"}) {
    temp_dir dir;
    auto log = dir.path + "/log";
    child_process run{long_run(clock, dir.path), log};
    ASSERT_TRUE(wait_for_text(log, "scenario:", 30s)) << read_file(log);
    // Two different signals are both delivered, the second while the run is
    // still stopping: it must exit at once, before any summary or output.
    ASSERT_EQ(kill(run.pid(), SIGINT), 0);
    ASSERT_EQ(kill(run.pid(), SIGTERM), 0);
    auto code = run.wait_for(10s); // 128 + whichever signal came first
    EXPECT_TRUE(code == 130 || code == 143) << clock << " " << code << "\n"
                                            << read_file(log);
    EXPECT_EQ(read_file(log).find("verdict:"), std::string::npos) << read_file(log);
    for (const char* f : {"r.json", "r.html", "j.xml", "s.om"})
      EXPECT_FALSE(fs::exists(dir.path + "/" + f)) << clock << " " << f;
    EXPECT_EQ(leftovers(dir.path), std::vector<std::string>{}) << clock;
  }
}

TEST(Stop, AnInterruptedRunReleasesItsPortInsteadOfHolding) {
  temp_dir dir;
  auto log = dir.path + "/log";
  auto port = std::to_string(free_port());
  child_process run{{bin, "run", "--seed", "4", "--clock", "realtime", "--speed",
                     "60", "--metrics-port", port, "--hold-metrics", "600"},
                    log};
  ASSERT_TRUE(wait_for_text(log, "metrics: http://127.0.0.1:" + port, 30s))
    << read_file(log);
  ASSERT_EQ(kill(run.pid(), SIGINT), 0);
  EXPECT_EQ(run.wait_for(30s), 130) << "held the endpoint after a stop\n"
                                    << read_file(log);
  EXPECT_EQ(read_file(log).find("holding"), std::string::npos);
}

TEST(Stop, AVirtualRunSaysItsEndpointLivesOnlyWhileItRuns) {
  auto port = std::to_string(free_port());
  auto r = run_cli({"run", "--seed", "4", "--duration", "5m", "--metrics-port", port});
  EXPECT_NE(r.out.find("metrics: http://127.0.0.1:" + port
                       + "/metrics while this virtual run lasts"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--series FILE.om"), std::string::npos);
}

} // namespace
