// A clean stop on SIGINT and SIGTERM: the first asks the run to end at the
// current simulated instant (summary, verdict and outputs still follow); a
// second exits at once, removing any temporary output file first.
#pragma once

#include <atomic>
#include <string>

namespace calldrill {

/// Installs the handlers for the rest of the process; returns the flag they
/// set to the signal's number (run_hooks::stop reads it).
const std::atomic<int>& install_stop_signals();

/// "SIGINT" or "SIGTERM" once a stop was asked for, else "".
std::string stop_signal_name();

/// The exit code a stop asks for: 128 + the signal's number (130, 143), or 0.
int stop_exit_code();

} // namespace calldrill
