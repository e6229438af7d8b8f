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

namespace calldrill {

/// Thrown when the exposition cannot start (e.g. the port is in use).
class metrics_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct exporter_options {
  std::string bind = "127.0.0.1"; ///< address the HTTP endpoint listens on
  std::uint16_t port = 0;         ///< 0: no HTTP endpoint (push or tests)
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

  /// Pushes the current values to a Pushgateway at `url`
  /// (http://host[:port]); returns "" or a warning saying why it failed.
  /// Never takes longer than `timeout`.
  std::string push(const std::string& url, std::chrono::seconds timeout);

  /// The port the endpoint listens on (0 when there is none).
  std::uint16_t port() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Parses a Pushgateway URL into host ("http://h") and port; "" if valid,
/// otherwise why not.
std::string parse_push_url(const std::string& url, std::string& host,
                           std::string& port);

} // namespace calldrill
