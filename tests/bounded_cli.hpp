// Running the calldrill binary under a memory cap and a wall-clock limit, so
// a test of hostile input fails fast instead of eating the machine when the
// behaviour it pins regresses.
#pragma once

#include "cli_support.hpp"

#include <csignal>
#include <string>
#include <vector>

namespace calldrill::testing {

/// Whether this build runs under ASan/UBSan: address-space caps do not apply
/// there (the sanitizer maps terabytes of shadow memory).
#ifdef CALLDRILL_SANITIZED
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif

struct bound {
  long memory_kib = 1 << 20; ///< address space (ulimit -v), 1 GiB
  int seconds = 20;          ///< killed after this; exit code 124 then
};

/// Runs `calldrill ARGS...` under `b`; a run killed by the watchdog exits
/// 124, one over the memory cap 3 (allocation failure), one killed by
/// another signal -1.
inline cli_result run_bounded(const std::vector<std::string>& args,
                              bound b = {}) {
  temp_dir dir;
  std::string cmd = (sanitized ? std::string{}
                               : "ulimit -v " + std::to_string(b.memory_kib) + "; ")
                    + "exec timeout -s KILL " + std::to_string(b.seconds)
                    + " " + std::string{CALLDRILL_BINARY_DIR} + "/cli/calldrill";
  for (const auto& a : args)
    cmd += " " + quote_arg(a);
  cmd += " </dev/null >" + dir.path + "/out 2>" + dir.path + "/err";
  cli_result r;
  int status = std::system(cmd.c_str());
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  // The watchdog's KILL reaches its own process group, so a run it stopped
  // ends killed (or 137), not with timeout's 124: say 124 either way.
  if ((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) || r.code == 137)
    r.code = 124;
  r.out = read_file(dir.path + "/out");
  r.err = read_file(dir.path + "/err");
  return r;
}

} // namespace calldrill::testing
