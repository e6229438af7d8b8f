// The subcommands of the calldrill executable.
#pragma once

namespace calldrill {

/// `calldrill run [FILE] [options]`; argv[0] is "run".
int run_command(int argc, char** argv);

/// `calldrill bench [options]`; argv[0] is "bench".
int bench_command(int argc, char** argv);

/// `calldrill validate FILE`; argv[0] is "validate".
int validate_command(int argc, char** argv);

/// `calldrill list`: the scenario library, one line each; argv[0] is "list".
int list_command(int argc, char** argv);

/// `calldrill check FILE`; argv[0] is "check".
int check_command(int argc, char** argv);

} // namespace calldrill
