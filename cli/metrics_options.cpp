// Options and live session for metrics and progress (see metrics_options.hpp).
#include "cli/metrics_options.hpp"

#include "cli/option_values.hpp"
#include "cli/progress.hpp"
#include "metrics/exporter.hpp"

#include <boost/program_options.hpp>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <random>
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
     "push the final values to this Pushgateway at the end "
     "(http(s)://HOST[:PORT][/PATH]), as the group job=calldrill, run=RUN")
    ("push-grouping", po::value<std::vector<std::string>>(&a.push_grouping)
                        ->composing()->value_name("KEY=VALUE"),
     "set a label of the push's grouping key (repeatable), e.g. job=nightly "
     "or env=ci; job and run are there by default")
    ("push-auth-file", po::value<std::string>(&a.push_auth_file)
                         ->value_name("FILE"),
     "basic-auth USER:PASSWORD for the Pushgateway, read from FILE (or from "
     "the environment variable CALLDRILL_PUSH_AUTH; never the command line)")
    ("push-delete-on-start", po::bool_switch(&a.push_delete_on_start),
     "delete the push's group from the Pushgateway when the run starts, so "
     "no stale values of an earlier run stay under the same key")
    ("run-id", po::value<std::string>(&a.run_id)->value_name("ID"),
     "the run's id, the `run` label of every series and of the push "
     "(default: UTC time and a random suffix, printed at the start)")
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

std::string new_run_id() {
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", rd() & 0xffffu);
  auto now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return std::string{stamp} + "-" + suffix;
}

namespace {

bool is_label_name(const std::string& k) {
  if (k.empty() || std::isdigit(static_cast<unsigned char>(k[0])))
    return false;
  for (unsigned char c : k)
    if (!(std::isalnum(c) || c == '_'))
      return false;
  return k.rfind("__", 0) != 0;
}

/// USER:PASSWORD from the auth file or CALLDRILL_PUSH_AUTH; "" or an error.
std::string read_push_auth(metrics_args& a) {
  std::string text;
  std::string from;
  if (!a.push_auth_file.empty()) {
    std::ifstream in{a.push_auth_file};
    if (!in)
      return "--push-auth-file: cannot read '" + a.push_auth_file + "'";
    std::getline(in, text);
    from = "--push-auth-file";
  } else if (const char* env = std::getenv("CALLDRILL_PUSH_AUTH")) {
    text = env;
    from = "CALLDRILL_PUSH_AUTH";
  } else {
    return {};
  }
  if (!text.empty() && text.back() == '\r')
    text.pop_back();
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0)
    return from + ": expected USER:PASSWORD";
  a.push.user = text.substr(0, colon);
  a.push.password = text.substr(colon + 1);
  return {};
}

std::string check_push(metrics_args& a) {
  bool wants_push = !a.push_grouping.empty() || !a.push_auth_file.empty()
                    || a.push_delete_on_start;
  if (a.pushgateway.empty())
    return wants_push ? "--push-grouping, --push-auth-file and "
                        "--push-delete-on-start need --pushgateway"
                      : std::string{};
  std::string base;
  if (auto err = parse_push_url(a.pushgateway, base); !err.empty())
    return "--pushgateway: " + err;
  a.push.url = base;
  a.push.grouping = {{"job", "calldrill"}, {"run", a.run_id}};
  for (const auto& kv : a.push_grouping) {
    auto eq = kv.find('=');
    auto key = kv.substr(0, eq);
    if (eq == std::string::npos || !is_label_name(key))
      return "--push-grouping: expected KEY=VALUE with a label name as KEY, "
             "got '" + kv + "'";
    auto value = kv.substr(eq + 1);
    bool replaced = false;
    for (auto& [k, v] : a.push.grouping)
      if (k == key) {
        v = value;
        replaced = true;
      }
    if (!replaced)
      a.push.grouping.emplace_back(key, value);
  }
  return read_push_auth(a);
}

} // namespace

std::string check_metrics_args(metrics_args& a) {
  if (a.run_id.empty())
    a.run_id = new_run_id();
  if (a.run_id.size() > 64
      || a.run_id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
                                    "opqrstuvwxyz0123456789._-")
           != std::string::npos)
    return "--run-id: expected 1..64 letters, digits, '.', '_' or '-', got '"
           + a.run_id + "'";
  if (a.port > 65535)
    return "--metrics-port: expected 0..65535, got " + std::to_string(a.port);
  if (a.bind.empty())
    return "--metrics-bind: expected an address";
  if (auto err = check_push(a); !err.empty())
    return err;
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
    opts.run_id = a.run_id;
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
    if (ls->args_.port != 0 && !quiet) {
      std::cout << "metrics: http://" << a.bind << ":" << a.port << "/metrics";
      if (!ls->realtime_) // up about a second, one view per simulated minute
        std::cout << " while this virtual run lasts (--hold-metrics S keeps "
                     "it up; --series FILE.om keeps every view)";
      std::cout << std::endl; // shown before the run, even into a pipe
    }
  }
  if (!a.pushgateway.empty() && a.push_delete_on_start)
    if (auto warning = delete_push_group(a.push, push_timeout); !warning.empty())
      std::cerr << "calldrill run: warning: " << warning << "\n";
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
  if (auto warning = exporter_->push(args_.push, push_timeout);
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
