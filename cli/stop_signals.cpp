// SIGINT/SIGTERM handling (see stop_signals.hpp). The handler only touches an
// atomic flag, unlink() and _exit(), all async-signal-safe.
#include "cli/stop_signals.hpp"

#include "outputs/target.hpp"

#include <csignal>
#include <unistd.h>

namespace calldrill {

namespace {

std::atomic<int> stop_signal{0};

extern "C" void on_stop_signal(int sig) {
  int none = 0;
  if (stop_signal.compare_exchange_strong(none, sig)) {
    const char msg[] = "\ncalldrill: stopping at the current simulated instant "
                       "(again to exit at once)\n";
    auto ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void) ignored;
    return;
  }
  remove_temporaries(); // no half-written output survives
  _exit(128 + stop_signal.load());
}

} // namespace

const std::atomic<int>& install_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return stop_signal;
}

std::string stop_signal_name() {
  switch (stop_signal.load()) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case 0: return "";
    default: return "signal " + std::to_string(stop_signal.load());
  }
}

int stop_exit_code() {
  auto s = stop_signal.load();
  return s == 0 ? 0 : 128 + s;
}

} // namespace calldrill
