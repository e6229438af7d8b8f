// Options and live session for metrics and progress (see metrics_options.hpp).
#include "cli/metrics_options.hpp"

#include "cli/option_values.hpp"
#include "cli/progress.hpp"
#include "metrics/exporter.hpp"

#include <boost/program_options.hpp>

#include <cmath>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace po = boost::program_options;

namespace calldrill {

namespace {

/// Wall seconds between live views in realtime runs.
constexpr double view_period_s = 1.0;
/// Simulated time between live views in virtual runs: still many views per
/// wall second (virtual time runs ~1000 times faster), and a small share of
/// the run's work (see bench/metrics_bench.cpp).
constexpr sim_duration virtual_every = std::chrono::seconds{60};
/// The longest a push may take, and the longest hold.
constexpr std::chrono::seconds push_timeout{10};
constexpr double hold_max_s = 24 * 3600;

} // namespace

po::options_description metrics_options(metrics_args& a) {
  po::options_description o{"live metrics"};
  o.add_options()
    ("metrics-port", whole_value(&a.port, 0, 65535, "--metrics-port", "PORT")
                       ->default_value(whole_arg{9464}, "9464"),
     "serve Prometheus metrics on this port at /metrics during the run "
     "(0: no endpoint)")
    ("metrics-bind", po::value<std::string>(&a.bind)->default_value("127.0.0.1")
                       ->value_name("ADDR"),
     "IPv4 address the metrics endpoint listens on (0.0.0.0: every interface)")
    ("pushgateway", po::value<std::string>(&a.pushgateway)->value_name("URL"),
     "push the final values to this Pushgateway (http://HOST:PORT) at the end")
    ("hold-metrics", real_value(&a.hold_s, 0, hold_max_s, "--hold-metrics",
                                "SECONDS")
                       ->default_value(real_arg{0}, "0"),
     "keep the metrics endpoint up this many wall seconds after the run, so "
     "a scrape catches the final values")
    ("progress", po::bool_switch(&a.progress),
     "print progress (percent, elapsed, ETA) on stderr even when it is not "
     "a terminal (on a terminal it is shown unless --quiet)");
  return o;
}

std::string check_metrics_args(const metrics_args& a) {
  if (a.port > 65535)
    return "--metrics-port: expected 0..65535, got " + std::to_string(a.port);
  if (a.bind.empty())
    return "--metrics-bind: expected an address";
  if (!a.pushgateway.empty()) {
    std::string host;
    std::string port;
    if (auto err = parse_push_url(a.pushgateway, host, port); !err.empty())
      return "--pushgateway: " + err;
  }
  if (!(a.hold_s >= 0) || a.hold_s > hold_max_s)
    return "--hold-metrics: expected 0.." + std::to_string(int(hold_max_s))
           + " seconds";
  if (a.hold_s > 0 && a.port == 0)
    return "--hold-metrics: needs the endpoint, but --metrics-port is 0";
  return {};
}

std::unique_ptr<live_session>
live_session::start(const metrics_args& a, const scenario& s, const topology& t,
                    bool quiet, std::string& error) {
  std::unique_ptr<live_session> ls{new live_session};
  ls->args_ = a;
  ls->quiet_ = quiet;
  ls->realtime_ = s.run.clock == clock_kind::realtime;
  ls->speed_ = s.run.speed;
  ls->start_ = std::chrono::steady_clock::now();
  if (a.port != 0 || !a.pushgateway.empty()) {
    exporter_options opts;
    opts.bind = a.bind;
    opts.port = static_cast<std::uint16_t>(a.port);
    try {
      ls->exporter_ = std::make_unique<exporter>(t, s, opts);
    } catch (const metrics_error& e) {
      std::string why = e.what();
      bool busy = why.find("already in use") != std::string::npos;
      if (!busy || a.port_given) {
        error = why + (busy ? " (choose another --metrics-port, or 0 for no "
                              "endpoint)"
                            : " (see --metrics-bind)");
        return nullptr;
      }
      // The default port is taken (another run?): go on without an endpoint
      // rather than refuse a run nobody asked to expose.
      std::cerr << "calldrill run: warning: " << why
                << "; running without a metrics endpoint (pass "
                   "--metrics-port to choose one)\n";
      ls->args_.port = 0;
      opts.port = 0;
      if (!a.pushgateway.empty())
        ls->exporter_ = std::make_unique<exporter>(t, s, opts);
    }
    if (ls->args_.port != 0 && !quiet)
      std::cout << "metrics: http://" << a.bind << ":" << a.port
                << "/metrics\n";
  }
  // Progress goes to stderr, apart from the results on stdout: on a
  // terminal by default, elsewhere only when asked for with --progress.
  bool terminal = isatty(STDERR_FILENO) != 0;
  if (!quiet && (terminal || a.progress))
    ls->progress_ = std::make_unique<progress>(std::cerr, t, terminal, 10.0,
                                               s.run.duration);
  return ls;
}

live_session::~live_session() = default;

run_hooks live_session::hooks() {
  run_hooks h;
  if (!exporter_ && !progress_)
    return h;
  h.sink = [this](const live_view& v) { on_view(v); };
  h.every = realtime_ ? from_seconds(speed_ * view_period_s) : virtual_every;
  return h;
}

void live_session::on_view(const live_view& v) {
  if (exporter_)
    exporter_->publish(v);
  if (progress_)
    progress_->update(v, std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start_)
                           .count());
}

void live_session::finish(const verdict& v, std::ostream& err) {
  if (!exporter_)
    return;
  exporter_->publish_verdict(v);
  if (args_.pushgateway.empty())
    return;
  if (auto warning = exporter_->push(args_.pushgateway, push_timeout);
      !warning.empty())
    err << "calldrill run: warning: " << warning << "\n";
}

void live_session::hold(std::ostream& out) {
  if (!exporter_ || args_.port == 0 || args_.hold_s <= 0)
    return;
  if (!quiet_)
    out << "metrics: holding http://" << args_.bind << ":" << args_.port
        << "/metrics for " << args_.hold_s << " s\n" << std::flush;
  std::this_thread::sleep_for(std::chrono::duration<double>(args_.hold_s));
}

} // namespace calldrill
