// The exporter: owns the registry and the HTTP endpoint, and turns live
// views and the verdict into metric values through the kept references.
#include "metrics/exporter.hpp"

#include "metrics/families.hpp"

#include <prometheus/exposer.h>
#include <prometheus/text_serializer.h>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace calldrill {

using namespace metrics_detail;

struct exporter::impl {
  impl(const topology& t, const scenario& s, const std::string& run_id)
    : registry(std::make_shared<prometheus::Registry>()),
      fam(*registry, t, s, run_id),
      start(std::chrono::steady_clock::now()) {}

  std::shared_ptr<prometheus::Registry> registry;
  families fam;
  std::unique_ptr<prometheus::Exposer> exposer;
  in_addr bound{}; ///< the address it listens on
  std::chrono::steady_clock::time_point start;
};

namespace {

/// Each connection holds one HTTP server thread until it is answered or
/// times out: enough threads that idle or slow clients (a browser's spare
/// connections, a scraper that hung) leave one free for Prometheus.
constexpr int http_threads = 16;
/// How long the server waits on a client's read or write before it drops
/// it: an idle connection frees its thread within this.
constexpr int http_request_timeout_ms = 2000;

std::string listen_address(const std::string& bind, std::uint16_t port) {
  bool v6 = bind.find(':') != std::string::npos;
  return (v6 ? "[" + bind + "]" : bind) + ":" + std::to_string(port);
}

/// Why binding `bind:port` fails, found by trying it (the HTTP server only
/// says that it failed).
std::string bind_failure(const std::string& bind, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  in6_addr v6{};
  if (inet_pton(AF_INET6, bind.c_str(), &v6) == 1)
    return "the endpoint listens on IPv4 addresses only (e.g. 127.0.0.1 or "
           "0.0.0.0)";
  if (inet_pton(AF_INET, bind.c_str(), &a.sin_addr) != 1)
    return "not one IPv4 address the endpoint can listen on (e.g. 127.0.0.1 "
           "or 0.0.0.0)";
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return std::strerror(errno);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  std::string why = "the HTTP server could not start";
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    why = errno == EADDRINUSE ? "port " + std::to_string(port) + " is already in use"
                              : std::string{std::strerror(errno)};
  close(fd);
  return why;
}

template <class Binding>
void advance(Binding& b, std::uint64_t now) {
  if (now > b.last) {
    b.metric->Increment(static_cast<double>(now - b.last));
    b.last = now;
  }
}

void publish_cells(families& f, const observations& obs) {
  const auto& cells = obs.cells();
  if (cells.size() != f.topo.pairs.size() * column_count)
    return; // a view without observations (nothing reported yet)
  for (auto& b : f.cells) {
    const auto& row = cells[b.cell];
    auto plus = row[static_cast<std::size_t>(b.plus)];
    auto minus = b.has_minus ? row[static_cast<std::size_t>(b.minus)] : 0;
    advance(b, plus > minus ? plus - minus : 0);
  }
}

void publish_latency(histogram_binding& b, const latency_histogram& now) {
  std::vector<double> increments(now.counts.size(), 0.0);
  bool any = false;
  for (std::size_t i = 0; i < now.counts.size(); ++i)
    if (now.counts[i] > b.last.counts[i]) {
      increments[i] = static_cast<double>(now.counts[i] - b.last.counts[i]);
      any = true;
    }
  if (!any)
    return;
  b.metric->ObserveMultiple(increments, now.sum_s - b.last.sum_s);
  b.last = now;
}

/// Follows replace_pool: a pool slot under a new FQDN gets new series and
/// the retired FQDN's series go away.
void rename_pools(families& f, const std::vector<std::string>& names) {
  for (std::size_t p = 0; p < names.size() && p < f.pools.size(); ++p)
    if (names[p] != f.pools[p].fqdn) {
      f.remove_pool_series(p);
      f.add_pool_series(p, names[p]);
    }
}

void publish_pools(families& f, const actor_snapshot& t) {
  for (const auto& g : t.pools) {
    if (g.pool >= f.pools.size())
      continue;
    auto& ps = f.pools[g.pool];
    ps.up->Set(g.up ? 1 : 0);
    ps.queue_length->Set(static_cast<double>(g.queue_length));
    ps.backlog->Set(static_cast<double>(g.admission_backlog));
  }
  if (t.users_by_mode.size() == f.pools.size() * 3)
    for (std::size_t p = 0; p < f.pools.size(); ++p)
      for (std::size_t m = 0; m < 3; ++m)
        f.pools[p].users[m]->Set(static_cast<double>(t.users_by_mode[p * 3 + m]));
}

void publish_world(families& f, const actor_snapshot& t) {
  for (std::size_t p = 0; p < t.pairs.size() && p < f.pairs.size(); ++p) {
    auto phase = static_cast<std::size_t>(t.pairs[p].phase);
    for (std::size_t ph = 0; ph < pair_phase_count; ++ph)
      f.pairs[p].phase[ph]->Set(ph == phase ? 1 : 0);
    f.pairs[p].phase_index->Set(static_cast<double>(phase));
  }
  for (auto& rs : f.ranges) {
    if (rs.range >= t.orbit_targets.size())
      continue;
    auto target = t.orbit_targets[rs.range];
    std::string label = target < f.pools.size() ? f.pools[target].fqdn : "none";
    if (label == rs.current)
      continue;
    rs.by_pool[rs.current]->Set(0);
    auto& g = rs.by_pool[label];
    if (!g) // a range moves a handful of times per run
      g = &f.range_family->Add(
        {{"range", f.topo.ranges[rs.range].identity}, {"pool", label}});
    g->Set(1);
    rs.current = label;
  }
}

/// Labels the drill actions the view counts (see action_series).
void publish_actions(families& f, const actor_snapshot& t) {
  auto& a = f.actions;
  while (a.next < a.timeline.size()) {
    const auto& act = a.timeline[a.next];
    auto k = static_cast<std::size_t>(act.kind);
    std::string refused;
    if (a.seen[k] >= t.actions[k]) {
      // Not counted yet: either still to come, or refused by the world.
      auto probe = a.truth;
      probe.act(act, act.at, refused);
      if (refused.empty())
        return;
      ++a.next;
      continue;
    }
    auto labels = action_labels(f.topo, a.truth, act);
    a.truth.act(act, act.at, refused);
    ++a.next;
    if (!refused.empty())
      continue;
    ++a.seen[k];
    a.family->Add(labels).Increment();
  }
}

} // namespace

exporter::exporter(const topology& t, const scenario& s, exporter_options opts)
  : impl_(std::make_unique<impl>(t, s, opts.run_id)) {
  if (opts.port == 0)
    return;
  // One IPv4 address, checked here: the HTTP server reads a comma as a list
  // of listeners ("19995,127.0.0.1" opened one on every interface).
  in_addr one{};
  if (inet_pton(AF_INET, opts.bind.c_str(), &one) != 1)
    throw metrics_error("cannot serve metrics on '" + opts.bind + "': "
                        + bind_failure(opts.bind, opts.port));
  char canonical[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &one, canonical, sizeof canonical);
  auto address = listen_address(canonical, opts.port);
  try {
    impl_->exposer = std::make_unique<prometheus::Exposer>(
      std::vector<std::string>{
        "listening_ports", address,
        "num_threads", std::to_string(http_threads),
        "request_timeout_ms", std::to_string(http_request_timeout_ms)});
  } catch (const std::exception&) {
    throw metrics_error("cannot serve metrics on " + address + ": "
                        + bind_failure(opts.bind, opts.port));
  }
  impl_->exposer->RegisterCollectable(impl_->registry);
  impl_->bound = one;
}

namespace {

/// Connects to the endpoint every few milliseconds until `done`: the HTTP
/// server's listener waits up to two seconds between looks at its stop flag
/// unless a connection wakes it, and every run would end two seconds late.
void wake_until(in_addr at, std::uint16_t port, const std::atomic<bool>& done) {
  if (at.s_addr == htonl(INADDR_ANY))
    at.s_addr = htonl(INADDR_LOOPBACK);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr = at;
  while (!done.load()) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
      (void)::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
      ::close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

} // namespace

exporter::~exporter() {
  if (!impl_->exposer)
    return;
  auto at = port();
  std::atomic<bool> done{false};
  std::thread waker{[&] { wake_until(impl_->bound, at, done); }};
  impl_->exposer.reset();
  done = true;
  waker.join();
}

void exporter::publish(const live_view& v) {
  auto& f = impl_->fam;
  const auto& t = v.total;
  publish_cells(f, t.obs);
  advance(f.arrivals, t.arrivals);
  advance(f.messages, t.messages);
  publish_actions(f, t);
  for (std::size_t i = 0; i < latency_count; ++i)
    publish_latency(f.latencies[i], t.latencies[i]);
  f.ringing->Set(static_cast<double>(t.calls_ringing));
  f.established->Set(static_cast<double>(t.calls_established));
  rename_pools(f, t.pool_fqdns);
  publish_pools(f, t);
  publish_world(f, t);
  if (t.obs.pairs() == f.topo.pairs.size())
    f.wait_max->Set(
      static_cast<double>(t.obs.total(counter::registration_wait_max_us)) / 1e6);
  auto sim = to_seconds(v.now);
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                            - impl_->start).count();
  f.simulated_time->Set(sim);
  if (sim > f.simulated_last_s) {
    f.simulated_seconds->Increment(sim - f.simulated_last_s);
    f.simulated_last_s = sim;
  }
  if (wall > 0)
    f.speed->Set(sim / wall);
  f.complete->Set(v.final ? 1 : 0);
}

void exporter::publish_verdict(const verdict& v) {
  auto& f = impl_->fam;
  std::array<std::uint64_t, 3> counts{};
  for (const auto& c : v.checks) {
    auto pair = c.pair.empty() ? std::string{"all"} : c.pair;
    for (auto s : {check_status::pass, check_status::fail,
                   check_status::not_covered})
      f.check_status
        ->Add({{"check", c.id}, {"pair", pair}, {"status", std::string{name(s)}}})
        .Set(s == c.status ? 1 : 0);
    ++counts[static_cast<std::size_t>(c.status)];
  }
  for (auto s : {check_status::pass, check_status::fail,
                 check_status::not_covered})
    f.checks->Add({{"status", std::string{name(s)}}})
      .Set(static_cast<double>(counts[static_cast<std::size_t>(s)]));
  for (auto s : {verdict_status::pass, verdict_status::fail,
                 verdict_status::inconclusive})
    f.verdict->Add({{"status", std::string{name(s)}}})
      .Set(s == v.status() ? 1 : 0);
  for (const auto& fig : v.figures) {
    if (!fig.outage)
      continue;
    auto set = [&](const char* figure, double seconds) {
      if (seconds >= 0)
        f.dr_figure->Add({{"pair", fig.pair}, {"figure", figure}}).Set(seconds);
    };
    set("rto", fig.rto);
    set("time_to_service", fig.time_to_service);
    set("storm_drain", fig.storm_drain);
    set("gcp_restored", fig.gcp_restored);
    set("gcp_down_total", fig.gcp_down_total);
  }
  if (f.clock_lag != nullptr)
    f.clock_lag->Set(v.timing.lag_max);
}

std::string exporter::exposition() const {
  return prometheus::TextSerializer{}.Serialize(impl_->registry->Collect());
}

std::uint16_t exporter::port() const {
  if (!impl_->exposer)
    return 0;
  auto ports = impl_->exposer->GetListeningPorts();
  return ports.empty() ? 0 : static_cast<std::uint16_t>(ports.front());
}

} // namespace calldrill
