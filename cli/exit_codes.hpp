// Exit codes calldrill promises to CI: one meaning each.
#pragma once

#include "checker/verdict.hpp"

namespace calldrill {

enum exit_code : int {
  exit_pass = 0,         ///< every check passed
  exit_check_failed = 1, ///< the verdict failed
  exit_bad_input = 2,    ///< usage error or invalid scenario
  exit_internal = 3,     ///< calldrill itself failed
  exit_inconclusive = 4, ///< realtime: the actors lagged beyond the checker's
                         ///< tolerance, so the checks cannot be trusted
};

/// The exit code of a verdict.
inline int exit_for(const verdict& v) {
  switch (v.status()) {
    case verdict_status::pass:
      return exit_pass;
    case verdict_status::fail:
      return exit_check_failed;
    default:
      return exit_inconclusive;
  }
}

} // namespace calldrill
