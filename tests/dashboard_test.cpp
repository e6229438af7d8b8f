// The Grafana dashboards against calldrill and a real Prometheus: every query
// in the dashboard JSON is evaluated by the Debian prometheus server over a
// scraped realtime drill and must answer with series. Also the CLI's
// metrics options: a busy port exits 2 naming it, hold keeps final values.
#include "child_process.hpp"
#include "exposition.hpp"
#include "http_get.hpp"
#include "json_lite.hpp"
#include "metrics/exporter.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

namespace calldrill {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::json;

const std::string source_dir = CALLDRILL_SOURCE_DIR;
const std::string calldrill_bin = std::string{CALLDRILL_BINARY_DIR} + "/cli/calldrill";

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

std::vector<std::string> dashboard_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator{source_dir + "/grafana/dashboards"})
    if (e.path().extension() == ".json")
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

/// Every PromQL expression of every dashboard, with Grafana's interval
/// variables replaced as Grafana would for a 1 s scrape interval.
std::vector<std::string> dashboard_queries() {
  std::vector<std::string> out;
  for (const auto& f : dashboard_files()) {
    std::vector<std::string> exprs;
    testing::collect(testing::json_reader::parse(slurp(f)), "expr", exprs);
    for (auto e : exprs) {
      e = std::regex_replace(e, std::regex{R"(\$__rate_interval)"}, "4s");
      e = std::regex_replace(e, std::regex{R"(\$__interval)"}, "2s");
      out.push_back(e);
    }
  }
  return out;
}

struct temp_dir {
  fs::path path;
  temp_dir() {
    char tmpl[] = "/tmp/calldrill-dashboard-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

bool have(const char* tool) {
  return std::system(("command -v " + std::string{tool} + " >/dev/null 2>&1").c_str()) == 0;
}

TEST(Dashboard, IsValidJsonAndQueriesOnlyExportedMetrics) {
  auto files = dashboard_files();
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    json d;
    ASSERT_NO_THROW(d = testing::json_reader::parse(slurp(f))) << f;
    ASSERT_TRUE(d.find("panels")) << f;
    EXPECT_TRUE(d.find("uid")) << f;
  }
  auto scn = testing::small_drill();
  auto topo = build_topology(scn).topo;
  exporter exp{*topo, scn, {}};
  verdict v;
  v.checks.push_back({"blast_radius", "", check_status::pass, "", "", ""});
  exp.publish_verdict(v);
  auto families = testing::helps(exp.exposition());
  std::regex metric{R"(calldrill_[a-z_]+)"};
  auto queries = dashboard_queries();
  EXPECT_GE(queries.size(), 15u);
  for (const auto& q : queries) {
    EXPECT_EQ(q.find('$'), std::string::npos) << "unknown variable in " << q;
    for (std::sregex_iterator i{q.begin(), q.end(), metric}, end; i != end; ++i) {
      auto name = i->str();
      for (const char* suffix : {"_bucket", "_count", "_sum"}) {
        auto s = std::string{suffix};
        if (name.size() > s.size()
            && name.compare(name.size() - s.size(), s.size(), s) == 0
            && families.count(name.substr(0, name.size() - s.size())))
          name.resize(name.size() - s.size());
      }
      EXPECT_TRUE(families.count(name)) << name << " in " << q
                                        << " is not a metric calldrill exports";
    }
  }
}

/// The datasource uids a dashboard names, Grafana's own excepted.
void datasource_uids(const json& v, std::set<std::string>& out) {
  for (const auto& [k, m] : v.members) {
    if (k == "datasource" && m.k == json::kind::object) {
      auto uid = m.find("uid");
      auto type = m.find("type");
      if (uid && !(type && type->s == "grafana"))
        out.insert(uid->s);
    }
    datasource_uids(m, out);
  }
  for (const auto& i : v.items)
    datasource_uids(i, out);
}

TEST(Dashboard, UsesTheProvisionedDatasource) {
  auto provisioned =
    slurp(source_dir + "/grafana/provisioning/datasources/calldrill.yaml");
  for (const auto& f : dashboard_files()) {
    std::set<std::string> uids;
    datasource_uids(testing::json_reader::parse(slurp(f)), uids);
    ASSERT_FALSE(uids.empty()) << f;
    for (const auto& uid : uids)
      EXPECT_NE(provisioned.find("uid: " + uid + "\n"), std::string::npos)
        << f << " names datasource " << uid << ", which is not provisioned";
  }
  auto dashboards =
    slurp(source_dir + "/grafana/provisioning/dashboards/calldrill.yaml");
  EXPECT_NE(dashboards.find("path: $CALLDRILL_DASHBOARDS"), std::string::npos);
}

/// Prometheus's answer to a query: the JSON, or why there is none.
struct answer {
  json body;
  std::string error;
};

answer ask(std::uint16_t port, const std::string& path) {
  auto r = testing::http_get(port, path, 10s);
  answer a;
  if (r.status == 0) {
    a.error = "no answer";
    return a;
  }
  try {
    a.body = testing::json_reader::parse(r.body);
  } catch (const std::exception& e) {
    a.error = e.what();
    return a;
  }
  auto status = a.body.find("status");
  if (!status || status->s != "success") {
    auto err = a.body.find("error");
    a.error = "HTTP " + std::to_string(r.status) + ": " + (err ? err->s : r.body);
  }
  return a;
}

std::size_t series_in(const answer& a) {
  auto data = a.body.find("data");
  auto result = data ? data->find("result") : nullptr;
  return result ? result->items.size() : 0;
}

double unix_now() {
  return std::chrono::duration<double>(
           std::chrono::system_clock::now().time_since_epoch()).count();
}

/// Polls `query` until it has a series or `limit` passes.
bool wait_for_series(std::uint16_t port, const std::string& query,
                     std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto a = ask(port, "/api/v1/query?query=" + testing::url_encode(query));
    if (a.error.empty() && series_in(a) > 0)
      return true;
    std::this_thread::sleep_for(200ms); // polling a server, bounded
  }
  return false;
}

std::string config_for(std::uint16_t metrics_port) {
  auto text = slurp(source_dir + "/grafana/prometheus.yml");
  auto at = text.find("127.0.0.1:9464");
  if (at == std::string::npos)
    return {};
  return text.replace(at, 14, "127.0.0.1:" + std::to_string(metrics_port));
}

TEST(Dashboard, EveryQueryAnswersWithSeriesInARealPrometheus) {
  if (!have("prometheus"))
    GTEST_SKIP() << "the prometheus binary is missing (Debian package "
                    "prometheus; ./dev test installs it)";
  auto t0 = std::chrono::steady_clock::now();
  temp_dir dir;
  auto prom_port = testing::free_port();
  auto metrics_port = testing::free_port();
  ASSERT_NE(prom_port, metrics_port);
  auto config = config_for(metrics_port);
  ASSERT_FALSE(config.empty()) << "grafana/prometheus.yml lost its target";
  std::ofstream{dir.path / "prometheus.yml"} << config;
  auto start = unix_now() - 1;
  testing::child_process prom{
    {"prometheus", "--config.file=" + (dir.path / "prometheus.yml").string(),
     "--storage.tsdb.path=" + (dir.path / "data").string(),
     "--web.listen-address=127.0.0.1:" + std::to_string(prom_port),
     "--log.level=warn"},
    (dir.path / "prometheus.log").string()};
  auto prom_log = [&] { return slurp((dir.path / "prometheus.log").string()); };
  ASSERT_TRUE(wait_for_series(prom_port, "vector(1)", 30s))
    << "prometheus did not answer:\n" << prom_log();
  // Prometheus applies scrape targets a few seconds after it starts: wait
  // until it has tried the (still closed) endpoint once, so the scrapes
  // cover the drill from its first second.
  ASSERT_TRUE(wait_for_series(prom_port, "up{job=\"calldrill\"}", 30s))
    << "prometheus never tried the calldrill target:\n" << prom_log();

  testing::child_process drill{
    {calldrill_bin, "run", "--seed", "5", "--clock", "realtime", "--speed",
     "600", "--duration", "70m", "--metrics-port", std::to_string(metrics_port),
     "--hold-metrics", "4", "--quiet"},
    (dir.path / "calldrill.log").string()};
  auto drill_log = [&] { return slurp((dir.path / "calldrill.log").string()); };
  EXPECT_TRUE(wait_for_series(prom_port, "calldrill_run_complete == 1", 60s))
    << "the final values were never scraped\n" << drill_log();
  EXPECT_TRUE(wait_for_series(prom_port, "calldrill_check_status", 10s))
    << "the verdict was never scraped\n" << drill_log();
  auto end = unix_now() + 1;

  auto queries = dashboard_queries();
  ASSERT_FALSE(queries.empty());
  auto range = [&](const std::string& q) {
    std::ostringstream path;
    path.precision(15);
    path << "/api/v1/query_range?query=" << testing::url_encode(q)
         << "&start=" << start << "&end=" << end << "&step=1";
    return path.str();
  };
  for (const auto& q : queries) {
    auto a = ask(prom_port, range(q));
    EXPECT_EQ(a.error, "") << q;
    EXPECT_GT(series_in(a), 0u)
      << "no series for " << q << "\nthe drill's actions as scraped: "
      << testing::http_get(prom_port, range("calldrill_drill_actions_total")).body;
  }
  auto code = drill.wait_for(30s);
  EXPECT_TRUE(code == 0 || code == 1) << "calldrill exited " << code << "\n"
                                      << drill_log();
  prom.stop();
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0);
  std::cout << "real-Prometheus dashboard test: " << queries.size()
            << " queries, " << wall.count() << " s wall\n";
}

TEST(MetricsCli, BusyPortExitsTwoNamingThePort) {
  testing::busy_port busy;
  ASSERT_NE(busy.port, 0);
  auto port = std::to_string(busy.port);
  temp_dir dir;
  auto log = (dir.path / "out").string();
  testing::child_process run{
    {calldrill_bin, "run", "--duration", "1m", "--metrics-port", port}, log};
  EXPECT_EQ(run.wait_for(60s), 2);
  EXPECT_NE(slurp(log).find("port " + port + " is already in use"),
            std::string::npos) << slurp(log);
}

TEST(MetricsCli, BadMetricsOptionsAreUsageErrors) {
  temp_dir dir;
  // The option the message must name comes first.
  for (std::vector<std::string> bad :
       {std::vector<std::string>{"--metrics-port", "70000"},
        {"--pushgateway", "127.0.0.1:9091"},
        {"--hold-metrics", "3", "--metrics-port", "0"},
        {"--hold-metrics", "-1"}}) {
    auto log = (dir.path / "out").string();
    std::vector<std::string> argv{calldrill_bin, "run", "--duration", "1m"};
    argv.insert(argv.end(), bad.begin(), bad.end());
    testing::child_process run{argv, log};
    EXPECT_EQ(run.wait_for(60s), 2) << bad[0] << " " << bad[1];
    EXPECT_NE(slurp(log).find(bad[0] + ":"), std::string::npos) << slurp(log);
    fs::remove(log);
  }
}

} // namespace
} // namespace calldrill
