// calldrill's entry point: dispatches subcommands and maps every failure to
// its exit code, so nothing escapes as a crash.
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

#include <cstring>
#include <exception>
#include <iostream>

namespace {

const char* usage = R"(calldrill: load and chaos drills for telephony pool disaster recovery

Actors model Front End pools, users and calls; a chaos controller fails a pool
mid-traffic and an operator runbook fails over, redirects Group Call Pickup
ranges and fails back. The verdict checks what the source documents:
established calls stay connected, queued pickups fail, GCP returns only once
users leave resiliency mode and ranges point at the serving pool.

usage: calldrill <command> [options]

commands:
  run [FILE]   play a drill (the built-in default drill without FILE)
  bench        measure calldrill itself on named workloads
  validate FILE
               check a scenario file: every problem at once, or a summary
  help         this text; 'calldrill <command> --help' for a command's options

exit codes: 0 pass, 1 a check failed, 2 bad input or usage, 3 internal error

examples:
  calldrill run                         # default drill, virtual clock, new seed
  calldrill run --seed 42               # replay a run exactly
  calldrill run --clock realtime --speed 60
  calldrill validate scenarios/forgot-redirect.yaml
  calldrill run scenarios/chaos-peak.yaml --report report.json
  calldrill run --defect pickup-in-resiliency   # watch the oracle catch it
  calldrill bench                       # how fast is this machine at it
)";

} // namespace

int main(int argc, char** argv) {
  using namespace calldrill;
  try {
    if (argc < 2 || std::strcmp(argv[1], "help") == 0
        || std::strcmp(argv[1], "--help") == 0
        || std::strcmp(argv[1], "-h") == 0) {
      std::cout << usage;
      return argc < 2 ? exit_bad_input : exit_pass;
    }
    std::string cmd = argv[1];
    if (cmd == "run")
      return run_command(argc - 1, argv + 1);
    if (cmd == "bench")
      return bench_command(argc - 1, argv + 1);
    if (cmd == "validate")
      return validate_command(argc - 1, argv + 1);
    std::cerr << "calldrill: unknown command '" << cmd
              << "' (try 'calldrill help')\n";
    return exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "calldrill: internal error: " << e.what() << "\n";
    return exit_internal;
  } catch (...) {
    std::cerr << "calldrill: internal error\n";
    return exit_internal;
  }
}
