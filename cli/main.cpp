// calldrill's entry point: dispatches subcommands and maps every failure to
// its exit code, so nothing escapes as a crash.
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "scenarios/suggest.hpp"

#include "calldrill/version.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <malloc.h>
#include <thread>
#include <unistd.h>

namespace {

const char* usage = R"(calldrill: load and chaos drills for telephony pool disaster recovery

Actors model Front End pools, users and calls; a chaos controller fails a pool
mid-traffic and an operator runbook fails over, redirects Group Call Pickup
ranges and fails back. The verdict checks what the source documents:
established calls stay connected, queued pickups fail, GCP returns only once
users leave resiliency mode and ranges point at the serving pool.

usage: calldrill <command> [options]

commands:
  run [FILE|NAME]
               play a drill: a scenario file, a library drill by name, or
               the built-in default drill without either
  list         the scenario library, one line each
  bench        measure calldrill itself on named workloads
  validate FILE
               check a scenario file: every problem at once, or a summary
  check FILE   re-check a stored history offline: the run's verdict again
  version      print calldrill's version (also --version)
  help         this text; 'calldrill <command> --help' for a command's options

Options can also come from CALLDRILL_<OPTION> environment variables
(CALLDRILL_SEED=42); the command line wins.

exit codes: 0 pass, 1 a check failed, 2 bad input or usage, 3 internal error,
  4 a realtime verdict that cannot be trusted (the run lagged)

examples:
  calldrill run                         # default drill, virtual clock, new seed
  calldrill run --seed 42               # replay a run exactly
  calldrill run --clock realtime --speed 60
  calldrill validate scenarios/forgot-redirect.yaml
  calldrill run scenarios/chaos-peak.yaml --report report.json
  calldrill list                        # the library; then e.g.
  calldrill run forgot-redirect         # play a library drill by name
  calldrill run --defect pickup-in-resiliency   # watch the oracle catch it
  calldrill bench                       # how fast is this machine at it
)";

/// A verdict nobody could read is no pass: when standard output could not
/// be written (a full disk, a closed pipe), the exit code says so.
int checked_stdout(int code) {
  std::cout.flush();
  if (std::cout && std::fflush(stdout) == 0 && !std::ferror(stdout))
    return code;
  std::cerr << "calldrill: cannot write standard output: the output is lost\n";
  return code == calldrill::exit_pass ? calldrill::exit_bad_input : code;
}

/// Where an error cannot be caught (a thread that failed to start, an
/// exception thrown by a worker thread of the actor framework): exit 3 at
/// once, without allocating, instead of aborting or hanging.
[[noreturn]] void on_terminate() {
  static const char msg[] = "calldrill: internal error: terminated (out of "
                            "memory or threads?)\n";
  auto written = write(STDERR_FILENO, msg, sizeof msg - 1);
  static_cast<void>(written);
  _exit(calldrill::exit_internal);
}

/// At most one allocator arena per core (unless MALLOC_ARENA_MAX says
/// otherwise). The allocator gives every thread that allocates an arena of
/// its own, and a realtime run has a score of threads (scheduler workers,
/// timers, the metrics endpoint's); their fragments kept a long run's RSS
/// creeping, about 1 MiB an hour, where one arena per core stays flat.
void limit_allocator_arenas() {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr)
    return;
  auto cores = static_cast<int>(std::thread::hardware_concurrency());
  mallopt(M_ARENA_MAX, std::max(2, cores));
}

} // namespace

int main(int argc, char** argv) {
  using namespace calldrill;
  std::set_terminate(on_terminate);
  limit_allocator_arenas();
  try {
    if (argc < 2 || std::strcmp(argv[1], "help") == 0
        || std::strcmp(argv[1], "--help") == 0
        || std::strcmp(argv[1], "-h") == 0) {
      std::cout << usage;
      return argc < 2 ? exit_bad_input : exit_pass;
    }
    std::string cmd = argv[1];
    if (cmd == "version" || cmd == "--version" || cmd == "-V") {
      std::cout << "calldrill " << version << "\n";
      return checked_stdout(exit_pass);
    }
    if (cmd == "list")
      return checked_stdout(list_command(argc - 1, argv + 1));
    if (cmd == "run")
      return checked_stdout(run_command(argc - 1, argv + 1));
    if (cmd == "bench")
      return checked_stdout(bench_command(argc - 1, argv + 1));
    if (cmd == "validate")
      return checked_stdout(validate_command(argc - 1, argv + 1));
    if (cmd == "check")
      return checked_stdout(check_command(argc - 1, argv + 1));
    std::cerr << "calldrill: unknown command '" << cmd << "'"
              << did_you_mean(cmd, std::vector<std::string>{
                                     "run", "bench", "validate", "check",
                                     "list", "version", "help"})
              << " (try 'calldrill help')\n";
    return exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "calldrill: internal error: " << e.what() << "\n";
    return exit_internal;
  } catch (...) {
    std::cerr << "calldrill: internal error\n";
    return exit_internal;
  }
}
