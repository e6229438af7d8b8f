// `calldrill run` options for live metrics, Pushgateway, hold and progress,
// and the live session that serves them around one run. Keeps these out of
// run_command.cpp, which only adds the options and calls the session.
#pragma once

#include "actors/run.hpp"
#include "oracle/checks.hpp"

#include <boost/program_options/options_description.hpp>

#include <iosfwd>
#include <memory>
#include <string>

namespace calldrill {

class exporter;
class progress;

struct metrics_args {
  unsigned port = 9464;           ///< 0: no endpoint
  bool port_given = false;        ///< --metrics-port was on the command line
  std::string bind = "127.0.0.1";
  std::string pushgateway;        ///< push final values here, if set
  double hold_s = 0;              ///< keep the endpoint up after the run
  bool progress = false;          ///< progress on stderr even off a terminal
};

/// The options of `a`, to add to the command's description.
boost::program_options::options_description metrics_options(metrics_args& a);

/// Checks the parsed options; "" or what is wrong (usage error).
std::string check_metrics_args(const metrics_args& a);

/// The endpoint, progress and push of one run.
class live_session {
public:
  /// Starts the endpoint (unless disabled) and progress (realtime, unless
  /// quiet). Returns nullptr and sets `error` when the endpoint cannot
  /// listen (e.g. the port is in use).
  static std::unique_ptr<live_session>
  start(const metrics_args& a, const scenario& s, const topology& t,
        bool quiet, std::string& error);

  ~live_session();

  /// Hooks for run_scenario: the sink and how often (simulated) it runs.
  run_hooks hooks();

  /// After the run: publishes the verdict and pushes the final values
  /// (a failed push is a warning on `err`).
  void finish(const verdict& v, std::ostream& err);

  /// Keeps the endpoint up --hold-metrics seconds (a real wait).
  void hold(std::ostream& out);

private:
  live_session() = default;
  void on_view(const live_view& v);

  metrics_args args_;
  bool quiet_ = false;
  bool realtime_ = false;
  double speed_ = 1;
  std::unique_ptr<exporter> exporter_;
  std::unique_ptr<progress> progress_;
  std::chrono::steady_clock::time_point start_;
};

} // namespace calldrill
