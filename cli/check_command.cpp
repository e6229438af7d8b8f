// `calldrill check FILE`: re-checks a stored history offline. Reads the
// file's metadata, rebuilds the run's scenario and topology, streams the
// facts through the checker and prints its table, checks and verdict as
// `run` does.
#include "checker/checker.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/parse_args.hpp"
#include "history/fact_bounds.hpp"
#include "history/history_file.hpp"
#include "model/chaos.hpp"
#include "model/duration_text.hpp"
#include "oracle/summary.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/workloads.hpp"

#include <boost/program_options.hpp>

#include <iostream>
#include <sstream>
#include <unistd.h>

namespace po = boost::program_options;

namespace calldrill {

namespace {

/// The run's scenario as the history's metadata describes it, or nullopt
/// after printing why (diagnostics of the stored YAML included).
std::optional<scenario> rebuild(const std::string& file, const history_meta& m) {
  std::optional<scenario> s;
  if (m.source == history_source::yaml) {
    auto name = m.scenario_file.empty() ? "default-drill.yaml" : m.scenario_file;
    auto loaded = load_scenario_text(m.scenario_yaml, name);
    if (!loaded.ok()) {
      for (const auto& d : loaded.diagnostics)
        std::cerr << format(d) << "\n";
      std::cerr << "calldrill check: " << file
                << ": the scenario stored in the history does not load\n";
      return std::nullopt;
    }
    s = std::move(*loaded.scn);
    s->source = m.scenario_file.empty() ? "built-in" : m.scenario_file;
  } else {
    try {
      s = make_workload(m.workload, workload_params{});
    } catch (const std::invalid_argument& e) {
      std::cerr << "calldrill check: " << file << ": workload: " << e.what() << "\n";
      return std::nullopt;
    }
  }
  if (m.duration)
    s->run.duration = *m.duration;
  s->run.seed = m.seed;
  s->run.seed_given = true;
  s->run.clock = m.clock == "realtime" ? clock_kind::realtime
                                       : clock_kind::virtual_time;
  if (m.speed)
    s->run.speed = *m.speed;
  if (m.tolerance)
    s->run.tolerance = *m.tolerance;
  for (const auto& name : m.defects) {
    auto d = parse_defect(name);
    if (!d) {
      std::cerr << "calldrill check: " << file << ": unknown defect '" << name
                << "' (written by another calldrill?)\n";
      return std::nullopt;
    }
    s->defects.add(*d);
  }
  return s;
}

/// The command that replays the run: the one the history recorded, else one
/// rebuilt from its metadata.
std::string replay_command(const history_meta& m) {
  if (!m.replay.empty())
    return m.replay;
  std::ostringstream out;
  out << "calldrill run";
  if (m.source == history_source::yaml && !m.scenario_file.empty())
    out << " " << m.scenario_file;
  if (m.source == history_source::workload)
    out << " --workload " << m.workload;
  out << " --seed " << m.seed;
  if (m.clock == "realtime")
    out << " --clock realtime";
  if (m.duration)
    out << " --duration " << format_duration(*m.duration);
  for (const auto& d : m.defects)
    out << " --defect " << d;
  return out.str();
}

} // namespace

int check_command(int argc, char** argv) {
  std::string file;
  po::options_description desc{"calldrill check FILE [options]"};
  desc.add_options()
    ("help,h", "show this help")
    ("quiet,q", "print only the checks and the verdict (no table)");
  po::variables_map vm;
  if (auto stop = parse_args("check", argc, argv, desc, vm, &file))
    return *stop;
  if (file.empty()) {
    std::cerr << "calldrill check: which file? usage: calldrill check FILE\n";
    return exit_bad_input;
  }
  history_reader reader;
  if (auto err = reader.open(file); !err.empty()) {
    std::cerr << "calldrill check: " << err << "\n";
    return exit_bad_input;
  }
  const auto& m = reader.meta();
  auto s = rebuild(file, m);
  if (!s)
    return exit_bad_input;
  auto built = build_topology(*s);
  if (!built.errors.empty()) {
    for (const auto& e : built.errors)
      std::cerr << "calldrill check: " << file << ": " << e << "\n";
    return exit_bad_input;
  }
  // Every fact is read once and must fit the topology before the checker
  // sees the first: nothing of a corrupt or crafted file reaches it.
  const auto& topo = *built.topo;
  auto err = reader.verify([&](const fact& f) { return out_of_bounds(f, topo); });
  if (!err.empty()) {
    std::cerr << "calldrill check: " << err << "\n";
    return exit_bad_input;
  }
  std::cout << "seed: " << m.seed << "\n";
  if (!vm.count("quiet"))
    std::cout << "history: " << file << ", " << reader.fact_count()
              << " facts, written by calldrill " << m.version << "\n"
              << "scenario: " << s->name << " (" << s->source << "), "
              << format_duration(s->run.duration) << " simulated, "
              << m.clock << " clock\n\n";
  history_checker checker{built.topo, *s};
  checker.expect_timeline(full_drill(*s, *built.topo));
  if (err = reader.stream(checker); !err.empty()) {
    std::cerr << "calldrill check: " << err << "\n";
    return exit_bad_input;
  }
  auto report = checker.finish();
  bool colour = isatty(STDOUT_FILENO) != 0;
  if (!vm.count("quiet"))
    std::cout << render_table(*built.topo, report, colour);
  std::cout << render_checks(report.v, colour) << render_timing(report.v.timing)
            << render_verdict(report.v, m.seed);
  if (!report.v.pass())
    std::cout << "replay: " << replay_command(m) << "\n";
  return exit_for(report.v);
}

} // namespace calldrill
