// The Grafana dashboards against calldrill and a real Prometheus: the rules of
// Grafana's dashboard linter, and every query evaluated by Debian's
// prometheus over two concurrent realtime drills, scraped live and pushed to
// a Pushgateway, each run selected by the `run` variable alone. Also the
// CLI's metrics options: a busy port exits 2 naming it.
#include "child_process.hpp"
#include "exposition.hpp"
#include "http_get.hpp"
#include "json_lite.hpp"
#include "metrics/exporter.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
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

/// Values for the dashboard's variables, as Grafana substitutes them.
using variables = std::map<std::string, std::string>;

/// Every variable at "All" (.+), intervals for a 1 s scrape interval.
variables all_runs() {
  return {{"job", ".+"}, {"instance", ".+"}, {"scenario", ".+"}, {"run", ".+"},
          {"pair", ".+"}, {"__rate_interval", "4s"}, {"__interval", "2s"},
          {"__range", "300s"}};
}

std::string substitute(std::string e, const variables& vars) {
  for (const auto& [name, value] : vars) {
    e = std::regex_replace(e, std::regex{"\\$\\{" + name + "\\}"}, value);
    e = std::regex_replace(e, std::regex{"\\$" + name + "\\b"}, value);
  }
  return e;
}

/// The PromQL of every dashboard's panels (`annotations`: of its
/// annotations instead), with the variables substituted.
std::vector<std::string> dashboard_queries(const variables& vars = all_runs(),
                                           const char* part = "panels") {
  std::vector<std::string> out;
  for (const auto& f : dashboard_files()) {
    auto d = testing::json_reader::parse(slurp(f));
    std::vector<std::string> exprs;
    if (const auto* p = d.find(part))
      testing::collect(*p, "expr", exprs);
    for (const auto& e : exprs)
      out.push_back(substitute(e, vars));
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
  check_outcome passed;
  passed.id = "blast_radius";
  passed.status = check_status::pass;
  v.checks.push_back(passed);
  pair_figures figures; // families without a sample are not exposed
  figures.pair = "a/b";
  figures.outage = true;
  figures.rto = 60;
  v.figures.push_back(figures);
  exp.publish_verdict(v);
  auto families = testing::helps(exp.exposition());
  std::regex metric{R"(calldrill_[a-z_]+)"};
  auto queries = dashboard_queries();
  EXPECT_GE(queries.size(), 15u);
  for (const auto& q : dashboard_queries(all_runs(), "annotations"))
    queries.push_back(q);
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

TEST(Dashboard, NamesNoDatasourceButItsVariable) {
  for (const auto& f : dashboard_files()) {
    auto d = testing::json_reader::parse(slurp(f));
    std::set<std::string> uids;
    datasource_uids(d, uids);
    EXPECT_EQ(uids, (std::set<std::string>{"${datasource}"}))
      << f << " hard-codes a datasource";
    // Importable anywhere: the datasource is an input of the import.
    const auto* inputs = d.find("__inputs");
    ASSERT_TRUE(inputs && !inputs->items.empty()) << f;
    EXPECT_EQ(inputs->items[0].find("pluginId")->s, "prometheus");
  }
  // Provisioned Grafana picks the provisioned Prometheus as the default.
  auto provisioned =
    slurp(source_dir + "/grafana/provisioning/datasources/calldrill.yaml");
  EXPECT_NE(provisioned.find("type: prometheus"), std::string::npos);
  EXPECT_NE(provisioned.find("isDefault: true"), std::string::npos);
  auto dashboards =
    slurp(source_dir + "/grafana/provisioning/dashboards/calldrill.yaml");
  EXPECT_NE(dashboards.find("path: $CALLDRILL_DASHBOARDS"), std::string::npos);
}

// -- the rules of Grafana's dashboard linter (grafana/dashboard-linter,
//    lint/rule_*.go), which is not installable here, checked one by one --

const json* variable(const json& d, const std::string& name) {
  for (const auto& v : d.find("templating")->find("list")->items)
    if (v.find("name")->s == name)
      return &v;
  return nullptr;
}

std::string text_of(const json* v) { return v ? v->s : std::string{}; }

/// The PromQL selectors of `expr`: each metric name with its {...} matchers.
std::vector<std::pair<std::string, std::string>> selectors(const std::string& expr) {
  std::vector<std::pair<std::string, std::string>> out;
  std::regex sel{R"((calldrill_[a-z_]+)(\{[^}]*\})?)"};
  for (std::sregex_iterator i{expr.begin(), expr.end(), sel}, end; i != end; ++i)
    out.emplace_back((*i)[1].str(), (*i)[2].str());
  return out;
}

TEST(Dashboard, PassesTheDashboardLinterRules) {
  const std::set<std::string> valid_units{"none", "short", "percent",
    "percentunit", "s", "ms", "bytes", "reqps", "ops", "cps"};
  const std::set<std::string> linted{"stat", "singlestat", "gauge", "graph",
                                     "timeseries", "table"};
  for (const auto& f : dashboard_files()) {
    auto d = testing::json_reader::parse(slurp(f));
    SCOPED_TRACE(f);
    // template-datasource-rule
    const auto* ds = variable(d, "datasource");
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->find("type")->s, "datasource");
    EXPECT_EQ(ds->find("query")->s, "prometheus");
    EXPECT_EQ(ds->find("label")->s, "Data source");
    // template-job-rule, template-instance-rule, and the run variables
    for (const char* name : {"job", "instance", "scenario", "run", "pair"}) {
      const auto* v = variable(d, name);
      ASSERT_TRUE(v) << "no variable " << name;
      EXPECT_EQ(v->find("type")->s, "query") << name;
      EXPECT_EQ(v->find("datasource")->find("uid")->s, "${datasource}") << name;
      std::string label = name;
      label[0] = static_cast<char>(std::toupper(label[0]));
      EXPECT_EQ(v->find("label")->s, label) << name;
      EXPECT_TRUE(v->find("multi")->b) << name;
      EXPECT_EQ(v->find("allValue")->s, ".+") << name;
      // template-on-time-change-reload-rule, template-label-promql-rule
      EXPECT_EQ(v->find("refresh")->n, 2) << name;
      EXPECT_TRUE(std::regex_match(text_of(v->find("query")),
                                   std::regex{R"((label_names|label_values|metrics|query_result)\((.+)\))"}))
        << name;
    }
    // uneditable-dashboard
    EXPECT_FALSE(d.find("editable")->b);
    for (const auto& p : d.find("panels")->items) {
      auto type = p.find("type")->s;
      auto title = text_of(p.find("title"));
      SCOPED_TRACE(title);
      // panel-title-description-rule
      EXPECT_FALSE(title.empty());
      EXPECT_FALSE(text_of(p.find("description")).empty());
      // panel-datasource-rule
      EXPECT_EQ(p.find("datasource")->find("uid")->s, "${datasource}");
      // panel-no-targets-rule
      ASSERT_TRUE(p.find("targets") && !p.find("targets")->items.empty());
      // panel-units-rule (value mappings excuse a panel)
      const auto* defaults = p.find("fieldConfig")->find("defaults");
      if (linted.count(type) && !defaults->find("mappings")) {
        EXPECT_TRUE(valid_units.count(text_of(defaults->find("unit"))))
          << "unit '" << text_of(defaults->find("unit")) << "'";
      }
      for (const auto& t : p.find("targets")->items) {
        auto expr = t.find("expr")->s;
        // target-rate-interval-rule
        std::regex rate_range{R"(\b(i?rate)\([^\[]*\[([^\]]*)\])"};
        for (std::sregex_iterator i{expr.begin(), expr.end(), rate_range}, end;
             i != end; ++i)
          EXPECT_EQ((*i)[2].str(), "$__rate_interval") << expr;
        for (const auto& [metric, matchers] : selectors(expr)) {
          // target-job-rule, target-instance-rule, and ours: every series
          // is selected by scenario and run
          for (const char* var : {"job", "instance", "scenario", "run"})
            EXPECT_NE(matchers.find(std::string{var} + "=~\"$" + var + "\""),
                      std::string::npos) << metric << " lacks $" << var
                                          << " in " << expr;
          // target-counter-agg-rule: counters only under rate, irate or
          // increase, over a range
          if (metric.size() > 6 && metric.compare(metric.size() - 6, 6, "_total") == 0) {
            EXPECT_TRUE(std::regex_search(
              expr, std::regex{"\\b(rate|irate|increase)\\(" + metric + "\\{[^}]*\\}\\["}))
              << metric << " is not under rate/irate/increase in " << expr;
          }
        }
      }
    }
  }
}

TEST(Dashboard, ChecksHaveThresholdsAndRatesArePerSimulatedSecond) {
  for (const auto& f : dashboard_files()) {
    auto d = testing::json_reader::parse(slurp(f));
    for (const auto& p : d.find("panels")->items) {
      auto title = p.find("title")->s;
      const auto* defaults = p.find("fieldConfig")->find("defaults");
      if (title == "Pickup success ratio") {
        ASSERT_TRUE(defaults->find("thresholds")) << title;
        const auto& steps = defaults->find("thresholds")->find("steps")->items;
        EXPECT_EQ(steps.back().find("value")->n, 0.99) << title;
      }
      if (title == "Established calls dropped") {
        EXPECT_EQ(defaults->find("thresholds")->find("steps")->items.back()
                    .find("value")->n, 1);
      }
      if (title == "Checks by status" || title == "Check status") {
        EXPECT_NE(slurp(f).find("\"red\""), std::string::npos);
      }
      // Every rate of a count is divided by the rate of simulated time.
      for (const auto& t : p.find("targets")->items) {
        auto expr = t.find("expr")->s;
        bool rate_of_count = std::regex_search(
          expr, std::regex{R"(rate\(calldrill_[a-z_]+_total\{)"});
        bool ratio = title == "Pickup success ratio";
        if (rate_of_count && !ratio) {
          EXPECT_NE(expr.find("rate(calldrill_simulated_seconds_total"),
                    std::string::npos) << title << ": " << expr;
        }
      }
    }
    // Annotations name the pool and pair of every action, and each pair
    // transition.
    std::vector<std::string> formats;
    testing::collect(*d.find("annotations"), "textFormat", formats);
    std::size_t naming = 0;
    for (const auto& t : formats)
      naming += t.find("{{pool}}") != std::string::npos
                && t.find("{{pair}}") != std::string::npos;
    EXPECT_EQ(naming, 2u) << "chaos and operator annotations name pool and pair";
    EXPECT_NE(slurp(f).find("pair {{pair}} entered {{phase}}"), std::string::npos);
  }
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

/// grafana/prometheus.yml with its targets moved to the test's ports.
std::string config_for(const std::vector<std::uint16_t>& metrics_ports,
                       std::uint16_t gateway_port) {
  auto text = slurp(source_dir + "/grafana/prometheus.yml");
  auto at = text.find("[\"127.0.0.1:9464\"]");
  auto gw = text.find("[\"127.0.0.1:9091\"]");
  if (at == std::string::npos || gw == std::string::npos)
    return {};
  std::string gw_target = "[\"127.0.0.1:" + std::to_string(gateway_port) + "\"]";
  text.replace(gw, 18, gw_target);
  std::string targets = "[";
  for (auto p : metrics_ports)
    targets += std::string{targets.size() > 1 ? ", " : ""} + "\"127.0.0.1:"
               + std::to_string(p) + "\"";
  return text.replace(at, 18, targets + "]");
}

/// The `run` label of every series of an answer ("" for a series without).
std::set<std::string> runs_in(const answer& a) {
  std::set<std::string> out;
  auto data = a.body.find("data");
  auto result = data ? data->find("result") : nullptr;
  if (!result)
    return out;
  for (const auto& series : result->items) {
    auto metric = series.find("metric");
    auto run = metric ? metric->find("run") : nullptr;
    out.insert(run ? run->s : "");
  }
  return out;
}

TEST(Dashboard, TwoRunsInOnePrometheusAreToldApartByEveryQuery) {
  if (!have("prometheus") || !have("prometheus-pushgateway"))
    GTEST_SKIP() << "prometheus or prometheus-pushgateway is missing (./dev "
                    "test unpacks them into build/tools)";
  auto t0 = std::chrono::steady_clock::now();
  temp_dir dir;
  auto prom_port = testing::free_port();
  auto gw_port = testing::free_port();
  std::vector<std::uint16_t> metrics_ports{testing::free_port(),
                                           testing::free_port()};
  ASSERT_EQ((std::set<std::uint16_t>{prom_port, gw_port, metrics_ports[0],
                                     metrics_ports[1]}).size(), 4u);
  auto config = config_for(metrics_ports, gw_port);
  ASSERT_FALSE(config.empty()) << "grafana/prometheus.yml lost its targets";
  std::ofstream{dir.path / "prometheus.yml"} << config;
  auto log_of = [&](const char* name) { return slurp((dir.path / name).string()); };
  testing::child_process gateway{
    {"prometheus-pushgateway",
     "--web.listen-address=127.0.0.1:" + std::to_string(gw_port),
     "--persistence.file=", "--log.level=warn"},
    (dir.path / "pushgateway.log").string()};
  auto start = unix_now() - 1;
  testing::child_process prom{
    {"prometheus", "--config.file=" + (dir.path / "prometheus.yml").string(),
     "--storage.tsdb.path=" + (dir.path / "data").string(),
     "--web.listen-address=127.0.0.1:" + std::to_string(prom_port),
     "--log.level=warn"},
    (dir.path / "prometheus.log").string()};
  ASSERT_TRUE(wait_for_series(prom_port, "vector(1)", 30s))
    << "prometheus did not answer:\n" << log_of("prometheus.log");
  // Prometheus applies scrape targets a few seconds after it starts: wait
  // until it has tried both (still closed) endpoints, so the scrapes cover
  // the drills from their first second.
  ASSERT_TRUE(wait_for_series(prom_port, "count(up{job=\"calldrill\"}) == 2", 30s))
    << "prometheus never tried the calldrill targets:\n" << log_of("prometheus.log");

  const std::vector<std::string> runs{"drill-a", "drill-b"};
  std::vector<std::unique_ptr<testing::child_process>> drills;
  for (std::size_t i = 0; i < runs.size(); ++i)
    drills.push_back(std::make_unique<testing::child_process>(
      std::vector<std::string>{
        calldrill_bin, "run", "--seed", std::to_string(5 + i), "--clock",
        "realtime", "--speed", "600", "--duration", "70m", "--metrics-port",
        std::to_string(metrics_ports[i]), "--hold-metrics", "4", "--quiet",
        "--run-id", runs[i], "--pushgateway",
        "http://127.0.0.1:" + std::to_string(gw_port)},
      (dir.path / ("calldrill-" + runs[i] + ".log")).string()));
  for (const auto& r : runs) {
    EXPECT_TRUE(wait_for_series(
      prom_port, "max_over_time(calldrill_run_complete{run=\"" + r
                   + "\", instance!=\"pushgateway\"}[10m]) == 1", 60s))
      << r << ": the final values were never scraped\n"
      << log_of(("calldrill-" + r + ".log").c_str());
    EXPECT_TRUE(wait_for_series(
      prom_port, "calldrill_check_status{run=\"" + r + "\", instance=\"pushgateway\"}", 30s))
      << r << ": the pushed values never reached Prometheus\n"
      << log_of("pushgateway.log");
    // A few scrapes of the pushed values, so rates over them exist (as 0).
    EXPECT_TRUE(wait_for_series(
      prom_port, "count_over_time(calldrill_run_complete{run=\"" + r
                   + "\", instance=\"pushgateway\"}[1m]) >= 5", 30s));
  }
  for (auto& d : drills) {
    auto code = d->wait_for(30s);
    // Any verdict: a realtime run on a busy machine may be inconclusive (4).
    EXPECT_TRUE(code == 0 || code == 1 || code == 4) << "calldrill exited " << code;
  }
  auto end = unix_now() + 1;
  // The gateway holds both runs' groups: neither clobbered the other.
  auto pushed = testing::http_get(gw_port, "/metrics").body;
  for (const auto& r : runs)
    EXPECT_EQ(testing::sum_of(pushed, "calldrill_run_complete",
                              {{"job", "calldrill"}, {"run", r}}), 1) << r;

  auto range = [&](const std::string& q) {
    std::ostringstream path;
    path.precision(15);
    path << "/api/v1/query_range?query=" << testing::url_encode(q)
         << "&start=" << start << "&end=" << end << "&step=1";
    return path.str();
  };
  std::size_t checked = 0;
  for (const auto& r : runs) {
    auto vars = all_runs();
    vars["job"] = "calldrill";
    vars["run"] = r;
    vars["__range"] = std::to_string(static_cast<int>(end - start)) + "s";
    // Scraped live: every panel and annotation; pushed (instance
    // "pushgateway"): every panel, from the final values alone.
    for (const char* instance : {".+", "pushgateway"})
      for (const char* part : {"panels", "annotations"}) {
        if (std::string{instance} == "pushgateway" && std::string{part} == "annotations")
          continue; // a push carries final values, no timeline to annotate
        vars["instance"] = instance;
        for (const auto& q : dashboard_queries(vars, part)) {
          auto a = ask(prom_port, range(q));
          EXPECT_EQ(a.error, "") << q;
          EXPECT_GT(series_in(a), 0u) << "no series for " << q;
          EXPECT_EQ(runs_in(a), std::set<std::string>{r})
            << "$run=" << r << " selected other runs: " << q;
          ++checked;
        }
      }
  }
  auto listed = ask(prom_port, "/api/v1/label/run/values");
  std::set<std::string> values;
  for (const auto& v : listed.body.find("data")->items)
    values.insert(v.s);
  EXPECT_EQ(values, (std::set<std::string>{runs.begin(), runs.end()}));
  prom.stop();
  gateway.stop();
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0);
  std::cout << "two runs in one Prometheus: " << checked
            << " queries checked, " << wall.count() << " s wall\n";
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
