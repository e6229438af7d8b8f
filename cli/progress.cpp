// Progress lines from live views (see progress.hpp).
#include "cli/progress.hpp"

#include "cli/human_format.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace calldrill {

namespace {

std::string clock_text(sim_duration d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld",
                static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60),
                static_cast<long long>(s % 60));
  return buf;
}

/// The phase of every DR pair (pairs with two pools); the pair's name only
/// when there are several.
std::string phases(const topology& t, const actor_snapshot& s) {
  std::vector<std::string> out;
  for (std::size_t p = 0; p < t.pairs.size() && p < s.pairs.size(); ++p)
    if (t.pairs[p].b != no_pool)
      out.push_back(std::string{name(s.pairs[p].phase)} + " "
                    + t.pairs[p].name);
  if (out.empty())
    return "no DR pair";
  if (out.size() == 1)
    return out.front().substr(0, out.front().find(' '));
  std::string joined;
  for (const auto& o : out)
    joined += (joined.empty() ? "" : ", ") + o;
  return joined;
}

} // namespace

progress::progress(std::ostream& out, const topology& t, bool terminal,
                   double period_s, sim_duration total)
  : out_(out), topo_(t), terminal_(terminal), period_s_(period_s),
    total_(total) {}

std::string progress::timing(sim_duration now, sim_duration total,
                             double wall_s) {
  if (total.count() <= 0)
    return {};
  auto done = std::min(1.0, to_seconds(now) / to_seconds(total));
  std::ostringstream o;
  o << static_cast<int>(done * 100) << "% | elapsed " << human_seconds(wall_s);
  if (done >= 1)
    o << " | done";
  else if (done > 0)
    o << " | ETA " << human_seconds(wall_s * (1 - done) / done);
  else
    o << " | ETA ?";
  return o.str();
}

std::string progress::line(const topology& t, const live_view& v) {
  const auto& s = v.total;
  std::uint64_t failed = 0;
  for (std::size_t r = 1; r < pickup_result_count; ++r)
    failed += s.obs.total(pickup_counter(static_cast<pickup_result>(r)));
  std::ostringstream o;
  o << clock_text(v.now) << " " << phases(t, s) << " | calls active "
    << s.calls_ringing + s.calls_established << " (ringing "
    << s.calls_ringing << ") | pickups ok "
    << s.obs.total(counter::pickup_ok) << " failed " << failed
    << " | established dropped " << s.obs.total(counter::established_dropped);
  return o.str();
}

void progress::update(const live_view& v, double wall_s) {
  auto text = line(topo_, v);
  auto t = timing(v.now, total_, wall_s);
  if (!t.empty())
    text = t + " | " + text;
  if (terminal_) {
    // A fast (virtual) run sends many views a second: redraw ten times a
    // second at most, and always the last.
    if (!v.final && last_s_ >= 0 && wall_s - last_s_ < 0.1)
      return;
    last_s_ = wall_s;
    out_ << "\r\033[K" << text << (v.final ? "\n" : "") << std::flush;
    return;
  }
  if (!v.final && last_s_ >= 0 && wall_s - last_s_ < period_s_)
    return;
  last_s_ = wall_s;
  out_ << "progress: " << text << "\n" << std::flush;
}

} // namespace calldrill
