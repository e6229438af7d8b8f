// `calldrill run`: reads options (Boost.Program_options stays in this room),
// builds the scenario, plays it and prints the timeline, table and totals.
#include "actors/run.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/human_format.hpp"
#include "cli/option_values.hpp"
#include "cli/parse_args.hpp"
#include "cli/memory_option.hpp"
#include "cli/metrics_options.hpp"
#include "cli/run_outputs.hpp"
#include "cli/stop_signals.hpp"
#include "history/history_file.hpp"
#include "model/chaos.hpp"
#include "model/duration_text.hpp"
#include "oracle/checks.hpp"
#include "oracle/summary.hpp"
#include "scenarios/builtin.hpp"
#include "scenarios/limits.hpp"
#include "scenarios/suggest.hpp"
#include "scenarios/workloads.hpp"

#include "calldrill/version.hpp"

#include <boost/program_options.hpp>

#include <iostream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace po = boost::program_options;

namespace calldrill {

namespace {

struct run_args {
  std::string file;
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::string clock = "virtual";
  double speed = 60.0;
  std::string tolerance;
  std::string duration;
  std::vector<std::string> defects;
  std::uint32_t users_per_host = 0;
  std::string scheduler = "sharing";
  std::uint32_t workers = 0;
  std::string partition = "none";
  bool quiet = false;
  std::string workload;
  std::string history;
  std::string memory_max;
};

std::string defect_help() {
  std::ostringstream out;
  out << "deliberate defect (repeatable), to prove the oracle:";
  for (const auto& d : all_defects())
    out << "\n  " << d.name << ": " << d.description;
  return out.str();
}

po::options_description options(run_args& a) {
  po::options_description o{"calldrill run [FILE] [options]"};
  o.add_options()
    ("help,h", "show this help")
    ("seed", whole_value(&a.seed, 0, UINT64_MAX, "--seed"),
     "seed of every random draw; the same seed replays the same run "
     "(virtual clock). Drawn and printed when absent")
    ("clock", po::value<std::string>(&a.clock)->default_value("virtual")
                ->value_name("virtual|realtime"),
     "virtual: deterministic, single-threaded, as fast as the machine "
     "allows; realtime: all cores, simulated time --speed times the wall clock")
    ("speed", real_value(&a.speed, 0.001, limits::speed_max, "--speed")
                ->default_value(real_arg{60.0}, "60"),
     "realtime only: simulated seconds per wall second")
    ("tolerance", po::value<std::string>(&a.tolerance)->value_name("DURATION"),
     "realtime only: how late (simulated time) an actor may act on a timer "
     "or a message before the verdict cannot be trusted; the checker reads "
     "each decision under the worlds of this span before it (default: the "
     "scenario's run.tolerance, 2s). A run that lags further ends "
     "INCONCLUSIVE, exit 4")
    ("duration", po::value<std::string>(&a.duration)->value_name("DURATION"),
     "simulated length of the run, e.g. 90s, 30m, 2h (default: the scenario's)")
    ("defect", po::value<std::vector<std::string>>(&a.defects)->composing()
                 ->value_name("NAME"),
     defect_help().c_str())
    ("users-per-host", whole_value(&a.users_per_host, 1,
                                   limits::users_per_host_max,
                                   "--users-per-host"),
     "clients hosted per actor (default: auto; 262144 in virtual time)")
    ("scheduler", po::value<std::string>(&a.scheduler)->default_value("sharing")
                    ->value_name("sharing|stealing"),
     "realtime scheduler policy: sharing or stealing")
    ("workers", whole_value(&a.workers, 0, limits::workers_max, "--workers")
                  ->default_value(whole_arg{0}, "0"),
     "threads: the realtime scheduler's (0: one per core), or a partitioned "
     "run's (0: one per core but one, left to the checker)")
    ("partition", po::value<std::string>(&a.partition)->default_value("none")
                    ->value_name("none|pairs"),
     "virtual time: run each pool pair as a partition of its own, side by "
     "side on --workers threads; messages between pairs take one time step "
     "(10 ms); the report is the same for any --workers")
    ("workload", po::value<std::string>(&a.workload)->value_name("NAME"),
     "play a benchmark workload instead of the default drill "
     "(see 'calldrill bench --help')")
    ("history", po::value<std::string>(&a.history)->value_name("FILE"),
     "write the run's history of facts to FILE (atomically); "
     "'calldrill check FILE' re-checks it offline")
    ("quiet,q", po::bool_switch(&a.quiet), "print only the verdict lines")
    ("memory-max", po::value<std::string>(&a.memory_max)->value_name("SIZE"),
     "refuse a run whose memory estimate exceeds this, e.g. 4G (default: the "
     "machine's memory)");
  return o;
}

/// Applies command-line overrides to the scenario; returns an error or "".
std::string apply(const run_args& a, scenario& s) {
  if (a.clock == "virtual")
    s.run.clock = clock_kind::virtual_time;
  else if (a.clock == "realtime")
    s.run.clock = clock_kind::realtime;
  else
    return "--clock: expected virtual or realtime, got '" + a.clock + "'"
           + did_you_mean(a.clock, std::vector<std::string>{"virtual", "realtime"});
  s.run.speed = a.speed; // checked like the file's run.speed when parsed
  if (!a.tolerance.empty()) {
    std::string why;
    auto d = parse_duration(a.tolerance, &why);
    if (d && (*d < sim_duration{0} || *d > limits::tolerance_max))
      why = "expected 0s.." + format_duration(limits::tolerance_max)
            + " (as run.tolerance in a file)";
    if (!why.empty())
      return "--tolerance: " + why;
    s.run.tolerance = *d;
  }
  if (!a.duration.empty()) {
    std::string why;
    auto d = parse_duration(a.duration, &why);
    if (d && (*d < std::chrono::seconds{1} || *d > limits::run_duration_max))
      why = "expected 1s.." + format_duration(limits::run_duration_max)
            + " (as run.duration in a file)";
    if (!why.empty())
      return "--duration: " + why;
    s.run.duration = *d;
  }
  for (const auto& name : a.defects) {
    auto d = parse_defect(name);
    if (!d)
    {
      std::vector<std::string> known;
      for (const auto& info : all_defects())
        known.emplace_back(info.name);
      return "--defect: unknown defect '" + name + "'"
             + did_you_mean(name, known) + " (see 'calldrill run --help')";
    }
    s.defects.add(*d);
  }
  if (a.users_per_host > 0)
    s.run.users_per_host = a.users_per_host;
  if (a.scheduler != "sharing" && a.scheduler != "stealing")
    return "--scheduler: expected sharing or stealing, got '" + a.scheduler + "'"
           + did_you_mean(a.scheduler, std::vector<std::string>{"sharing", "stealing"});
  s.run.scheduler_policy = a.scheduler;
  s.run.workers = a.workers;
  if (a.partition != "none" && a.partition != "pairs")
    return "--partition: expected none or pairs, got '" + a.partition + "'"
           + did_you_mean(a.partition, std::vector<std::string>{"none", "pairs"});
  s.run.partition_by_pair = a.partition == "pairs";
  if (s.run.partition_by_pair && s.run.clock == clock_kind::realtime)
    return "partition pairs: only a virtual-time run is partitioned "
           "(realtime already runs on every core)";
  if (a.seed_given) {
    s.run.seed = a.seed;
    s.run.seed_given = true;
  } else if (!s.run.seed_given) {
    std::random_device rd;
    s.run.seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }
  return {};
}

/// The one command that replays this run.
std::string replay_command(const run_args& a, const scenario& s) {
  std::ostringstream out;
  out << "calldrill run";
  if (!a.file.empty())
    out << " " << a.file;
  if (!a.workload.empty())
    out << " --workload " << a.workload;
  out << " --seed " << s.run.seed;
  if (s.run.clock == clock_kind::realtime)
    out << " --clock realtime --speed " << s.run.speed;
  if (!a.tolerance.empty())
    out << " --tolerance " << a.tolerance;
  if (!a.duration.empty())
    out << " --duration " << a.duration;
  for (const auto& d : a.defects)
    out << " --defect " << d;
  if (a.users_per_host > 0)
    out << " --users-per-host " << a.users_per_host;
  if (s.run.partition_by_pair)
    out << " --partition pairs";
  return out.str();
}

/// What the history file records of this run, so `calldrill check` can
/// rebuild its scenario.
history_meta history_meta_of(const run_args& a, const scenario& s) {
  history_meta m;
  m.scenario = s.name;
  if (!a.workload.empty()) {
    m.source = history_source::workload;
    m.workload = a.workload;
  } else {
    m.source = history_source::yaml;
    m.scenario_file = a.file;
    m.scenario_yaml = scenario_text_for_run(a.file);
  }
  if (!a.duration.empty())
    m.duration = s.run.duration;
  m.seed = s.run.seed;
  m.clock = s.run.clock == clock_kind::realtime ? "realtime" : "virtual";
  if (s.run.clock == clock_kind::realtime) {
    m.speed = s.run.speed;
    m.tolerance = s.run.tolerance;
  }
  m.defects = a.defects;
  m.replay = replay_command(a, s);
  return m;
}

/// Warns about drill actions at or after the end of the run (as validate
/// does for files): they never play, and coverage would say so only as a
/// missing phase.
void warn_late_actions(const scenario& s, const topology& t, std::ostream& err) {
  std::size_t late = 0;
  sim_duration first{}; // a copy: the drill is a temporary of the loop
  for (const auto& a : full_drill(s, t))
    if (a.at >= s.run.duration && late++ == 0)
      first = a.at;
  if (late == 0)
    return;
  err << "calldrill run: warning: " << late << " drill action"
      << (late == 1 ? "" : "s") << " at or after the end of the run ("
      << format_duration(s.run.duration) << ") never play, the first at "
      << format_duration(first) << "\n";
}

/// The summary: timeline, table, totals and wall facts (unless quiet), then
/// the checks; marked when a signal stopped the run.
void print_summary(std::ostream& out, bool quiet, const topology& t,
                   const checked_run& checked, bool colour) {
  const auto& result = checked.result;
  const auto& v = checked.v();
  auto stopped = stop_signal_name();
  if (!stopped.empty())
    out << "interrupted by " << stopped << " at "
        << format_duration(result.simulated)
        << " simulated: what was seen until then is checked; later phases "
           "were not entered\n\n";
  if (!quiet)
    out << render_timeline(t, result) << "\n"
        << render_table(t, checked.report, colour)
        << render_totals(result) << "wall: setup "
        << human_seconds(result.wall.setup_seconds) << ", run "
        << human_seconds(result.wall.run_seconds) << ", peak RSS "
        << human_bytes(static_cast<double>(result.wall.peak_rss_bytes))
        << ", " << human_count(result.wall.actor_messages)
        << " actor messages\n\n";
  out << render_checks(v, colour) << render_timing(v.timing);
}

} // namespace

int run_command(int argc, char** argv) {
  run_args a;
  auto desc = options(a);
  metrics_args live_args;
  desc.add(metrics_options(live_args));
  output_args out_args;
  desc.add(output_options(out_args));
  po::variables_map vm;
  if (auto stop = parse_args("run", argc, argv, desc, vm, &a.file))
    return *stop;
  // From here a signal asks for a clean stop instead of killing the run.
  const auto& stop = install_stop_signals();
  a.seed_given = vm.count("seed") > 0;
  live_args.port_given = !vm["metrics-port"].defaulted();
  auto loaded = scenario_for_run(a.file, std::cerr); // validated first
  if (!loaded)
    return exit_bad_input;
  if (!a.file.empty()) { // the file's run settings stand unless given here
    const auto& r = loaded->run;
    if (vm["clock"].defaulted())
      a.clock = r.clock == clock_kind::realtime ? "realtime" : "virtual";
    if (vm["speed"].defaulted())
      a.speed = r.speed;
    if (vm["scheduler"].defaulted())
      a.scheduler = r.scheduler_policy;
    if (vm["workers"].defaulted())
      a.workers = r.workers;
    if (vm["partition"].defaulted())
      a.partition = r.partition_by_pair ? "pairs" : "none";
  }
  auto s = std::make_shared<scenario>(std::move(*loaded));
  if (!a.workload.empty()) {
    try {
      *s = make_workload(a.workload, workload_params{});
    } catch (const std::invalid_argument& e) {
      std::cerr << "calldrill run: --workload: " << e.what() << "\n";
      return exit_bad_input;
    }
  }
  if (auto err = apply(a, *s); !err.empty()) {
    std::cerr << "calldrill run: " << err << "\n";
    return exit_bad_input;
  }
  if (auto err = check_memory(a.memory_max, *s); !err.empty()) {
    std::cerr << "calldrill run: " << err << "\n";
    return exit_bad_input;
  }
  if (auto err = check_metrics_args(live_args); !err.empty()) {
    std::cerr << "calldrill run: " << err << "\n";
    return exit_bad_input;
  }
  output_set outs;
  if (auto err = plan_outputs(out_args, vm, outs); !err.empty()) {
    std::cerr << "calldrill run: " << err << "\n";
    return exit_bad_input;
  }
  std::unique_ptr<history_writer> history;
  if (!a.history.empty()) {
    std::string err = check_target(a.history);
    if (err.empty())
      history = history_writer::create(a.history, history_meta_of(a, *s), err);
    if (!history) {
      std::cerr << "calldrill run: --history: " << err << "\n";
      return exit_bad_input;
    }
  }
  // An output on standard output keeps it for itself: the summary goes to
  // standard error, and neither banner nor progress is printed.
  auto& out = outs.uses_stdout() ? std::cerr : std::cout;
  bool quiet_live = a.quiet || outs.uses_stdout();
  out << "seed: " << s->run.seed << "\nrun: " << live_args.run_id << std::endl;
  auto built = build_topology(*s);
  if (!built.errors.empty()) {
    for (const auto& e : built.errors)
      std::cerr << s->source << ": " << e << "\n";
    return exit_bad_input;
  }
  warn_late_actions(*s, *built.topo, std::cerr);
  if (!a.quiet)
    out << "scenario: " << s->name << " (" << s->source << "), "
              << built.topo->pools.size() << " pools, "
              << built.topo->user_count() << " users, "
              << built.topo->groups.size() << " pickup groups, "
              << format_duration(s->run.duration) << " simulated, "
              << (s->run.clock == clock_kind::virtual_time ? "virtual clock"
                                                           : "realtime clock")
              << "\n\n" << std::flush;
  std::string live_error;
  auto live =
    live_session::start(live_args, *s, *built.topo, quiet_live, live_error);
  if (!live) {
    std::cerr << "calldrill run: " << live_error << "\n";
    return exit_bad_input;
  }
  auto hooks = live->hooks();
  auto series = record_series(outs, *s, *built.topo, live_args.run_id, hooks);
  hooks.stop = &stop;
  report_facts facts{version, utc_now_rfc3339(),
                     scenario_hash(a.file, a.workload), replay_command(a, *s),
                     ""};
  auto checked = run_checked(s, built.topo, std::move(hooks), history.get());
  facts.interrupted_by = stop_signal_name();
  if (history)
    if (auto err = history->commit(); !err.empty()) {
      std::cerr << "calldrill run: --history: " << err << "\n";
      return exit_bad_input;
    }
  const auto& result = checked.result;
  const auto& v = checked.v();
  live->finish(v, std::cerr); // check status, then the push if asked for
  if (series)
    series->finish(v, result.simulated);
  bool colour = &out == &std::cout && isatty(STDOUT_FILENO) != 0;
  print_summary(out, a.quiet, *built.topo, checked, colour);
  auto errors = outs.write({*s, *built.topo, result, v, facts, series.get()});
  for (const auto& e : errors)
    std::cerr << "calldrill run: " << e << "\n";
  if (facts.interrupted_by.empty())
    live->hold(out);
  if (!checked.disagreements.empty()) {
    out << "verdict: ERROR (seed " << s->run.seed
        << "): the live counters and the history disagree, so "
           "recording is broken:\n";
    for (const auto& d : checked.disagreements)
      out << "  " << d << "\n";
    out << "replay: " << facts.replay << "\n";
    return exit_internal;
  }
  if (!facts.interrupted_by.empty())
    out << "verdict: INTERRUPTED by " << facts.interrupted_by << " at "
        << format_duration(result.simulated) << " simulated (checks so far: "
        << (v.checks_pass() ? "PASS" : "FAIL") << ", seed " << s->run.seed
        << ")\n"
        << "replay: " << facts.replay << "\n";
  else {
    out << render_verdict(v, s->run.seed);
    if (!v.pass())
      out << "replay: " << facts.replay << "\n";
  }
  if (auto code = stop_exit_code())
    return code;
  if (!errors.empty())
    return exit_bad_input;
  return exit_for(v);
}

} // namespace calldrill
