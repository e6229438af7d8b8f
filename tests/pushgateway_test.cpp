// calldrill against Debian's prometheus-pushgateway on loopback: two
// concurrent runs push to one gateway behind a path prefix and basic auth
// and keep their own groups (job/run); wrong credentials are a warning, not
// a changed verdict; --push-delete-on-start removes a stale group as the run
// starts.
#include "child_process.hpp"
#include "exposition.hpp"
#include "http_get.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace calldrill {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string calldrill_bin = std::string{CALLDRILL_BINARY_DIR} + "/cli/calldrill";
/// bcrypt of "drill-secret" (cost 4), for the gateway's web config.
const char* secret_hash = "$2b$04$j8I89ymzOGTRhsqDCRotUuH8YSiE80fTh4scEA3CZDLO.GXmLe9pe";
/// "Authorization: Basic base64(drill:drill-secret)".
const char* auth_header = "Authorization: Basic ZHJpbGw6ZHJpbGwtc2VjcmV0\r\n";

std::string slurp(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

struct gateway_fixture {
  fs::path dir;
  std::uint16_t port = testing::free_port();
  std::unique_ptr<testing::child_process> gw;

  gateway_fixture() {
    char tmpl[] = "/tmp/calldrill-pushgateway-XXXXXX";
    dir = mkdtemp(tmpl);
    std::ofstream{dir / "web.yml"} << "basic_auth_users:\n  drill: " << secret_hash
                                   << "\n";
    std::ofstream{dir / "auth"} << "drill:drill-secret\n";
    gw = std::make_unique<testing::child_process>(
      std::vector<std::string>{
        "prometheus-pushgateway",
        "--web.listen-address=127.0.0.1:" + std::to_string(port),
        "--web.route-prefix=/pg", "--web.config.file=" + (dir / "web.yml").string(),
        "--persistence.file=", "--log.level=warn"},
      (dir / "gateway.log").string());
  }
  ~gateway_fixture() {
    gw.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/pg"; }
  std::string metrics() const {
    return testing::http_request(port, "GET", "/pg/metrics", auth_header, "").body;
  }
  bool ready() const {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (testing::http_request(port, "GET", "/pg/-/ready", auth_header, "").status == 200)
        return true;
      std::this_thread::sleep_for(100ms); // polling a server, bounded
    }
    return false;
  }
  std::vector<std::string> run_args(const std::string& run_id, int seed) const {
    return {calldrill_bin, "run", "failover-failback", "--seed", std::to_string(seed),
            "-q", "--metrics-port", "0", "--run-id", run_id, "--pushgateway", url(),
            "--push-auth-file", (dir / "auth").string()};
  }
};

bool have_gateway() {
  return std::system("command -v prometheus-pushgateway >/dev/null 2>&1") == 0;
}

TEST(Pushgateway, ConcurrentRunsBehindPrefixAndAuthKeepTheirOwnGroups) {
  if (!have_gateway())
    GTEST_SKIP() << "prometheus-pushgateway is missing (./dev test unpacks it)";
  gateway_fixture g;
  ASSERT_TRUE(g.ready()) << slurp(g.dir / "gateway.log");
  EXPECT_EQ(testing::http_get(g.port, "/pg/metrics").status, 401)
    << "the gateway must refuse requests without credentials";
  testing::child_process a{g.run_args("push-a", 1), (g.dir / "a.log").string()};
  testing::child_process b{g.run_args("push-b", 2), (g.dir / "b.log").string()};
  EXPECT_EQ(a.wait_for(60s), 0) << slurp(g.dir / "a.log");
  EXPECT_EQ(b.wait_for(60s), 0) << slurp(g.dir / "b.log");
  EXPECT_EQ(slurp(g.dir / "a.log").find("warning"), std::string::npos)
    << slurp(g.dir / "a.log");
  auto text = g.metrics();
  for (const char* run : {"push-a", "push-b"}) {
    EXPECT_EQ(testing::sum_of(text, "calldrill_run_complete",
                              {{"job", "calldrill"}, {"run", run}}), 1) << run;
    EXPECT_GT(testing::sum_of(text, "calldrill_calls_started_total",
                              {{"job", "calldrill"}, {"run", run},
                               {"scenario", "failover-failback"}}), 0) << run;
  }
}

TEST(Pushgateway, WrongCredentialsAreAWarningAndTheVerdictStands) {
  if (!have_gateway())
    GTEST_SKIP() << "prometheus-pushgateway is missing (./dev test unpacks it)";
  gateway_fixture g;
  ASSERT_TRUE(g.ready());
  auto args = g.run_args("push-wrong", 1);
  args.resize(args.size() - 2); // no --push-auth-file: the environment instead
  setenv("CALLDRILL_PUSH_AUTH", "drill:wrong", 1);
  testing::child_process run{args, (g.dir / "run.log").string()};
  auto code = run.wait_for(60s);
  unsetenv("CALLDRILL_PUSH_AUTH");
  EXPECT_EQ(code, 0);
  EXPECT_NE(slurp(g.dir / "run.log").find("HTTP status 401"), std::string::npos)
    << slurp(g.dir / "run.log");
  EXPECT_EQ(testing::sum_of(g.metrics(), "calldrill_run_complete",
                            {{"run", "push-wrong"}}), 0);
}

TEST(Pushgateway, DeleteOnStartRemovesAStaleGroupAsTheRunStarts) {
  if (!have_gateway())
    GTEST_SKIP() << "prometheus-pushgateway is missing (./dev test unpacks it)";
  gateway_fixture g;
  ASSERT_TRUE(g.ready());
  auto put = testing::http_request(
    g.port, "PUT", "/pg/metrics/job/calldrill/run/push-again", auth_header,
    "# TYPE calldrill_stale gauge\ncalldrill_stale 1\n");
  ASSERT_EQ(put.status / 100, 2) << put.body;
  ASSERT_EQ(testing::sum_of(g.metrics(), "calldrill_stale"), 1);
  // A realtime run of a few wall seconds: the stale group must go while it
  // still runs, long before its final push.
  auto args = g.run_args("push-again", 3);
  for (const char* extra : {"--push-delete-on-start", "--clock", "realtime",
                            "--speed", "300", "--duration", "16m"})
    args.emplace_back(extra);
  testing::child_process run{args, (g.dir / "run.log").string()};
  bool gone_while_running = false;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    bool running = run.wait_for(0ms) == -1;
    if (testing::sum_of(g.metrics(), "calldrill_stale") == 0) {
      gone_while_running = running;
      break;
    }
    std::this_thread::sleep_for(50ms); // polling a server, bounded
  }
  EXPECT_TRUE(gone_while_running) << slurp(g.dir / "run.log");
  // The push follows any verdict (a realtime verdict is not this test's:
  // on a busy machine it may be inconclusive, exit 4).
  auto code = run.wait_for(60s);
  EXPECT_TRUE(code == 0 || code == 1 || code == 4) << slurp(g.dir / "run.log");
  auto text = g.metrics();
  EXPECT_EQ(testing::sum_of(text, "calldrill_stale"), 0);
  EXPECT_EQ(testing::sum_of(text, "calldrill_run_complete", {{"run", "push-again"}}), 1);
}

} // namespace
} // namespace calldrill
