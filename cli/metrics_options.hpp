// `calldrill run` options for live metrics, Pushgateway, hold and progress,
// and the live session that serves them around one run. Keeps these out of
// run_command.cpp, which only adds the options and calls the session.
#pragma once

#include "actors/run.hpp"
#include "metrics/exporter.hpp"
#include "oracle/checks.hpp"

#include <boost/program_options/options_description.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace calldrill {

class exporter;
class progress;

struct metrics_args {
  unsigned port = 9464;           ///< 0: no endpoint
  bool port_given = false;        ///< --metrics-port was on the command line
  std::string bind = "127.0.0.1";
  std::string pushgateway;        ///< push final values here, if set
  std::vector<std::string> push_grouping; ///< KEY=VALUE over job and run
  std::string push_auth_file;     ///< USER:PASSWORD for basic auth
  bool push_delete_on_start = false;
  std::string run_id;             ///< the `run` label; drawn when empty
  push_target push;               ///< filled by check_metrics_args
  double hold_s = 0;              ///< keep the endpoint up after the run
  bool progress = false;          ///< progress on stderr even off a terminal
};

/// The options of `a`, to add to the command's description.
boost::program_options::options_description metrics_options(metrics_args& a);

/// Checks the parsed options and completes them: draws the run id when
/// none was given, reads the push credentials (--push-auth-file or the
/// CALLDRILL_PUSH_AUTH variable) and builds the push target. "" or what is
/// wrong (a usage error).
std::string check_metrics_args(metrics_args& a);

/// A new run id: UTC time and a random suffix, e.g. 20261128T033326Z-5f3a.
std::string new_run_id();

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
