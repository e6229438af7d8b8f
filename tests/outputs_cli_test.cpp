// What `calldrill run` leaves behind, through the CLI: "-" is standard
// output, non-regular targets are never replaced, bad paths stop before the
// run, the report carries version, start, scenario hash and numbers, the
// JUnit file validates against the Surefire schema, the CSV is rectangular.
#include "cli_support.hpp"
#include "json_lite.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fcntl.h>
#include <regex>
#include <sys/stat.h>
#include <thread>

namespace {

using namespace calldrill::testing;
namespace fs = std::filesystem;

const std::string source_dir = CALLDRILL_SOURCE_DIR;
const std::string bin = std::string{CALLDRILL_BINARY_DIR} + "/cli/calldrill";

/// A short run of the default drill, quiet, no endpoint. Its failback never
/// comes, so the verdict may fail; these tests are about what it leaves.
std::vector<std::string> quick(std::vector<std::string> extra) {
  std::vector<std::string> args{"run", "--seed", "3", "-q", "--metrics-port", "0",
                                "--duration", "30m"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// The run went through to a verdict (pass or fail), not a usage error.
bool ran(int code) { return code == 0 || code == 1; }

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator{dir})
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

int shell(const std::string& cmd) {
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Outputs, DashWritesTheReportToStandardOutputAndTheSummaryToStandardError) {
  auto r = run_cli(quick({"--report", "-"}));
  ASSERT_TRUE(ran(r.code)) << r.err;
  json doc;
  ASSERT_NO_THROW(doc = json_reader::parse(r.out)) << r.out.substr(0, 300);
  EXPECT_TRUE(doc.find("checks"));
  EXPECT_NE(r.err.find("verdict: "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists("-"));
}

TEST(Outputs, ReportCarriesVersionStartScenarioHashAndNumbers) {
  temp_dir dir;
  auto path = dir.path + "/r.json";
  ASSERT_EQ(run_cli({"run", "--seed", "3", "-q", "--metrics-port", "0",
                     "--report", path}).code, 0);
  auto doc = json_reader::parse(read_file(path));
  ASSERT_TRUE(doc.find("calldrill_version"));
  EXPECT_TRUE(std::regex_match(doc.find("calldrill_version")->s,
                               std::regex{R"(\d+\.\d+\.\d+)"}));
  ASSERT_TRUE(doc.find("started_at"));
  EXPECT_TRUE(std::regex_match(doc.find("started_at")->s,
                               std::regex{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"}))
    << doc.find("started_at")->s;
  // The built-in drill is the YAML file shipped beside the code.
  temp_dir sums;
  ASSERT_EQ(shell("sha256sum " + source_dir + "/scenarios/default-drill.yaml > "
                  + sums.path + "/sum"), 0);
  ASSERT_TRUE(doc.find("scenario_sha256"));
  EXPECT_EQ(doc.find("scenario_sha256")->s, read_file(sums.path + "/sum").substr(0, 64));
  std::size_t numeric = 0;
  for (const auto& c : doc.find("checks")->items) {
    ASSERT_TRUE(c.find("observed_value")) << "every check has the key";
    ASSERT_TRUE(c.find("threshold"));
    if (c.find("observed_value")->k == json::kind::number
        && c.find("threshold")->k == json::kind::number)
      ++numeric;
  }
  EXPECT_GE(numeric, 12u) << "the table's cells carry numbers";
  auto dropped = [&] {
    for (const auto& c : doc.find("checks")->items)
      if (c.find("id")->s == "established_calls.failover_during")
        return c.find("observed_value")->n;
    return -1.0;
  }();
  EXPECT_EQ(dropped, 0.0);
}

TEST(Outputs, BadTargetsStopBeforeTheRunWithExitTwo) {
  temp_dir dir;
  for (std::string bad : {std::string{""}, dir.path, dir.path + "/missing/r.json",
                          std::string{"/proc/x"}}) {
    auto r = run_cli(quick({"--report", bad}));
    EXPECT_EQ(r.code, 2) << "'" << bad << "': " << r.err;
    EXPECT_EQ(r.out.find("verdict"), std::string::npos)
      << "'" << bad << "' was found out only after the run";
    EXPECT_NE(r.err.find("--report"), std::string::npos) << r.err;
  }
  auto r = run_cli(quick({"--html", dir.path + "/a", "--junit", dir.path + "/a"}));
  EXPECT_EQ(r.code, 2) << "two outputs into one file";
  r = run_cli(quick({"--report", "-", "--junit", "-"}));
  EXPECT_EQ(r.code, 2) << "two outputs on standard output";
  EXPECT_EQ(entries(dir.path), std::vector<std::string>{}) << "probe files left";
}

TEST(Outputs, SymlinkIntoDevIsWrittenInPlaceNeverReplaced) {
  temp_dir dir;
  auto link = dir.path + "/null-link";
  fs::create_symlink("/dev/null", link);
  auto r = run_cli(quick({"--report", link}));
  EXPECT_TRUE(ran(r.code)) << r.err;
  EXPECT_TRUE(fs::is_symlink(link)) << "the link was replaced by a file";
  EXPECT_EQ(fs::read_symlink(link), "/dev/null");
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_EQ(entries(dir.path), std::vector<std::string>{"null-link"});
}

TEST(Outputs, FifoIsWrittenInPlace) {
  temp_dir dir;
  auto fifo = dir.path + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader{[&] { got = read_file(fifo); }}; // until the writer closes
  auto r = run_cli(quick({"--junit", fifo}));
  // Should the run have left the FIFO alone, end the reader's wait ourselves.
  int unblock = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
  if (unblock >= 0)
    close(unblock);
  reader.join();
  EXPECT_TRUE(ran(r.code)) << r.err;
  EXPECT_NE(got.find("<testsuite"), std::string::npos) << got.substr(0, 200);
  EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST(Outputs, RegularFileIsReplacedWholeWithItsModeAndNoTemporaryLeft) {
  temp_dir dir;
  auto path = dir.path + "/r.json";
  { std::ofstream{path} << "old"; }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  struct stat before {};
  stat(path.c_str(), &before);
  ASSERT_TRUE(ran(run_cli(quick({"--report", path})).code));
  struct stat after {};
  stat(path.c_str(), &after);
  EXPECT_NE(before.st_ino, after.st_ino) << "replaced by rename, not rewritten";
  EXPECT_EQ(after.st_mode & 0777, 0600u);
  EXPECT_NO_THROW(json_reader::parse(read_file(path)));
  EXPECT_EQ(entries(dir.path), std::vector<std::string>{"r.json"});
}

TEST(Outputs, SymlinkToARegularFileReplacesItsTargetAndKeepsTheLink) {
  temp_dir dir;
  auto target = dir.path + "/runs-1.xml", link = dir.path + "/latest.xml";
  { std::ofstream{target} << "old"; }
  fs::create_symlink(target, link);
  ASSERT_TRUE(ran(run_cli(quick({"--junit", link})).code));
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_NE(read_file(target).find("<testsuite"), std::string::npos);
  EXPECT_EQ(entries(dir.path), (std::vector<std::string>{"latest.xml", "runs-1.xml"}));
}

TEST(Outputs, FullStandardOutputIsAnError) {
  if (!fs::exists("/dev/full"))
    GTEST_SKIP() << "no /dev/full";
  temp_dir dir;
  auto code = shell(bin + " run --seed 3 --metrics-port 0 --duration 10m "
                    ">/dev/full 2>" + dir.path + "/err </dev/null");
  EXPECT_NE(code, 0);
  EXPECT_NE(read_file(dir.path + "/err").find("cannot write standard output"),
            std::string::npos) << read_file(dir.path + "/err");
}

TEST(Outputs, ShortDurationWarnsAboutActionsThatNeverPlay) {
  auto r = run_cli(quick({}));
  EXPECT_NE(r.err.find("warning: 5 drill actions at or after the end of the "
                       "run (30m) never play, the first at 30m"),
            std::string::npos) << r.err;
  auto full = run_cli({"run", "--seed", "3", "-q", "--metrics-port", "0"});
  EXPECT_EQ(full.err.find("warning"), std::string::npos) << full.err;
}

bool have(const std::string& tool) {
  return shell("command -v " + tool + " >/dev/null 2>&1") == 0;
}

TEST(Outputs, JUnitValidatesAgainstTheSurefireSchemaAndShowsFailures) {
  if (!have("xmllint"))
    GTEST_SKIP() << "xmllint is missing (Debian package libxml2-utils; "
                    "./dev test installs it)";
  temp_dir dir;
  auto xsd = source_dir + "/tests/junit-surefire.xsd";
  auto pass = dir.path + "/pass.xml", fail = dir.path + "/fail.xml";
  ASSERT_EQ(run_cli({"run", "--seed", "3", "-q", "--metrics-port", "0",
                     "--junit", pass}).code, 0);
  ASSERT_EQ(run_cli({"run", "--seed", "3", "-q", "--metrics-port", "0",
                     "--junit", fail, "--defect", "drop-established-on-failover"})
              .code, 1);
  for (const auto& f : {pass, fail})
    EXPECT_EQ(shell("xmllint --noout --schema " + xsd + " " + f + " 2>"
                    + dir.path + "/lint"), 0)
      << read_file(dir.path + "/lint");
  auto p = read_file(pass), f = read_file(fail);
  EXPECT_NE(p.find("failures=\"0\""), std::string::npos);
  EXPECT_EQ(p.find("<failure"), std::string::npos);
  std::regex failing{R"(<testcase name="established_calls.failover_during"[^>]*>\s*<failure )"};
  EXPECT_TRUE(std::regex_search(f, failing)) << f;
  EXPECT_NE(f.find("replay: calldrill run --seed 3 --defect drop-established-on-failover"),
            std::string::npos);
  // A check that saw no traffic is skipped, not passed.
  auto short_run = dir.path + "/short.xml";
  run_cli(quick({"--junit", short_run}));
  EXPECT_NE(read_file(short_run).find("<skipped"), std::string::npos);
  EXPECT_EQ(shell("xmllint --noout --schema " + xsd + " " + short_run), 0);
}

/// CSV fields of one line (RFC 4180 quoting).
std::size_t csv_fields(const std::string& line) {
  std::size_t n = 1;
  bool quoted = false;
  for (char c : line) {
    if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted)
      ++n;
  }
  return n;
}

TEST(Outputs, SeriesCsvHasOneHeaderAndARowPerView) {
  temp_dir dir;
  auto path = dir.path + "/s.csv";
  ASSERT_TRUE(ran(run_cli(quick({"--series", path})).code));
  std::istringstream in{read_file(path)};
  std::string header, line;
  std::getline(in, header);
  ASSERT_EQ(header.rfind("seconds,", 0), 0u) << header.substr(0, 80);
  for (const char* col : {"calldrill_pool_users{", "calldrill_pair_phase_index{",
                          "calldrill_pickup_eligible_attempts_total{",
                          "calldrill_registration_backlog_users{",
                          "calldrill_pickup_queue_length{"})
    EXPECT_NE(header.find(col), std::string::npos) << col;
  std::size_t rows = 0;
  double last = -1;
  while (std::getline(in, line)) {
    ++rows;
    EXPECT_EQ(csv_fields(line), csv_fields(header)) << "row " << rows;
    auto t = std::stod(line.substr(0, line.find(',')));
    EXPECT_GT(t, last);
    last = t;
  }
  EXPECT_EQ(rows, 30u * 60 / 15 + 1) << "a view every 15 simulated seconds";
  EXPECT_EQ(last, 1800.0);
}

TEST(Outputs, BenchCsvTargetIsCheckedBeforeMeasuring) {
  temp_dir dir;
  auto r = run_cli({"bench", "-w", "default", "--csv", dir.path + "/missing/b.csv"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--csv"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("bench: running"), std::string::npos)
    << "found out only after the measurement";
}

TEST(Outputs, SeriesOfOneSeedAreIdenticalButForTheWallClockRatio) {
  temp_dir dir;
  std::string files[2];
  for (int i = 0; i < 2; ++i) {
    auto path = dir.path + "/s" + std::to_string(i) + ".om";
    ASSERT_TRUE(ran(run_cli(quick({"--run-id", "same", "--series", path})).code));
    std::istringstream in{read_file(path)};
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("calldrill_speed_ratio", 0) != 0)
        files[i] += line + "\n";
  }
  EXPECT_GT(files[0].size(), 100000u);
  EXPECT_TRUE(files[0] == files[1]) << "two virtual runs of one seed differ";
}

TEST(Outputs, ReportShowsTheFactsThatBrokeAFailingCheck) {
  temp_dir dir;
  auto path = dir.path + "/r.json";
  ASSERT_EQ(run_cli({"run", "--seed", "3", "-q", "--metrics-port", "0", "--defect",
                     "drop-established-on-failover", "--report", path}).code, 1);
  auto doc = json_reader::parse(read_file(path));
  for (const auto& c : doc.find("checks")->items) {
    ASSERT_TRUE(c.find("evidence")) << c.find("id")->s;
    if (c.find("id")->s == "established_calls.failover_during") {
      EXPECT_EQ(c.find("status")->s, "fail");
      ASSERT_FALSE(c.find("evidence")->items.empty());
      EXPECT_NE(c.find("evidence")->items[0].s.find("dropped_by_pool"),
                std::string::npos) << c.find("evidence")->items[0].s;
    }
  }
}

} // namespace
