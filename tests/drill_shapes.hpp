// Drills of random shape, for trying the checker on drills nobody wrote: one
// to three DR pairs and maybe a lone pool, first or last; Call Park off here
// and there; CallPark ranges beside GroupPickup ones; spanning groups;
// client timings from a few seconds to minutes; registrars from 1 to 200 a
// second; and per pair a runbook that may blip, restore before completing
// failover, forget its redirects, send a range astray, fail the backup too,
// replace the primary (maybe without Call Park), stop Call Park somewhere,
// never fail back, or go round twice, all at random instants.
// The same seed gives the same drill text.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace calldrill::shapes {

class draw {
public:
  explicit draw(std::uint64_t seed) : rng_(seed) {}
  /// One of `options`, each as likely (engine output only: portable).
  template <class T>
  T one_of(std::initializer_list<T> options) {
    return *(options.begin() + rng_() % options.size());
  }
  /// True with probability `p`.
  bool chance(double p) {
    return static_cast<double>(rng_() % 1'000'000) < p * 1'000'000;
  }

private:
  std::mt19937_64 rng_;
};

inline std::string seconds(long s) { return std::to_string(s) + "s"; }

/// The drill's YAML text for `seed`.
inline std::string drill_of_shape(std::uint64_t seed) {
  draw d{seed};
  int pairs = d.one_of({1, 1, 2, 3});
  bool lone = d.chance(0.4);
  // The lone pool may come first: the pairs are then numbered from one,
  // and no pool's place is twice its pair's number.
  bool lone_first = lone && d.chance(0.5);
  std::size_t first = lone_first ? 1 : 0; // the first pair's first pool
  struct pool {
    std::string fqdn, backup;
    bool owns_range = true, call_park = true;
  };
  std::vector<pool> pools;
  if (lone_first)
    pools.push_back({"fe-lone.shape.test", ""});
  for (int i = 0; i < pairs; ++i) {
    auto a = "fe-" + std::to_string(2 * i) + ".shape.test";
    auto b = "fe-" + std::to_string(2 * i + 1) + ".shape.test";
    pools.push_back({a, b});
    pools.push_back({b, a});
  }
  if (lone && !lone_first)
    pools.push_back({"fe-lone.shape.test", ""});
  std::string y = "name: shape-" + std::to_string(seed) + "\ntopology:\n  pools:\n";
  for (auto& p : pools) {
    p.owns_range = d.chance(0.9);
    p.call_park = !d.chance(0.08);
    y += "    - {fqdn: " + p.fqdn;
    if (!p.backup.empty())
      y += ", backup: " + p.backup;
    if (!p.call_park)
      y += ", call_park: false";
    y += ", users: " + std::to_string(d.one_of({20, 40, 80, 150}));
    y += ", capacity: {registrations_per_second: "
         + std::to_string(d.one_of({1, 3, 20, 200})) + "}";
    if (!p.owns_range)
      y += ", pickup_groups: {size: 0}";
    else if (d.chance(0.2))
      y += std::string{", pickup_groups: {size: "} + d.one_of({"0", "5", "10"})
           + ", share: " + d.one_of({"0.3", "1.0"}) + "}";
    y += "}\n";
  }
  // Range i is gcp-i, numbered *(i+1)00..*(i+1)99, owned by pool i.
  std::vector<std::pair<std::string, std::size_t>> ranges; // identity, owner
  y += "  orbit_ranges:\n";
  for (std::size_t i = 0; i < pools.size(); ++i) {
    auto n = std::to_string(i + 1);
    if (pools[i].owns_range) {
      ranges.emplace_back("gcp-" + std::to_string(i), i);
      y += "    - {identity: gcp-" + std::to_string(i) + ", start: \"*" + n
           + "00\", end: \"*" + n + "99\", type: GroupPickup, "
             "call_park_service: " + pools[i].fqdn + "}\n";
    }
    if (d.chance(0.2))
      y += "    - {identity: park-" + std::to_string(i) + ", start: \""
           + std::to_string(i + 5) + "000\", end: \"" + std::to_string(i + 5)
           + "099\", type: CallPark, call_park_service: " + pools[i].fqdn + "}\n";
  }
  y += std::string{"  pickup_groups: {size: "} + d.one_of({"5", "10", "20"})
       + ", share: " + d.one_of({"0.3", "0.6", "1.0"}) + "}\n";
  if (!ranges.empty() && d.chance(0.3)) {
    const auto& r = ranges[d.one_of<std::size_t>({0, 1, 2, 3}) % ranges.size()];
    auto a = d.one_of<std::size_t>({0, 1, 2, 3, 4, 5, 6}) % pools.size();
    auto b = (a + 1 + d.one_of<std::size_t>({0, 1, 2, 3, 4, 5}) % (pools.size() - 1))
             % pools.size();
    y += "  spanning_groups:\n    - {pools: [" + pools[a].fqdn + ", " + pools[b].fqdn
         + "], size: " + d.one_of({"2", "4", "6"}) + ", count: "
         + d.one_of({"1", "3"}) + ", first_number: \"*"
         + std::to_string(r.second + 1) + "90\"}\n";
  }
  y += "  clients: {failover_interval: " + seconds(d.one_of({10, 30, 60, 120, 300}))
       + ", detect_jitter: " + seconds(d.one_of({0, 5, 30, 60}))
       + ", move_jitter: " + seconds(d.one_of({0, 10, 60, 120}))
       + ", registration_refresh: " + seconds(d.one_of({30, 120, 300})) + "}\n";

  y += "traffic:\n  stages:\n";
  int stages = d.one_of({1, 2, 3});
  for (int k = 0; k < stages; ++k) {
    std::string rate = d.chance(0.2)
                         ? std::string{"busy_hour_call_attempts: "}
                             + d.one_of({"1800", "7200"})
                         : std::string{"calls_per_second: "}
                             + d.one_of({"0.5", "1", "2", "4"});
    if (k + 1 < stages)
      y += "    - {duration: " + seconds(d.one_of({60, 300, 600})) + ", " + rate
           + "}\n";
    else
      y += "    - " + rate + "\n";
  }
  long answer_min = d.one_of({0, 2, 10});
  long pickup_min = d.one_of({0, 3, 20});
  y += std::string{"  answer: {probability: "} + d.one_of({"0.1", "0.3", "0.55", "0.9", "1.0"})
       + ", delay: {min: " + seconds(answer_min) + ", max: "
       + seconds(answer_min + d.one_of({0, 5, 40})) + "}}\n";
  y += std::string{"  pickup: {probability: "} + d.one_of({"0.2", "0.5", "0.9", "1.0"})
       + ", by_member: " + d.one_of({"0.5", "0.9", "1.0"}) + ", delay: {min: "
       + seconds(pickup_min) + ", max: " + seconds(pickup_min + d.one_of({0, 10, 30}))
       + "}}\n";
  y += "  ring_timeout: " + seconds(d.one_of({10, 30, 60})) + "\n";
  y += "  abandon_mean: " + seconds(d.one_of({20, 60, 300})) + "\n";
  y += "  hold_time: {mean: " + seconds(d.one_of({10, 60, 180, 600})) + "}\n";
  if (d.chance(0.1))
    y += "  max_active_calls: " + std::to_string(d.one_of({5, 50})) + "\n";
  if (d.chance(0.3))
    y += std::string{"expect: {pickup_success_ratio_min: "}
         + d.one_of({"0.5", "0.99", "1.0"}) + "}\n";

  long duration = d.one_of({600, 1200, 1800});
  y += "drill:\n";
  if (d.chance(0.3)) {
    y += "  chaos:\n    mode: random\n    outages: " + std::to_string(d.one_of({1, 2, 4}))
         + "\n";
    long ws = d.one_of({60, 180, 300});
    y += "    window: {start: " + seconds(ws) + ", end: "
         + seconds(ws + d.one_of({60, 300, 600})) + "}\n";
    long omin = d.one_of({5, 60, 300});
    y += "    outage_duration: {min: " + seconds(omin) + ", max: "
         + seconds(omin + d.one_of({0, 120, 600})) + "}\n    runbook:\n";
    for (const char* step : {"invoke_failover", "failover_complete", "redirect_ranges",
                             "invoke_failback", "failback_complete", "redirect_back"}) {
      long lo = d.one_of({0, 1, 30, 60, 180});
      y += std::string{"      "} + step + ": {min: " + seconds(lo) + ", max: "
           + seconds(lo + d.one_of({0, 30, 120})) + "}\n";
    }
    y += std::string{"      forget_probability: "} + d.one_of({"0", "0", "0.2", "0.5"})
         + "\n";
  } else {
    std::vector<std::pair<long, std::string>> acts;
    auto act = [&](long at, const std::string& what) { acts.emplace_back(at, what); };
    for (int i = 0; i < pairs; ++i) {
      if (d.chance(0.25))
        continue; // a pair the drill leaves alone
      long t = d.one_of({60, 120, 300});
      int cycles = d.chance(0.8) ? 1 : 2;
      for (int c = 0; c < cycles; ++c) {
        bool first_fails = d.chance(0.5);
        const auto& p = pools[first + 2 * i + (first_fails ? 0 : 1)];
        const auto& q = pools[first + 2 * i + (first_fails ? 1 : 0)];
        auto now_named = p.fqdn;
        act(t, "pool_outage, pool: " + p.fqdn);
        if (d.chance(0.2)) { // a blip
          t += d.one_of({5, 20, 90, 400});
          act(t, "pool_restore, pool: " + p.fqdn);
          t += d.one_of({30, 120});
          continue;
        }
        t += d.one_of({1, 20, 60, 200, 400});
        act(t, "invoke_failover, pool: " + p.fqdn);
        long restored = -1;
        if (d.chance(0.3)) { // back while failover is in progress
          restored = t + d.one_of({1, 30});
          act(restored, "pool_restore, pool: " + p.fqdn);
        }
        if (d.chance(0.1)) { // the backup fails before failover completes
          act(t + 5, "pool_outage, pool: " + q.fqdn);
          act(t + d.one_of({10, 100}), "pool_restore, pool: " + q.fqdn);
          t += 100;
        }
        t = std::max(t + d.one_of({0, 30, 120, 300}), restored);
        act(t, "failover_complete, pool: " + p.fqdn);
        std::vector<std::string> owned;
        for (const auto& [id, owner] : ranges)
          if (pools[owner].fqdn == p.fqdn)
            owned.push_back(id);
        bool redirects = d.chance(0.85);
        if (redirects)
          for (const auto& id : owned) {
            t += d.one_of({0, 10, 60});
            auto target = d.chance(0.95)
                            ? q.fqdn
                            : pools[d.one_of<std::size_t>({0, 1, 2, 3, 4, 5, 6})
                                    % pools.size()].fqdn;
            act(t, "set_orbit, range: " + id + ", pool: " + target);
          }
        if (d.chance(0.15)) { // the backup fails too, and comes back
          t += d.one_of({10, 60, 120});
          act(t, "pool_outage, pool: " + q.fqdn);
          t += d.one_of({10, 60, 120});
          act(t, "pool_restore, pool: " + q.fqdn);
        }
        if (d.chance(0.15))
          break; // the operator never fails back
        if (restored < 0) {
          t += d.one_of({10, 60, 300});
          if (cycles == 1 && d.chance(0.2)) {
            now_named = "fe-new" + std::to_string(2 * i) + ".shape.test";
            act(t, "replace_pool, pool: " + p.fqdn + ", new_fqdn: " + now_named
                     + (d.chance(0.3) ? ", call_park: false" : ""));
          } else {
            act(t, "pool_restore, pool: " + p.fqdn);
          }
        }
        t += d.one_of({0, 10, 60, 200});
        act(t, "invoke_failback, pool: " + now_named);
        t += d.one_of({0, 30, 120, 300});
        act(t, "failback_complete, pool: " + now_named);
        if (d.chance(0.85))
          for (const auto& id : owned) {
            t += d.one_of({0, 10, 60});
            act(t, "set_orbit, range: " + id + ", pool: " + now_named);
          }
        t += d.one_of({30, 120, 300});
      }
    }
    if (d.chance(0.15)) { // Call Park stops somewhere mid-drill
      const auto& p = pools[d.one_of<std::size_t>({0, 1, 2, 3, 4, 5, 6}) % pools.size()];
      if (p.call_park)
        act(d.one_of({90, 250, 500}), "disable_call_park, pool: " + p.fqdn);
    }
    if (lone && d.chance(0.3)) {
      long at = d.one_of({100, 400});
      act(at, "pool_outage, pool: fe-lone.shape.test");
      act(at + d.one_of({30, 300}), "pool_restore, pool: fe-lone.shape.test");
    }
    std::stable_sort(acts.begin(), acts.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (acts.empty()) {
      y += "  timeline: []\n";
    } else {
      y += "  timeline:\n";
      for (const auto& [at, what] : acts)
        y += "    - {at: " + seconds(at) + ", action: " + what + "}\n";
      duration = std::max(duration, acts.back().first + d.one_of({-200L, 60L, 600L}));
    }
  }
  y += "run:\n  duration: " + seconds(std::max(duration, 60L)) + "\n  seed: "
       + std::to_string(seed) + "\n  users_per_host: "
       + std::to_string(d.one_of({7, 50, 1000})) + "\n";
  return y;
}

} // namespace calldrill::shapes
