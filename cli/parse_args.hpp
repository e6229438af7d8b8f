// One way every subcommand reads its command line: options plus an optional
// positional FILE, usage errors as exit code 2, --help as exit code 0.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <string>

namespace calldrill {

/// Parses `argv` (argv[0] is the subcommand) against `desc`; when `file` is
/// set, one positional argument is stored there. Returns an exit code when
/// the command should stop here (bad usage, or --help printed), else nullopt.
std::optional<int> parse_args(const char* command, int argc, char** argv,
                              const boost::program_options::options_description& desc,
                              boost::program_options::variables_map& vm,
                              std::string* file = nullptr);

} // namespace calldrill
