// The one interface every output of a run implements: it takes the finished
// run and renders its file. The run command builds the list from its options,
// checks every target before the run and writes them all after it.
#pragma once

#include "model/run_result.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"
#include "oracle/checks.hpp"
#include "oracle/report_json.hpp"
#include "outputs/target.hpp"

#include <memory>
#include <string>
#include <vector>

namespace calldrill {

class series_log;

/// Everything an output may read, once the verdict is in.
struct finished_run {
  const scenario& scn;
  const topology& topo;
  const run_result& result;
  const verdict& checks;
  const report_facts& facts;
  const series_log* series = nullptr; ///< recorded views, when one was kept
};

/// One output format.
class output {
public:
  virtual ~output() = default;
  /// Whether it needs the run's live views recorded (series_log).
  virtual bool needs_series() const { return false; }
  /// The file's whole text.
  virtual std::string render(const finished_run& run) const = 0;
};

std::unique_ptr<output> make_report_output();     ///< --report: JSON
std::unique_ptr<output> make_series_csv_output(); ///< --series FILE: CSV
std::unique_ptr<output> make_series_om_output();  ///< --series FILE.om
std::unique_ptr<output> make_junit_output();      ///< --junit: JUnit XML
std::unique_ptr<output> make_html_output();       ///< --html: one-file report

/// The outputs of one run with their targets.
class output_set {
public:
  /// Adds `o` for `option` (e.g. "--report") at `path`, checking the target
  /// now; returns "" or why it cannot be written (a usage error, exit 2).
  std::string add(const std::string& option, const std::string& path,
                  std::unique_ptr<output> o);

  bool empty() const { return entries_.empty(); }
  /// Whether one output goes to standard output (the summary then goes to
  /// standard error).
  bool uses_stdout() const;
  bool needs_series() const;

  /// Renders and writes every output; returns one line per failure.
  std::vector<std::string> write(const finished_run& run) const;

private:
  struct entry {
    std::string option;
    output_target target;
    std::unique_ptr<output> out;
  };
  std::vector<entry> entries_;
};

} // namespace calldrill
