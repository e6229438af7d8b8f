// The time series of a run (`--series FILE`): every live view, as the
// metrics endpoint would have served it, kept with its simulated instant and
// written as CSV or as OpenMetrics that promtool loads into Prometheus.
#pragma once

#include "model/snapshot.hpp"
#include "model/topology.hpp"
#include "oracle/checks.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace calldrill {

class exporter;

/// Simulated time 0 in the OpenMetrics file: 2000-01-01T00:00:00Z.
constexpr std::int64_t series_epoch_unix_s = 946684800;

/// The labels every OpenMetrics sample carries on top of the exposition's,
/// as a Prometheus scrape of job "calldrill" would add them.
inline constexpr const char* series_scrape_labels =
  "job=\"calldrill\",instance=\"series\"";

/// Simulated time between recorded views in virtual runs.
constexpr sim_duration series_every_virtual = std::chrono::seconds{15};

/// Every series of every recorded view. Not thread-safe: record() is called
/// on one thread (the run's live sink), the rest after the run.
class series_log {
public:
  struct family {
    std::string name; ///< as exposed (counters end in _total)
    std::string type; ///< counter, gauge, histogram, ...
    std::string help;
  };
  struct point {
    std::int64_t at_ms = 0; ///< simulated milliseconds
    double value = 0;
  };
  struct series {
    std::size_t family = 0;
    std::string name;                         ///< sample name
    std::map<std::string, std::string> labels;
    std::string label_text;                   ///< k="v",... as exposed
    std::vector<point> points;
  };

  /// `run_id` is the `run` label of every series, as on the live endpoint.
  series_log(const topology& t, const scenario& s, const std::string& run_id);
  ~series_log();
  series_log(const series_log&) = delete;
  series_log& operator=(const series_log&) = delete;

  /// Records a live view (the final one is held until finish()).
  void record(const live_view& v);

  /// Records the final view at `end` with the verdict's check status.
  void finish(const verdict& v, sim_duration end);

  const std::vector<family>& families() const { return families_; }
  const std::vector<series>& all() const { return series_; }
  /// Every recorded instant, in order (simulated milliseconds).
  const std::vector<std::int64_t>& instants() const { return instants_; }

  /// One header line, then one row per instant: `seconds` (simulated), then
  /// one column per series named as Prometheus names it.
  std::string csv() const;

  /// OpenMetrics text, one family after another, timestamps in seconds since
  /// the Unix epoch with simulated time 0 at series_epoch_unix_s.
  std::string openmetrics() const;

private:
  void take(std::int64_t at_ms);

  std::unique_ptr<exporter> exporter_;
  std::unique_ptr<live_view> final_;
  std::vector<family> families_;
  std::map<std::string, std::size_t> family_index_;
  std::vector<series> series_;
  std::map<std::string, std::size_t> series_index_; ///< by name{labels}
  std::vector<std::int64_t> instants_;
};

} // namespace calldrill
