// The history's bounds at the instants of the run's live views (the series,
// the metrics endpoint): what the live counters may read mid-run, so a
// counter wrong only while the run goes on, or a gauge that recovers by the
// end, still disagrees with the history.
#include "checker/replay.hpp"

#include <limits>
#include <tuple>

namespace calldrill::checking {

void replay::live_advance(sim_duration at) {
  // A view at `next_live`: the facts before it are all in.
  while (live_judge && next_live <= at) {
    live_sample s;
    s.index = live_index++;
    s.b.at = next_live;
    s.b.cells = counts.cells;
    s.b.arrivals_lo = arrivals_so_far();
    s.b.latencies_lo = counts.latencies;
    live_pending.push_back(std::move(s));
    next_live += live_every;
  }
  for (auto& s : live_pending) {
    if (s.hi_taken || s.b.at >= at)
      continue;
    // Every fact through its instant is in, and what its actors counted at
    // a change of column is filed.
    s.hi_taken = true;
    for (std::size_t i = 0; i < s.b.cells.size(); ++i)
      s.b.cells[i].hi = counts.cells[i].hi;
    s.b.latencies_hi = counts.latencies;
    s.b.latencies_known = counts.latencies_known;
    // Gauges: what they read through the instant, if facts fell in it.
    bool moved = current == s.b.at;
    auto read = [&](const instant_gauge& g) {
      return moved ? g.within() : std::make_pair(g.now, g.now);
    };
    std::tie(s.b.ringing_lo, s.b.ringing_hi) = read(ringing_gauge);
    std::tie(s.b.established_lo, s.b.established_hi) = read(established_gauge);
    auto read_all = [&](const std::vector<instant_gauge>& gs,
                        std::vector<std::uint64_t>& lo,
                        std::vector<std::uint64_t>& hi) {
      lo.clear();
      hi.clear();
      for (const auto& g : gs) {
        auto [l, h] = read(g);
        lo.push_back(l);
        hi.push_back(h);
      }
    };
    read_all(queued_gauge, s.b.queued_lo, s.b.queued_hi);
    read_all(backlog_gauge, s.b.backlog_lo, s.b.backlog_hi);
    read_all(up_gauge, s.b.up_lo, s.b.up_hi);
    if (s.index % live_users_every == 0 && rep.latest_change() != s.b.at)
      users_gauge(s.b.users_lo, s.b.users_hi,
                  touched_instant == s.b.at ? touched_users : std::vector<user_id>{});
  }
  while (!live_pending.empty() && live_pending.front().hi_taken
         && live_pending.front().b.at + live_ahead < at) {
    auto& s = live_pending.front();
    s.b.arrivals_hi = arrivals_so_far();
    live_judge(s.b);
    live_pending.pop_front();
  }
}

void replay::live_finish() {
  // Views the run's end overtook: the generator may have handed out
  // arrivals due after the end, which no host ever started.
  for (auto& s : live_pending)
    if (s.hi_taken) {
      s.b.arrivals_hi = std::numeric_limits<std::uint64_t>::max();
      live_judge(s.b);
    }
  live_pending.clear();
}

void replay::users_gauge(std::vector<std::uint64_t>& lo,
                         std::vector<std::uint64_t>& hi,
                         std::vector<user_id> uncertain) const {
  const auto& w = rep.now();
  lo.assign(topo.pools.size() * 3, 0);
  auto cell = [&](user_id u) {
    auto serving = rep.serving(w, u);
    auto mode = rep.mode(w, u, serving);
    auto pool = mode == user_mode::unregistered ? rep.home_of(u) : serving;
    return pool * 3u + static_cast<unsigned>(mode);
  };
  for (user_id u = 0; u < topo.user_count(); ++u)
    ++lo[cell(u)];
  hi = lo;
  std::sort(uncertain.begin(), uncertain.end());
  uncertain.erase(std::unique(uncertain.begin(), uncertain.end()), uncertain.end());
  for (auto u : uncertain)
    --lo[cell(u)];
  for (auto& n : hi)
    n += uncertain.size();
}

} // namespace calldrill::checking
