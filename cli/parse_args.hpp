// One way every subcommand reads its command line: options plus an optional
// positional FILE, usage errors as exit code 2, --help as exit code 0, and
// CALLDRILL_<OPTION> environment variables beneath the command line.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>

namespace calldrill {

/// Environment variables CALLDRILL_<OPTION> set options (upper case, '-' as
/// '_'): CALLDRILL_SEED=42, CALLDRILL_METRICS_PORT=9465.
inline constexpr const char* env_prefix = "CALLDRILL_";

/// Parses `argv` (argv[0] is the subcommand) against `desc`; when `file` is
/// set, one positional argument is stored there. Returns an exit code when
/// the command should stop here (bad usage, or --help printed), else nullopt.
/// Options the command line leaves out are read from CALLDRILL_<OPTION>;
/// unknown options get a "did you mean" suggestion.
std::optional<int> parse_args(const char* command, int argc, char** argv,
                              const boost::program_options::options_description& desc,
                              boost::program_options::variables_map& vm,
                              std::string* file = nullptr);

} // namespace calldrill
