// Exit codes calldrill promises to CI: one meaning each.
#pragma once

namespace calldrill {

enum exit_code : int {
  exit_pass = 0,         ///< every check passed
  exit_check_failed = 1, ///< the verdict failed
  exit_bad_input = 2,    ///< usage error or invalid scenario
  exit_internal = 3,     ///< calldrill itself failed
};

} // namespace calldrill
