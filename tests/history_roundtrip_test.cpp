// A stored history re-checked offline gives the run's verdict: drills of the
// library, the built-in default drill, a workload with a duration override
// and a deliberate defect are played with a history_writer beside the
// checker, then `calldrill check` of the file must print the same checks and
// verdict line and exit with the same code.
#include "cli_support.hpp"
#include "history/history_file.hpp"
#include "oracle/checks.hpp"
#include "oracle/summary.hpp"
#include "scenarios/builtin.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/workloads.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

struct stored_run {
  std::string path;
  check_report report;
  std::uint64_t seed = 0;
};

/// Plays `s` with the history written to DIR/run.history under `meta`.
stored_run play(const temp_dir& dir, scenario s, history_meta meta) {
  s.run.seed = meta.seed;
  s.run.seed_given = true;
  if (meta.duration)
    s.run.duration = *meta.duration;
  for (const auto& d : meta.defects)
    s.defects.add(*parse_defect(d));
  auto scn = std::make_shared<scenario>(std::move(s));
  auto topo = build_topology(*scn).topo;
  stored_run out{dir.path + "/run.history", {}, meta.seed};
  std::string err;
  auto w = history_writer::create(out.path, meta, err);
  EXPECT_TRUE(w) << err;
  auto checked = run_checked(scn, topo, {}, w.get());
  EXPECT_TRUE(checked.disagreements.empty());
  EXPECT_EQ(w->commit(), "");
  out.report = std::move(checked.report);
  return out;
}

stored_run play_file(const temp_dir& dir, const std::string& name,
                     std::uint64_t seed) {
  history_meta m;
  m.scenario_file = std::string{CALLDRILL_SOURCE_DIR} + "/scenarios/" + name + ".yaml";
  m.scenario_yaml = read_file(m.scenario_file);
  auto l = load_scenario_text(m.scenario_yaml, m.scenario_file);
  EXPECT_TRUE(l.ok()) << name;
  m.scenario = l.scn->name;
  m.seed = seed;
  return play(dir, *l.scn, m);
}

/// `calldrill check` prints the seed first, then the table, and ends with
/// exactly the run's checks, verdict and (on failure) replay command.
cli_result same_verdict(const stored_run& run, const std::string& replay = {}) {
  auto r = run_cli({"check", run.path});
  const auto& v = run.report.v;
  EXPECT_EQ(r.code, v.pass() ? 0 : 1) << r.out << r.err;
  auto seed = std::to_string(run.seed);
  EXPECT_EQ(r.out.rfind("seed: " + seed + "\n", 0), 0u) << r.out;
  auto tail = render_checks(v, false) + "verdict: " + (v.pass() ? "PASS" : "FAIL")
              + " (seed " + seed + ")\n";
  if (!v.pass())
    tail += "replay: " + replay + "\n";
  EXPECT_GE(r.out.size(), tail.size());
  EXPECT_EQ(r.out.substr(r.out.size() - std::min(tail.size(), r.out.size())), tail)
    << r.err;
  return r;
}

} // namespace

TEST(HistoryRoundTrip, LibraryDrillsGetTheRunsVerdictOffline) {
  for (const char* name : {"failover-failback", "forgot-redirect", "chaos-peak",
                           "call-park-off-backup"}) {
    SCOPED_TRACE(name);
    temp_dir dir;
    auto path = std::string{CALLDRILL_SOURCE_DIR} + "/scenarios/" + name + ".yaml";
    same_verdict(play_file(dir, name, 1), "calldrill run " + path + " --seed 1");
  }
}

TEST(HistoryRoundTrip, DefaultDrillWithADefectFailsOfflineWithTheReplay) {
  temp_dir dir;
  history_meta m;
  m.scenario = "default-drill";
  m.scenario_yaml = std::string{default_drill_yaml};
  m.seed = 5;
  m.defects = {"drop-established-on-failover"};
  m.replay = "calldrill run --seed 5 --defect drop-established-on-failover";
  auto run = play(dir, default_drill(), m);
  EXPECT_FALSE(run.report.v.pass());
  auto r = same_verdict(run, m.replay);
  EXPECT_NE(r.out.find("FAIL established_calls.failover_during"), std::string::npos)
    << r.out;
}

TEST(HistoryRoundTrip, WorkloadWithADurationOverride) {
  temp_dir dir;
  history_meta m;
  m.source = history_source::workload;
  m.workload = "default";
  m.scenario = "default";
  m.duration = std::chrono::minutes{30};
  m.seed = 3;
  // Cut at 30 minutes the runbook is unfinished: the verdict fails, and the
  // replay is rebuilt from the metadata.
  same_verdict(play(dir, make_workload("default", workload_params{}), m),
               "calldrill run --workload default --seed 3 --duration 30m");
}
