// The command line behaves like the tools people know: value names in help,
// numbers checked like the file's, "did you mean", a library by name, strict
// durations, CALLDRILL_<OPTION> variables beneath the command line, progress
// on stderr only when wanted, human numbers in the terminal and a version.
#include "cli_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

using namespace calldrill::testing;

namespace {

/// Runs calldrill with `var=value` in its environment.
cli_result run_with_env(const char* var, const char* value,
                        const std::vector<std::string>& args) {
  setenv(var, value, 1);
  auto r = run_cli(args);
  unsetenv(var);
  return r;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(CliPolish, HelpNamesTheValuesOptionsTake) {
  auto r = run_cli({"run", "--help"});
  ASSERT_EQ(r.code, 0);
  for (const char* s : {"--seed N", "--speed X", "--duration DURATION",
                        "--metrics-port PORT", "--report FILE",
                        "--pushgateway URL", "CALLDRILL_"})
    EXPECT_TRUE(has(r.out, s)) << s << "\n" << r.out;
  EXPECT_FALSE(has(r.out, " arg ")) << r.out;
}

TEST(CliPolish, NegativeOverflowingAndOutOfRangeNumbersExitTwo) {
  const std::vector<std::vector<std::string>> bad{
    {"run", "--workers", "-1", "--clock", "realtime"},
    {"run", "--workers", "1000"},
    {"run", "--seed", "-1"},
    {"run", "--seed", "18446744073709551616"},
    {"run", "--speed", "inf", "--clock", "realtime"},
    {"run", "--speed", "1e300", "--clock", "realtime"},
    {"run", "--speed", "1e-300", "--clock", "realtime"},
    {"run", "--speed", "nan"},
    {"run", "--users-per-host", "0"},
    {"run", "--metrics-port", "70000"},
    {"run", "--metrics-port", "-1"},
    {"run", "--hold-metrics", "-3"},
    {"run", "--duration", "8d"},
    {"bench", "--sweep", "users=abc"},
    {"bench", "--sweep", "rate=1,x"},
    {"bench", "--users", "4000000000"},
    {"bench", "--workers", "300"},
    {"validate", "x.yaml", "--seed", "-4"},
  };
  for (const auto& args : bad) {
    auto r = run_cli(args);
    std::string line;
    for (const auto& a : args)
      line += a + " ";
    EXPECT_EQ(r.code, 2) << line << "\n" << r.out << r.err;
    EXPECT_FALSE(r.err.empty()) << line;
  }
  auto r = run_cli({"run", "--workers", "1000"});
  EXPECT_TRUE(has(r.err, "0..256")) << r.err; // the file's cap, named
}

TEST(CliPolish, DidYouMeanForOptionsCommandsDefectsAndDrills) {
  auto r = run_cli({"run", "--wrokers", "2"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "did you mean '--workers'?")) << r.err;
  r = run_cli({"runn"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "did you mean 'run'?")) << r.err;
  r = run_cli({"run", "--defect", "pickup-in-resilency"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "did you mean 'pickup-in-resiliency'?")) << r.err;
  r = run_cli({"run", "chaos-pek"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "did you mean 'chaos-peak'?")) << r.err;
}

TEST(CliPolish, DidYouMeanForScenarioKeysAndActions) {
  temp_dir dir;
  auto path = dir.path + "/typo.yaml";
  std::string text = read_file(std::string{CALLDRILL_SOURCE_DIR}
                               + "/scenarios/failover-failback.yaml");
  auto swap = [&](const std::string& from, const std::string& to) {
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  swap("topology:", "topolgy:");
  swap("invoke_failover", "invoke_failovr");
  std::ofstream{path} << text;
  auto r = run_cli({"validate", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "did you mean 'topology'?")) << r.err;
  EXPECT_TRUE(has(r.err, "did you mean 'invoke_failover'?")) << r.err;
}

TEST(CliPolish, ListShowsTheLibraryAndRunPlaysOneByName) {
  auto r = run_cli({"list"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* name : {"chaos-peak", "forgot-redirect", "failover-failback",
                           "storm-small-backup", "default-drill"})
    EXPECT_TRUE(std::regex_search(r.out, std::regex{std::string{"(^|\n)"} + name
                                                    + " +[A-Za-z]"}))
      << name << "\n" << r.out;
  r = run_cli({"run", "failover-failback", "--seed", "3", "-q",
               "--metrics-port", "0"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "verdict: PASS")) << r.out;
}

TEST(CliPolish, DurationGrammarIsStrict) {
  for (const char* d : {"1.5.3m", "5m5m", "30s1h", "5", "1h-5m"}) {
    auto r = run_cli({"run", "--duration", d});
    EXPECT_EQ(r.code, 2) << d << ": " << r.err;
  }
}

TEST(CliPolish, EnvironmentSetsOptionsAndTheCommandLineWins) {
  auto r = run_with_env("CALLDRILL_SEED", "77",
                        {"run", "failover-failback", "-q", "--metrics-port", "0"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("seed: 77\n", 0), 0u) << r.out;
  r = run_with_env("CALLDRILL_SEED", "77",
                   {"run", "failover-failback", "-q", "--metrics-port", "0",
                    "--seed", "5"});
  EXPECT_EQ(r.out.rfind("seed: 5\n", 0), 0u) << r.out;
  r = run_with_env("CALLDRILL_WORKERS", "-1", {"run", "-q"});
  EXPECT_EQ(r.code, 2) << r.err;
  r = run_with_env("CALLDRILL_METRICS_PORT", "0",
                   {"run", "failover-failback", "--seed", "1"});
  EXPECT_FALSE(has(r.out, "metrics: http://")) << r.out; // no endpoint
}

TEST(CliPolish, ProgressGoesToStderrOnlyWhenAsked) {
  // Not a terminal: silent unless --progress.
  auto quiet = run_cli({"run", "failover-failback", "--seed", "2",
                        "--metrics-port", "0"});
  EXPECT_EQ(quiet.code, 0);
  EXPECT_FALSE(has(quiet.err, "progress:")) << quiet.err;
  EXPECT_FALSE(has(quiet.out, "progress:")) << quiet.out;
  auto asked = run_cli({"run", "failover-failback", "--seed", "2",
                        "--metrics-port", "0", "--progress"});
  EXPECT_EQ(asked.code, 0);
  EXPECT_FALSE(has(asked.out, "progress:")) << asked.out;
  EXPECT_TRUE(std::regex_search(
    asked.err, std::regex{"progress: 100% \\| elapsed [0-9.]+ [mu]?s \\| done"}))
    << asked.err;
}

TEST(CliPolish, TerminalNumbersAreHumanAndCsvIntegersExact) {
  auto r = run_cli({"run", "--seed", "4", "--metrics-port", "0"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex{"wall: [^\n]*"})) << r.out;
  EXPECT_TRUE(std::regex_match(
    m.str(), std::regex{"wall: setup [0-9.]+ (us|ms|s), run [0-9.]+ (us|ms|s), "
                        "peak RSS [0-9.]+ [KMG]iB, [0-9,]+ actor messages"}))
    << m.str();
  temp_dir dir;
  auto csv = dir.path + "/b.csv";
  ASSERT_EQ(run_cli({"bench", "-w", "default", "--duration", "20m",
                     "--ping-pong", "20000", "--csv", csv})
              .code,
            0);
  auto text = read_file(csv);
  EXPECT_FALSE(has(text, "e+")) << text;
  EXPECT_FALSE(has(text, "e-")) << text;
}

TEST(CliPolish, VersionComesFromTheProjectVersion) {
  auto cmake = read_file(std::string{CALLDRILL_SOURCE_DIR} + "/CMakeLists.txt");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(cmake, m,
                                std::regex{"project\\(calldrill VERSION ([0-9.]+)"}));
  for (const char* flag : {"--version", "version"}) {
    auto r = run_cli({flag});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.out, "calldrill " + m[1].str() + "\n");
  }
}
