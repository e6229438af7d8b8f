// `calldrill bench`: runs named workloads, each in a child process so its
// peak memory is its own, and prints one table beside two yardsticks measured
// in the same run: a plain event loop doing each workload's calls without
// actors, and raw CAF ping-pong; `--sweep` scales users or rate and writes CSV.
#include "actors/run.hpp"
#include "actors/yardstick.hpp"
#include "bench/event_loop.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/memory_option.hpp"
#include "cli/option_values.hpp"
#include "cli/parse_args.hpp"
#include "model/duration_text.hpp"
#include "oracle/checks.hpp"
#include "outputs/target.hpp"
#include "scenarios/limits.hpp"
#include "scenarios/suggest.hpp"
#include "scenarios/workloads.hpp"

#include <boost/program_options.hpp>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace po = boost::program_options;

namespace calldrill {

namespace {

/// A row whose run's checker disagreed with the model's own record.
constexpr double verdict_error = 9;

struct bench_row {
  std::string workload;
  double users = 0;
  double calls = 0;
  double sim_s = 0;
  double setup_s = 0;
  double wall_s = 0;
  double messages = 0;
  double rss = 0;
  double cpu_s = 0;
  double lag_p99_ms = 0;
  double arrivals = 0;
  double registrations = 0;
  double pass = 0;
  double status = 0; ///< verdict_status, or verdict_error
  std::string failed = "-"; ///< the checks that failed, as "id@pair,..."
  double loop_calls = 0;  ///< the plain event loop's calls (same work)
  double loop_wall_s = 0; ///< and its wall seconds
  double loop_cpu_s = 0;  ///< and its CPU seconds
};

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto tv = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return tv(ru.ru_utime) + tv(ru.ru_stime);
}

/// Runs the plain event loop over workload `name`'s calls in this process:
/// "calls wall_seconds cpu_seconds".
std::string measure_loop(const std::string& name, const workload_params& p) {
  auto s = make_workload(name, p);
  auto built = build_topology(s);
  if (!built.errors.empty())
    throw std::runtime_error(built.errors.front());
  auto cpu0 = cpu_seconds();
  auto r = run_event_loop(s, *built.topo, s.run.seed);
  auto cpu = cpu_seconds() - cpu0;
  std::ostringstream out;
  out.precision(17);
  out << r.calls << ' ' << r.wall_seconds << ' ' << cpu;
  return out.str();
}

/// Runs one workload in this process and fills a row.
bench_row measure(const std::string& name, const workload_params& p) {
  auto t0 = std::chrono::steady_clock::now();
  auto s = std::make_shared<scenario>(make_workload(name, p));
  auto built = build_topology(*s);
  if (!built.errors.empty())
    throw std::runtime_error(built.errors.front());
  auto topo_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto cpu0 = cpu_seconds();
  auto checked = run_checked(s, built.topo);
  const auto& r = checked.result;
  bench_row row;
  row.workload = name;
  row.users = built.topo->user_count();
  row.calls = static_cast<double>(r.obs.total(counter::calls_started));
  row.arrivals = row.calls + static_cast<double>(r.obs.total(counter::calls_not_started));
  row.sim_s = to_seconds(r.simulated);
  row.setup_s = topo_s + r.wall.setup_seconds;
  row.wall_s = r.wall.run_seconds;
  row.messages = static_cast<double>(r.wall.actor_messages);
  row.rss = static_cast<double>(r.wall.peak_rss_bytes);
  row.cpu_s = cpu_seconds() - cpu0;
  row.lag_p99_ms = r.wall.arrival_lag_p99_ms;
  row.registrations = static_cast<double>(r.obs.total(counter::registrations));
  row.pass = checked.v().pass() && checked.disagreements.empty() ? 1 : 0;
  row.status = checked.disagreements.empty()
                 ? static_cast<double>(checked.v().status()) : verdict_error;
  std::string failed;
  for (const auto& c : checked.v().checks)
    if (c.status == check_status::fail)
      failed += (failed.empty() ? "" : ",") + c.id
                + (c.pair.empty() ? "" : "@" + c.pair);
  if (!failed.empty())
    row.failed = failed; // ids and FQDNs: no spaces
  return row;
}

std::string encode(const bench_row& r) {
  std::ostringstream out;
  out.precision(17);
  out << r.workload << ' ' << r.users << ' ' << r.calls << ' ' << r.sim_s << ' '
      << r.setup_s << ' ' << r.wall_s << ' ' << r.messages << ' ' << r.rss
      << ' ' << r.cpu_s << ' ' << r.lag_p99_ms << ' ' << r.arrivals << ' '
      << r.registrations << ' ' << r.pass << ' ' << r.loop_calls << ' '
      << r.loop_wall_s << ' ' << r.loop_cpu_s << ' ' << r.status << ' '
      << r.failed;
  return out.str();
}

bench_row decode(const std::string& line) {
  std::istringstream in{line};
  bench_row r;
  in >> r.workload >> r.users >> r.calls >> r.sim_s >> r.setup_s >> r.wall_s
    >> r.messages >> r.rss >> r.cpu_s >> r.lag_p99_ms >> r.arrivals
    >> r.registrations >> r.pass >> r.loop_calls >> r.loop_wall_s >> r.loop_cpu_s
    >> r.status >> r.failed;
  if (!in)
    throw std::runtime_error("bench child sent a malformed result");
  return r;
}

/// Runs `f` in a child process and returns the line it produced.
template <class F>
std::string in_child(F f) {
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  std::cout.flush();
  auto pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    std::string line;
    int code = 0;
    try {
      line = f() + "\n";
    } catch (const std::exception& e) {
      std::cerr << "calldrill bench: " << e.what() << "\n";
      code = exit_internal;
    }
    auto n = write(fds[1], line.data(), line.size());
    (void) n;
    close(fds[1]);
    _exit(code);
  }
  close(fds[0 + 1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.empty())
    throw std::runtime_error("a benchmark child process failed");
  return out.substr(0, out.find('\n'));
}

/// The verdict of a row as the table prints it.
std::string verdict_text(const bench_row& r) {
  if (r.status == verdict_error)
    return "ERROR";
  std::string t{name(static_cast<verdict_status>(r.status))};
  for (auto& ch : t)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return t;
}

double per_wall(double n, double wall_s) { return wall_s > 0 ? n / wall_s : 0; }

/// The run's simulated calls per wall second as a share of the plain
/// loop's, both measured in this bench: rate against rate (the run may use
/// both cores, the loop uses one).
double share_of_loop(const bench_row& r) {
  auto loop = per_wall(r.loop_calls, r.loop_wall_s);
  return loop > 0 ? per_wall(r.calls, r.wall_s) / loop : 0;
}

/// Calls per CPU second of the run as a share of the loop's: the same work's
/// whole cost (setup, actors and checker, on every thread) against the bare
/// minimum's.
double cpu_share_of_loop(const bench_row& r) {
  auto loop = per_wall(r.loop_calls, r.loop_cpu_s);
  return loop > 0 ? per_wall(r.calls, r.cpu_s) / loop : 0;
}

void print_table(const std::vector<bench_row>& rows, double ping_pong) {
  std::printf("%-10s %8s %9s %6s %7s %7s %7s %11s %9s %8s %6s %8s %11s %6s %5s %s\n",
              "workload", "users", "sim calls", "sim s", "setup s", "wall s",
              "cpu s", "calls/wall s", "msgs/call", "peak RSS", "B/user",
              "lag p99", "loop calls/s", "x loop", "x cpu", "verdict");
  for (const auto& r : rows) {
    auto rate = per_wall(r.calls, r.wall_s);
    auto loop_rate = per_wall(r.loop_calls, r.loop_wall_s);
    std::printf("%-10s %8.0f %9.0f %6.0f %7.2f %7.2f %7.2f %11.0f %9.2f %4.0f MiB %6.0f %6.1fms %11.0f %5.0f%% %4.0f%% %s\n",
                r.workload.c_str(), r.users, r.calls, r.sim_s, r.setup_s,
                r.wall_s, r.cpu_s, rate,
                r.calls > 0 ? r.messages / r.calls : 0, r.rss / 1048576.0,
                r.users > 0 ? r.rss / r.users : 0, r.lag_p99_ms, loop_rate,
                100.0 * share_of_loop(r), 100.0 * cpu_share_of_loop(r),
                verdict_text(r).c_str());
  }
  std::printf("yardsticks: loop = a plain event loop (no actors) doing the "
              "same calls; x loop = calls per wall second as a share of the "
              "loop's; x cpu = calls per CPU second (every thread) as a share "
              "of the loop's; raw CAF ping-pong %.0f messages/s (1 worker)\n",
              ping_pong);
}

/// A count as an exact integer (never 1.2587e+07).
std::string csv_whole(double v) {
  return std::to_string(static_cast<long long>(std::llround(v)));
}

/// A measured real in fixed notation, six decimals.
std::string csv_real(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

std::string csv_text(const std::vector<bench_row>& rows, double ping_pong) {
  std::ostringstream out;
  out << "workload,users,sim_calls,sim_seconds,setup_seconds,wall_seconds,"
         "calls_per_wall_second,messages_per_second,peak_rss_bytes,"
         "bytes_per_user,ping_pong_per_second,arrival_lag_p99_ms,cpu_seconds,"
         "registrations,verdict_pass,messages_per_call,"
         "loop_calls_per_second,share_of_loop,cpu_share_of_loop,verdict\n";
  for (const auto& r : rows)
    out << r.workload << ',' << csv_whole(r.users) << ',' << csv_whole(r.calls)
        << ',' << csv_real(r.sim_s) << ',' << csv_real(r.setup_s) << ','
        << csv_real(r.wall_s) << ','
        << csv_real(r.wall_s > 0 ? r.calls / r.wall_s : 0) << ','
        << csv_real(r.wall_s > 0 ? r.messages / r.wall_s : 0) << ','
        << csv_whole(r.rss) << ','
        << csv_real(r.users > 0 ? r.rss / r.users : 0) << ','
        << csv_real(ping_pong) << ',' << csv_real(r.lag_p99_ms) << ','
        << csv_real(r.cpu_s) << ',' << csv_whole(r.registrations) << ','
        << csv_whole(r.pass) << ','
        << csv_real(r.calls > 0 ? r.messages / r.calls : 0) << ','
        << csv_real(per_wall(r.loop_calls, r.loop_wall_s)) << ','
        << csv_real(share_of_loop(r)) << ','
        << csv_real(cpu_share_of_loop(r)) << ',' << verdict_text(r) << '\n';
  return out.str();
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in{text};
  std::string item;
  while (std::getline(in, item, ','))
    out.push_back(item);
  if (out.empty())
    out.emplace_back();
  return out;
}

/// The most ping-pong messages the yardstick may be asked for.
constexpr std::uint64_t ping_pong_max = 1000000000;

} // namespace

int bench_command(int argc, char** argv) {
  std::vector<std::string> names;
  std::uint32_t users = 0;
  double rate = 0;
  std::string duration, sweep, csv;
  std::uint64_t seed = 1;
  std::uint64_t ping_messages = 2000000;
  std::string scheduler;
  std::uint32_t workers = 0;
  std::string partition = "none";
  std::string memory_max;
  std::ostringstream wl;
  wl << "workload to run (repeatable; default: all but realtime):";
  for (const auto& w : workloads())
    wl << "\n  " << w.name << ": " << w.description;
  po::options_description o{"calldrill bench [options]"};
  o.add_options()
    ("help,h", "show this help")
    ("workload,w", po::value<std::vector<std::string>>(&names)->composing()
                     ->value_name("NAME"),
     wl.str().c_str())
    ("users", whole_value(&users, 1, limits::users_total_max, "--users"),
     "override the users of a workload")
    ("rate", real_value(&rate, 0.001, limits::calls_per_second_max, "--rate"),
     "override the calls per simulated second")
    ("duration", po::value<std::string>(&duration)->value_name("DURATION"),
     "override the simulated length, e.g. 20m")
    ("seed", whole_value(&seed, 0, UINT64_MAX, "--seed")
               ->default_value(whole_arg{1}, "1"),
     "seed")
    ("sweep", po::value<std::string>(&sweep)->value_name("KEY=V1,V2,..."),
     "scale one workload: users=10000,100000,1000000 or rate=100,1000")
    ("csv", po::value<std::string>(&csv)->value_name("FILE"),
     "also write the rows as CSV")
    ("scheduler", po::value<std::string>(&scheduler)->value_name("sharing|stealing"),
     "realtime scheduler policy: sharing (default) or stealing")
    ("workers", whole_value(&workers, 0, limits::workers_max, "--workers"),
     "threads: realtime scheduler's (0: one per core), or a partitioned "
     "run's (0: one per core but one)")
    ("partition", po::value<std::string>(&partition)->default_value("none")
                    ->value_name("none|pairs"),
     "virtual-time workloads: 'pairs' runs each pool pair as a partition, "
     "side by side on --workers threads (see 'calldrill run --help')")
    ("memory-max", po::value<std::string>(&memory_max)->value_name("SIZE"),
     "memory budget each workload must fit (default: the machine's memory)")
    ("ping-pong", whole_value(&ping_messages, 1, ping_pong_max, "--ping-pong")
                    ->default_value(whole_arg{2000000}, "2000000"),
     "messages of the ping-pong yardstick");
  po::variables_map vm;
  if (auto stop = parse_args("bench", argc, argv, o, vm))
    return *stop;
  workload_params p;
  p.users = users;
  p.rate = rate;
  p.seed = seed;
  if (!scheduler.empty() && scheduler != "sharing" && scheduler != "stealing") {
    std::cerr << "calldrill bench: --scheduler: expected sharing or stealing\n";
    return exit_bad_input;
  }
  p.scheduler = scheduler;
  p.workers = workers;
  if (partition != "none" && partition != "pairs") {
    std::cerr << "calldrill bench: --partition: expected none or pairs\n";
    return exit_bad_input;
  }
  p.partition_by_pair = partition == "pairs";
  if (!duration.empty()) {
    std::string why;
    auto d = parse_duration(duration, &why);
    if (d && (*d < std::chrono::seconds{1} || *d > limits::run_duration_max))
      why = "expected 1s.." + format_duration(limits::run_duration_max);
    if (!why.empty()) {
      std::cerr << "calldrill bench: --duration: " << why << "\n";
      return exit_bad_input;
    }
    p.duration = *d;
  }
  // The CSV's target is checked now, not after minutes of measuring.
  output_target csv_target;
  if (vm.count("csv"))
    if (auto err = prepare_target(csv, csv_target); !err.empty()) {
      std::cerr << "calldrill bench: --csv " << err << "\n";
      return exit_bad_input;
    }
  if (names.empty())
    names = {"default", "million", "storm"};
  for (const auto& n : names) {
    bool known = false;
    for (const auto& w : workloads())
      known = known || w.name == n;
    if (!known) {
      std::vector<std::string> known;
      for (const auto& w : workloads())
        known.push_back(w.name);
      std::cerr << "calldrill bench: unknown workload '" << n << "'"
                << did_you_mean(n, known) << " (see 'calldrill bench --help')\n";
      return exit_bad_input;
    }
  }
  std::vector<std::pair<std::string, workload_params>> plan;
  if (!sweep.empty()) {
    auto eq = sweep.find('=');
    auto key = sweep.substr(0, eq);
    if (eq == std::string::npos || (key != "users" && key != "rate")) {
      std::cerr << "calldrill bench: --sweep: expected users=... or rate=...\n";
      return exit_bad_input;
    }
    for (const auto& item : split_list(sweep.substr(eq + 1))) {
      auto q = p;
      std::string why;
      if (key == "users") {
        std::uint64_t v = 0;
        why = parse_whole(item, 1, limits::users_total_max, v);
        q.users = static_cast<std::uint32_t>(v);
      } else {
        why = parse_real(item, 0.001, limits::calls_per_second_max, q.rate);
      }
      if (!why.empty()) {
        std::cerr << "calldrill bench: --sweep: " << key << " '" << item
                  << "': " << why << "\n";
        return exit_bad_input;
      }
      plan.emplace_back(names.front(), q);
    }
  } else {
    for (const auto& n : names)
      plan.emplace_back(n, p);
  }
  // Every workload's memory estimate is checked before any is built.
  for (const auto& [name, params] : plan)
    if (auto err = check_memory(memory_max, make_workload(name, params));
        !err.empty()) {
      std::cerr << "calldrill bench: " << name << ": " << err << "\n";
      return exit_bad_input;
    }
  auto ping_pong = std::stod(in_child([&] {
    std::ostringstream out;
    out.precision(17);
    out << ping_pong_rate(ping_messages);
    return out.str();
  }));
  std::vector<bench_row> rows;
  for (const auto& [name, params] : plan) {
    std::cerr << "bench: running " << name << "..." << std::endl;
    auto row = decode(in_child([&] { return encode(measure(name, params)); }));
    if (row.workload != "realtime") { // paced on the wall clock: no yardstick
      std::istringstream loop{in_child([&] { return measure_loop(name, params); })};
      loop >> row.loop_calls >> row.loop_wall_s >> row.loop_cpu_s;
    }
    rows.push_back(row);
  }
  print_table(rows, ping_pong);
  if (vm.count("csv"))
    if (auto err = write_target(csv_target, csv_text(rows, ping_pong));
        !err.empty()) {
      std::cerr << "calldrill bench: --csv " << err << "\n";
      return exit_bad_input;
    }
  for (const auto& r : rows)
    if (r.pass == 0)
      std::cerr << "bench: note: workload " << r.workload
                << " did not pass its verdict: " << verdict_text(r)
                << (r.failed != "-" ? " (failed: " + r.failed + ")" : "")
                << "\n";
  return exit_pass;
}

} // namespace calldrill
