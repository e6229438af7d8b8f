// `calldrill validate` and `calldrill run FILE` on the built binary: bad input
// of every kind is a clear message naming the file and exit 2, never a crash.
#include "cli_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace calldrill::testing;

namespace {

std::string library(const std::string& name) {
  return std::string{CALLDRILL_SOURCE_DIR} + "/scenarios/" + name + ".yaml";
}

std::string write(const temp_dir& dir, const std::string& name,
                  const std::string& text) {
  auto path = dir.path + "/" + name;
  std::ofstream{path, std::ios::binary} << text;
  return path;
}

/// Exit 2, and stderr names the file (and `words`).
void refused(const cli_result& r, const std::string& file,
             const std::string& words) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
}

} // namespace

TEST(CliValidate, ValidFileExitsZeroWithASummary) {
  auto r = run_cli({"validate", library("failover-failback")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("topology: 3 pools, 1200 users"), std::string::npos);
  EXPECT_NE(r.out.find("00:09:00 set_orbit fe-b.drill.test gcp-a"),
            std::string::npos);
}

TEST(CliValidate, WarningsDoNotChangeTheExitCode) {
  auto r = run_cli({"validate", library("call-park-off-backup")});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.err.find(":10:19: warning: topology.pools[1].call_park"),
            std::string::npos) << r.err;
}

TEST(CliValidate, ChaosIsExpandedFromTheSeed) {
  auto a = run_cli({"validate", library("chaos-peak"), "--seed", "3"});
  auto b = run_cli({"validate", library("chaos-peak"), "--seed", "3"});
  auto c = run_cli({"validate", library("chaos-peak"), "--seed", "4"});
  EXPECT_EQ(a.code, 0);
  EXPECT_NE(a.out.find("(chaos)"), std::string::npos);
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
}

TEST(CliValidate, EveryErrorOfAFileInOneRunAsFileLineColKey) {
  temp_dir dir;
  auto f = write(dir, "bad.yaml", R"(topology:
  pools:
    - {fqdn: a.test, backup: a.test, users: many}
  orbit_ranges:
    - {identity: ra, start: "*100", end: "99", type: GroupPickup, call_park_service: z.test}
traffic:
  stages: [{calls_per_second: 1}]
  surprise: 1
)");
  auto r = run_cli({"validate", f});
  EXPECT_EQ(r.code, 2);
  for (const char* line :
       {":3:30: topology.pools[0].backup: pool a.test cannot be its own backup",
        ":3:45: topology.pools[0].users: expected a whole number, got 'many'",
        ":5:42: topology.orbit_ranges[0].end: range ra: start and end must "
        "carry the same * or # prefix",
        ":5:86: topology.orbit_ranges[0].call_park_service: range ra points "
        "at z.test, which is not a pool of the topology",
        ":8:3: traffic.surprise: unknown key"})
    EXPECT_NE(r.err.find(f + line), std::string::npos) << line << "\n" << r.err;
  EXPECT_NE(r.err.find("5 errors"), std::string::npos) << r.err;
}

TEST(CliValidate, RunRefusesAnInvalidFileTheSameWay) {
  temp_dir dir;
  auto f = write(dir, "bad.yaml", "topology: {pools: []}\ntraffic: 3\n");
  auto r = run_cli({"run", f});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(f + ":2:10: traffic: expected a map"), std::string::npos)
    << r.err;
  EXPECT_EQ(r.out.find("verdict"), std::string::npos);
}

TEST(CliValidate, RunPlaysAValidFile) {
  auto r = run_cli({"run", library("failover-failback"), "--quiet"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("verdict: PASS (seed 7)"), std::string::npos) << r.out;
}

TEST(CliBadInput, EmptyFile) {
  temp_dir dir;
  auto f = write(dir, "empty.yaml", "  # nothing here\n");
  refused(run_cli({"validate", f}), f, "the file is empty");
}

TEST(CliBadInput, BinaryFile) {
  temp_dir dir;
  auto f = write(dir, "blob.yaml", std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10));
  refused(run_cli({"validate", f}), f, "not a text file");
}

TEST(CliBadInput, FiftyMegabyteFile) {
  temp_dir dir;
  auto f = dir.path + "/huge.yaml";
  {
    std::ofstream out{f, std::ios::binary};
    std::string line = "# " + std::string(1022, 'x') + "\n";
    for (int i = 0; i < 50 * 1024; ++i)
      out << line;
  }
  refused(run_cli({"validate", f}), f, "at most 1048576 bytes");
  refused(run_cli({"run", f}), f, "at most 1048576 bytes");
}

TEST(CliBadInput, DeeplyNestedYaml) {
  temp_dir dir;
  auto f = write(dir, "deep.yaml",
                 "topology: " + std::string(100000, '[') + "\n");
  refused(run_cli({"validate", f}), f, "nested deeper");
}

TEST(CliBadInput, HugeNumbers) {
  temp_dir dir;
  auto f = write(dir, "huge.yaml", R"(topology:
  pools: [{fqdn: a.test, users: 123456789012345678901234567890}]
traffic:
  stages: [{calls_per_second: 1e308}]
run: {seed: 99999999999999999999999}
)");
  auto r = run_cli({"validate", f});
  refused(r, f, ":2:33: topology.pools[0].users: must be between 0 and 1000000");
  EXPECT_NE(r.err.find("traffic.stages[0].calls_per_second: must be between"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("run.seed: must be between 0 and"), std::string::npos);
}

TEST(CliBadInput, NegativeDurations) {
  temp_dir dir;
  auto f = write(dir, "neg.yaml", R"(topology: {pools: [{fqdn: a.test, users: 1}]}
traffic: {stages: [{calls_per_second: 1}], ring_timeout: -30s}
run: {duration: -1h}
)");
  auto r = run_cli({"validate", f});
  refused(r, f, ":2:58: traffic.ring_timeout: '-30s': a duration cannot be negative");
  EXPECT_NE(r.err.find(":3:17: run.duration: '-1h': a duration cannot be negative"),
            std::string::npos) << r.err;
}

TEST(CliBadInput, MissingFile) {
  temp_dir dir;
  auto f = dir.path + "/nowhere.yaml";
  refused(run_cli({"validate", f}), f, "cannot read: No such file");
  refused(run_cli({"run", f}), f, "cannot read: No such file");
}

TEST(CliBadInput, Directory) {
  temp_dir dir;
  refused(run_cli({"validate", dir.path}), dir.path, "is a directory");
}

TEST(CliBadInput, YamlSyntaxErrorHasLineAndColumn) {
  temp_dir dir;
  auto f = write(dir, "syntax.yaml", "topology:\n  pools: [a, b\ntraffic: {}\n");
  refused(run_cli({"validate", f}), f, "YAML syntax");
}

TEST(CliBadInput, NoFileGiven) {
  auto r = run_cli({"validate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("usage: calldrill validate FILE"), std::string::npos);
}

TEST(CliValidate, EnterpriseBusinessDayFitsTheFileCaps) {
  // 40 pools of 250,000 users (10 M), 300,000 pickup groups, a business day
  // with two busy hours, random chaos on every pair.
  std::string text = "topology:\n  pools:\n";
  for (int p = 0; p < 40; ++p)
    text += "    - {fqdn: fe" + std::to_string(p) + ".corp.test, backup: fe"
            + std::to_string(p ^ 1) + ".corp.test, users: 250000, capacity: "
              "{users: 500000, registrations_per_second: 4200, "
              "gcp_calls_per_minute: 5000, pickups_per_minute: 2000}}\n";
  text += "  orbit_ranges:\n";
  for (int p = 0; p < 40; ++p) {
    auto start = 10000000 + p * 1000000;
    text += "    - {identity: gcp-" + std::to_string(p) + ", start: \""
            + std::to_string(start) + "\", end: \"" + std::to_string(start + 25010)
            + "\", type: GroupPickup, call_park_service: fe" + std::to_string(p)
            + ".corp.test}\n";
  }
  text += "traffic:\n  stages:\n";
  for (auto bhca : {1350000, 3150000, 4500000, 3150000, 1800000, 2700000,
                    4500000, 3150000, 2250000, 900000})
    text += "    - {duration: 1h, busy_hour_call_attempts: "
            + std::to_string(bhca) + "}\n";
  text += "drill:\n  chaos:\n    outages: 20\n    window: {start: 1h, end: 7h}\n"
          "run:\n  duration: 10h\n";
  temp_dir dir;
  auto f = write(dir, "enterprise-day.yaml", text);
  auto r = run_cli({"validate", "-q", f, "--memory-max", "2G"});
  EXPECT_EQ(r.code, 0) << r.err;
  refused(run_cli({"validate", "-q", f, "--memory-max", "300M"}), f,
          "more than its budget of 300 MiB");
}
