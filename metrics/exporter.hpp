// Prometheus exposition of a run: live views become counters, gauges and
// histograms, the verdict becomes check status, and the final values can be
// pushed to a Pushgateway. No prometheus-cpp in this header.
#pragma once

#include "model/snapshot.hpp"
#include "model/topology.hpp"
#include "oracle/checks.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace calldrill {

/// Thrown when the exposition cannot start (e.g. the port is in use).
class metrics_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct exporter_options {
  std::string bind = "127.0.0.1"; ///< address the HTTP endpoint listens on
  std::uint16_t port = 0;         ///< 0: no HTTP endpoint (push or tests)
  std::string run_id = "run";     ///< the `run` label of every series
};

/// Where a run's final values go: a Pushgateway, the grouping key that names
/// the run's group there (job first), and optional basic-auth credentials.
struct push_target {
  std::string url; ///< http(s)://HOST[:PORT][/PATH]
  std::vector<std::pair<std::string, std::string>> grouping;
  std::string user;
  std::string password;
};

/// Publishes a run's metrics. Every family is built once, in the
/// constructor; publish() only walks kept references. Not thread-safe for
/// publishers (one thread at a time); scrapes run concurrently and safely.
class exporter {
public:
  /// Builds every family for `t` (which must outlive the exporter) and `s`;
  /// throws metrics_error when the endpoint cannot listen.
  exporter(const topology& t, const scenario& s, exporter_options opts);
  ~exporter();

  exporter(const exporter&) = delete;
  exporter& operator=(const exporter&) = delete;

  /// Sets every metric from a merged view. Counters advance by the growth of
  /// the view's cumulative values since the previous view.
  void publish(const live_view& v);

  /// Sets the check status of every check of `v` (once, at the end of a run).
  void publish_verdict(const verdict& v);

  /// The current exposition in the Prometheus text format.
  std::string exposition() const;

  /// Replaces the group `t` names on its Pushgateway with the current
  /// values (PUT); returns "" or a warning saying why it failed. Never takes
  /// longer than `timeout`.
  std::string push(const push_target& t, std::chrono::seconds timeout);

  /// The port the endpoint listens on (0 when there is none).
  std::uint16_t port() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Checks a Pushgateway URL, http(s)://HOST[:PORT][/PATH] (a path prefix
/// is kept, credentials are refused); "" and `base` (normalised) if valid,
/// otherwise why not.
std::string parse_push_url(const std::string& url, std::string& base);

/// The URL of the group `t` names: BASE/metrics/job/J/run/R..., values
/// that are not plain words base64url-encoded (`label@base64/...`).
std::string group_url(const push_target& t);

/// Deletes the group `t` names from its Pushgateway (--push-delete-on-start);
/// "" or a warning.
std::string delete_push_group(const push_target& t, std::chrono::seconds timeout);

} // namespace calldrill
