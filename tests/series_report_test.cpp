// The series and the HTML report against real tools: a virtual default drill
// written with --series x.om is loaded by promtool into a Prometheus started
// here on loopback, and every query of the shipped dashboards answers with
// data over the drill's simulated 80 minutes; the HTML report renders in
// headless Chromium with no console message and every chart drawn.
#include "child_process.hpp"
#include "cli_support.hpp"
#include "http_get.hpp"
#include "json_lite.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

namespace {

using namespace calldrill::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string source_dir = CALLDRILL_SOURCE_DIR;
constexpr long long epoch = 946684800; // simulated time 0 in the .om file

int shell(const std::string& cmd) {
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool have(const std::string& tool) {
  return shell("command -v " + tool + " >/dev/null 2>&1") == 0;
}

/// Every PromQL expression of the shipped dashboards, with Grafana's interval
/// variables set as Grafana would for a 15 s sample interval.
std::vector<std::string> dashboard_queries() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator{source_dir + "/grafana/dashboards"}) {
    if (e.path().extension() != ".json")
      continue;
    std::vector<std::string> exprs;
    collect(json_reader::parse(read_file(e.path().string())), "expr", exprs);
    for (auto x : exprs) {
      for (const char* all : {"job", "instance", "scenario", "run", "pair"})
        x = std::regex_replace(x, std::regex{"\\$" + std::string{all} + "\\b"}, ".+");
      x = std::regex_replace(x, std::regex{R"(\$__rate_interval)"}, "1m");
      x = std::regex_replace(x, std::regex{R"(\$__interval)"}, "30s");
      x = std::regex_replace(x, std::regex{R"(\$__range)"}, "80m");
      EXPECT_EQ(x.find('$'), std::string::npos) << "unknown variable in " << x;
      out.push_back(x);
    }
  }
  return out;
}

/// Points in a query_range answer, over all its series.
std::size_t points_in(const json& answer) {
  std::size_t n = 0;
  if (auto data = answer.find("data"))
    if (auto result = data->find("result"))
      for (const auto& s : result->items)
        if (auto values = s.find("values"))
          n += values->items.size();
  return n;
}

TEST(Series, VirtualDrillLoadedByPromtoolAnswersEveryDashboardQuery) {
  if (!have("promtool") || !have("prometheus"))
    GTEST_SKIP() << "promtool/prometheus missing (Debian package prometheus; "
                    "./dev test installs it)";
  temp_dir dir;
  auto om = dir.path + "/drill.om";
  auto r = run_cli({"run", "--seed", "6", "-q", "--metrics-port", "0",
                    "--series", om});
  ASSERT_EQ(r.code, 0) << r.err;
  auto tail = read_file(om);
  ASSERT_GE(tail.size(), 6u);
  EXPECT_EQ(tail.substr(tail.size() - 6), "# EOF\n");
  ASSERT_EQ(shell("promtool tsdb create-blocks-from openmetrics " + om + " "
                  + dir.path + "/data >" + dir.path + "/promtool.log 2>&1"), 0)
    << read_file(dir.path + "/promtool.log");

  auto port = free_port();
  { std::ofstream{dir.path + "/prometheus.yml"} << "global: {}\n"; }
  child_process prom{
    {"prometheus", "--config.file=" + dir.path + "/prometheus.yml",
     "--storage.tsdb.path=" + dir.path + "/data",
     "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"},
    dir.path + "/prometheus.log"};
  auto ask = [&](const std::string& q) {
    std::ostringstream path;
    path << "/api/v1/query_range?query=" << url_encode(q) << "&start=" << epoch
         << "&end=" << epoch + 80 * 60 << "&step=30";
    auto reply = http_get(port, path.str(), 10s);
    return reply.status == 200 ? json_reader::parse(reply.body) : json{};
  };
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (points_in(ask("calldrill_simulated_time_seconds")) == 0
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(200ms); // polling a server, bounded
  ASSERT_GT(points_in(ask("calldrill_simulated_time_seconds")), 100u)
    << read_file(dir.path + "/prometheus.log");

  auto queries = dashboard_queries();
  ASSERT_GE(queries.size(), 15u);
  for (const auto& q : queries)
    EXPECT_GT(points_in(ask(q)), 0u) << "no data for " << q;
  // The drill's shape is there: fe-a is down from 10m to 45m.
  auto down = ask("calldrill_pool_up{pool=\"fe-a.calldrill.test\"} == 0");
  auto data = down.find("data")->find("result");
  ASSERT_EQ(data->items.size(), 1u);
  auto first = data->items[0].find("values")->items.front().items[0].n;
  EXPECT_EQ(first - epoch, 10 * 60) << "the outage plays at 10m, before that "
                                       "instant's view";
}

TEST(HtmlReport, RendersInHeadlessChromiumWithEveryChartDrawn) {
  if (!have("chromium"))
    GTEST_SKIP() << "chromium missing (Debian package chromium; ./dev test "
                    "installs it)";
  temp_dir dir;
  auto html = dir.path + "/report.html";
  auto r = run_cli({"run", "--seed", "6", "-q", "--metrics-port", "0",
                    "--html", html});
  ASSERT_EQ(r.code, 0) << r.err;
  auto page = read_file(html);
  EXPECT_LT(page.size(), 2u * 1024 * 1024);
  for (const char* remote : {"http://", "https://", "src=\"//"})
    for (std::size_t at = page.find(remote); at != std::string::npos;
         at = page.find(remote, at + 1))
      EXPECT_EQ(page.compare(at, 26, "http://www.w3.org/2000/svg"), 0)
        << "the page fetches " << page.substr(at, 60);
  std::regex chart{"<svg class=\"chart\""};
  auto charts = std::size_t(std::distance(
    std::sregex_iterator{page.begin(), page.end(), chart}, std::sregex_iterator{}));
  EXPECT_GE(charts, 7u);

  std::string flags = " --headless --no-sandbox --disable-gpu --disable-quic "
                      "--no-first-run --disable-background-networking "
                      "--disable-component-update --disable-sync "
                      "--enable-logging=stderr --v=0 --user-data-dir=";
  auto chromium = "timeout 120 chromium" + flags;
  ASSERT_EQ(shell(chromium + dir.path + "/profile1 --dump-dom file://" + html + " >"
                  + dir.path + "/dom.html 2>" + dir.path + "/console.log"), 0)
    << read_file(dir.path + "/console.log");
  auto dom = read_file(dir.path + "/dom.html");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dom, m, std::regex{R"re(data-charts-drawn="(\d+)")re"}))
    << "the page's load handler never ran";
  EXPECT_EQ(std::stoul(m[1]), charts) << "charts without a drawn line";
  std::regex drawn{R"re(data-drawn="(\d+)")re"};
  for (std::sregex_iterator i{dom.begin(), dom.end(), drawn}, end; i != end; ++i)
    EXPECT_GT(std::stoul((*i)[1]), 50u) << "a chart drew almost nothing";
  auto console = read_file(dir.path + "/console.log");
  EXPECT_EQ(console.find("CONSOLE"), std::string::npos) << console;

  auto png = dir.path + "/report.png";
  ASSERT_EQ(shell(chromium + dir.path + "/profile2 --hide-scrollbars "
                  "--window-size=1280,1600 --screenshot=" + png + " file://" + html
                  + " >/dev/null 2>&1"), 0);
  auto shot = read_file(png);
  ASSERT_GT(shot.size(), 20000u) << "an empty screenshot";
  EXPECT_EQ(shot.compare(1, 3, "PNG"), 0);
}

} // namespace
