// The memory estimate of a run (see budget.hpp). Unit costs were measured on
// the release build (peak RSS over runs that vary one factor) and rounded up.
#include "scenarios/budget.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace calldrill {

namespace {

constexpr std::uint64_t mib = 1 << 20;
/// The process with an empty drill: code, the actor framework, the metrics
/// endpoint (measured 14 MiB).
constexpr std::uint64_t base_bytes = 32 * mib;
/// Per user: topology rows, client state in its host, the checker's replica
/// of who is registered where (measured ~96 B beyond the registrar bits
/// between 2 M and 6 M users, enterprise workload).
constexpr std::uint64_t user_bytes = 112;
/// Per group: number text, queue slot (measured ~20 B beyond a user's).
constexpr std::uint64_t group_bytes = 96;
/// Per actor: mailbox, state and a host's calendar queue of 1,024 buckets
/// (measured 28.5 KiB per host with one user per host).
constexpr std::uint64_t actor_bytes = 32 * 1024;
/// Realtime hosts keep up to 20,000 arrival-lag samples of 8 bytes.
constexpr std::uint64_t realtime_host_bytes = 160 * 1024;
/// Per call alive at once (measured ~160 B).
constexpr std::uint64_t call_bytes = 256;
/// The run's history is streamed to its consumer through a bounded buffer.
constexpr std::uint64_t history_bytes = 64 * mib;

/// Calls alive at once: Little's law at the peak rate, with a quarter more
/// for the swing (a call rings at most a ring timeout; answered calls then
/// hold), at most the active-call limit.
std::uint64_t calls_alive(const scenario& s) {
  double peak = 0;
  for (const auto& st : s.traffic.stages)
    peak = std::max(peak, st.rate_per_second);
  const auto& t = s.traffic;
  auto life = to_seconds(t.ring_timeout)
              + t.answer_probability * to_seconds(t.hold_mean);
  auto alive = 1.25 * peak * life + 1000.0;
  return static_cast<std::uint64_t>(
    std::min(alive, static_cast<double>(t.max_active_calls)));
}

std::uint64_t cgroup_limit() {
  std::ifstream in{"/sys/fs/cgroup/memory.max"};
  std::string text;
  if (!(in >> text) || text.empty()
      || !std::all_of(text.begin(), text.end(),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return 0;
  return std::stoull(text);
}

} // namespace

std::uint64_t scenario_users(const scenario& s) {
  std::uint64_t users = 0;
  for (const auto& p : s.pools)
    users += p.users;
  return users;
}

std::uint64_t scenario_groups(const scenario& s) {
  std::uint64_t groups = 0;
  for (const auto& g : s.spanning_groups)
    groups += g.count;
  for (const auto& p : s.pools) {
    const auto& g = p.grouping ? *p.grouping : s.grouping;
    if (g.group_size == 0)
      continue;
    auto grouped = static_cast<std::uint64_t>(
      std::llround(std::clamp(g.share_in_groups, 0.0, 1.0) * p.users));
    groups += (grouped + g.group_size - 1) / g.group_size;
  }
  return groups;
}

memory_estimate estimate_memory(const scenario& s) {
  memory_estimate e;
  auto users = scenario_users(s);
  auto per_host = users_per_host(s.run, users);
  auto hosts = (users + per_host - 1) / per_host;
  e.base = base_bytes;
  // Each pool's registrar keeps one bit per user of the topology.
  e.users = users * user_bytes + users * s.pools.size() / 8;
  e.groups = scenario_groups(s) * group_bytes;
  e.hosts = (hosts + s.pools.size() + 3) * actor_bytes;
  if (s.run.partition_by_pair && s.run.clock == clock_kind::virtual_time) {
    // The plan's two words per user; up to a host more and a driver,
    // generator and controller per pair (model/partitions.hpp).
    e.users += users * 8;
    e.hosts += s.pools.size() * 4 * actor_bytes;
  }
  if (s.run.clock == clock_kind::realtime)
    e.hosts += hosts * realtime_host_bytes;
  e.calls = calls_alive(s) * call_bytes;
  e.history = history_bytes;
  return e;
}

std::uint64_t machine_memory_bytes() {
  auto pages = sysconf(_SC_PHYS_PAGES);
  auto page = sysconf(_SC_PAGESIZE);
  std::uint64_t physical = pages > 0 && page > 0
                             ? static_cast<std::uint64_t>(pages)
                                 * static_cast<std::uint64_t>(page)
                             : 0;
  auto limit = cgroup_limit();
  if (limit > 0 && (physical == 0 || limit < physical))
    return limit;
  return physical;
}

std::string hosts_problem(const scenario& s) {
  auto users = scenario_users(s);
  auto per_host = users_per_host(s.run, users);
  auto hosts = (users + per_host - 1) / per_host;
  if (hosts <= client_hosts_max)
    return {};
  auto least = (users + client_hosts_max - 1) / client_hosts_max;
  return "users_per_host " + std::to_string(per_host) + " puts "
         + std::to_string(users) + " users in " + std::to_string(hosts)
         + " client hosts, more than the " + std::to_string(client_hosts_max)
         + " a run can address: set run.users_per_host (or --users-per-host) "
           "to at least " + std::to_string(least);
}

std::string memory_problem(const scenario& s, std::uint64_t budget_bytes) {
  auto e = estimate_memory(s);
  if (budget_bytes == 0 || e.total() <= budget_bytes)
    return {};
  std::string why = "needs about " + format_size(e.total())
                    + " of memory, more than its budget of "
                    + format_size(budget_bytes) + " (program "
                    + format_size(e.base) + ", users "
                    + format_size(e.users) + ", groups " + format_size(e.groups)
                    + ", actors " + format_size(e.hosts) + ", calls alive "
                    + format_size(e.calls) + ", history "
                    + format_size(e.history) + ")";
  if (e.hosts > e.total() / 2)
    why += "; fewer, larger hosts (users_per_host) need far less";
  return why;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t value = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (value > (UINT64_MAX - digit) / 10)
      return std::nullopt;
    value = value * 10 + digit;
    ++i;
  }
  if (i == 0)
    return std::nullopt;
  auto unit = text.substr(i);
  static constexpr std::pair<const char*, int> units[] = {
    {"", 0}, {"B", 0}, {"K", 10}, {"KiB", 10}, {"M", 20}, {"MiB", 20},
    {"G", 30}, {"GiB", 30}, {"T", 40}, {"TiB", 40}};
  for (const auto& [name, shift] : units)
    if (unit == name) {
      if (shift > 0 && value > (UINT64_MAX >> shift))
        return std::nullopt;
      return value << shift;
    }
  return std::nullopt;
}

std::string format_size(std::uint64_t bytes) {
  char buf[32];
  if (bytes >= (std::uint64_t{1} << 30))
    std::snprintf(buf, sizeof buf, "%.1f GiB",
                  static_cast<double>(bytes) / static_cast<double>(1 << 30));
  else
    std::snprintf(buf, sizeof buf, "%.0f MiB",
                  std::ceil(static_cast<double>(bytes) / static_cast<double>(mib)));
  return buf;
}

} // namespace calldrill
