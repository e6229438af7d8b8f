// `calldrill run` options for what a run leaves behind (--report, --series,
// --html, --junit), their targets checked before the run, the series sink
// composed into the run's hooks, and the facts every output reports.
#pragma once

#include "actors/run.hpp"
#include "oracle/report_json.hpp"
#include "outputs/output.hpp"
#include "outputs/series.hpp"

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include <memory>
#include <string>

namespace calldrill {

struct output_args {
  std::string report, series, html, junit;
};

/// The options of `a`, to add to the command's description.
boost::program_options::options_description output_options(output_args& a);

/// The outputs asked for, their targets checked now (before the run).
/// Returns "" or the usage error (exit 2).
std::string plan_outputs(const output_args& a,
                         const boost::program_options::variables_map& vm,
                         output_set& out);

/// Records the run's views for the outputs that need them: adds a series sink
/// to `hooks` (keeping any sink already there) and returns the log, or
/// nullptr when no output needs it.
std::unique_ptr<series_log> record_series(const output_set& outs,
                                          const scenario& s, const topology& t,
                                          const std::string& run_id,
                                          run_hooks& hooks);

/// The hash of what defines the scenario played: the file's bytes, the
/// built-in default drill's YAML, or the workload's name.
std::string scenario_hash(const std::string& file, const std::string& workload);

/// The wall clock now, UTC, RFC 3339 (e.g. 2026-11-28T03:20:38Z).
std::string utc_now_rfc3339();

} // namespace calldrill
