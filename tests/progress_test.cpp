// Live progress: one line rewritten in place on a terminal, periodic plain
// lines otherwise, each saying phase, time, calls, pickups and drops.
#include "cli/progress.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace calldrill {
namespace {

struct fixture {
  scenario scn = testing::small_drill();
  std::shared_ptr<const topology> topo = build_topology(scn).topo;

  live_view view(std::chrono::seconds at, pair_phase phase) const {
    live_view v;
    v.now = at;
    v.total.obs = observations{topo->pairs.size()};
    v.total.obs.add(0, column::failover_during, counter::pickup_ok, 7);
    v.total.obs.add(0, column::failover_during,
                    counter::pickup_picker_in_resiliency, 2);
    v.total.obs.add(1, column::normal, counter::pickup_no_call_ringing, 1);
    v.total.obs.add(0, column::failover_during, counter::established_dropped, 0);
    v.total.calls_ringing = 4;
    v.total.calls_established = 30;
    v.total.pairs.resize(topo->pairs.size());
    v.total.pairs[0].phase = phase;
    return v;
  }
};

TEST(Progress, LineSaysPhaseTimeCallsPickupsAndDrops) {
  fixture f;
  auto line = progress::line(
    *f.topo, f.view(std::chrono::seconds{3723}, pair_phase::failover_in_progress));
  EXPECT_EQ(line, "01:02:03 failover_in_progress | calls active 34 (ringing 4) "
                  "| pickups ok 7 failed 3 | established dropped 0");
}

TEST(Progress, TerminalRewritesOneLineAndEndsItAtTheEnd) {
  fixture f;
  std::ostringstream out;
  progress p{out, *f.topo, true};
  p.update(f.view(std::chrono::seconds{60}, pair_phase::normal), 1);
  p.update(f.view(std::chrono::seconds{120}, pair_phase::primary_outage), 2);
  EXPECT_EQ(out.str().find('\n'), std::string::npos);
  EXPECT_NE(out.str().find("\r\033[K00:02:00 primary_outage"), std::string::npos);
  auto last = f.view(std::chrono::seconds{180}, pair_phase::primary_outage);
  last.final = true;
  p.update(last, 3);
  EXPECT_EQ(out.str().back(), '\n');
}

TEST(Progress, PlainOutputPrintsAPeriodicLineAndTheLast) {
  fixture f;
  std::ostringstream out;
  progress p{out, *f.topo, false, 10};
  for (int wall = 0; wall <= 25; ++wall)
    p.update(f.view(std::chrono::seconds{wall * 60}, pair_phase::normal), wall);
  auto last = f.view(std::chrono::seconds{26 * 60}, pair_phase::normal);
  last.final = true;
  p.update(last, 26);
  auto text = out.str();
  EXPECT_EQ(text.find('\r'), std::string::npos);
  std::size_t lines = 0;
  for (char c : text)
    lines += c == '\n';
  EXPECT_EQ(lines, 4u) << text; // at 0, 10 and 20 wall seconds, and the last
  EXPECT_NE(text.find("progress: 00:26:00 normal"), std::string::npos) << text;
}

} // namespace
} // namespace calldrill
