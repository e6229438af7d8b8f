// `calldrill check FILE` on the built binary: a stored history gets a
// verdict; a truncated, corrupt, future-version, foreign or empty file gets
// exit 2 and `calldrill check: FILE: offset N: what`, never a verdict.
#include "cli_support.hpp"
#include "history/fact_bounds.hpp"
#include "history_samples.hpp"
#include "scenarios/loader.hpp"

#include <gtest/gtest.h>

#include <random>
#include <sys/stat.h>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

std::string library(const std::string& name) {
  return std::string{CALLDRILL_SOURCE_DIR} + "/scenarios/" + name + ".yaml";
}

/// The metadata of a run of the failover-failback drill, seed 7.
history_meta sample_meta() {
  history_meta m;
  m.source = history_source::yaml;
  m.scenario = "failover-failback";
  m.scenario_file = library("failover-failback");
  m.scenario_yaml = slurp(m.scenario_file);
  m.seed = 7;
  return m;
}

/// A history of the failover-failback drill (made-up facts that fit its
/// topology, not a real run).
std::string sample_history(const temp_dir& dir, std::uint64_t facts = 40) {
  auto path = dir.path + "/good.history";
  EXPECT_EQ(write_sample(path, sample_meta(), facts, fitting_fact), "");
  return path;
}

/// Exit 2, no verdict, and stderr is `calldrill check: FILE: offset N: `
/// followed by `words`.
void refused(const cli_result& r, const std::string& file, std::uint64_t offset,
             const std::string& words) {
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  auto head = "calldrill check: " + file + ": offset " + std::to_string(offset)
              + ": ";
  EXPECT_EQ(r.err.rfind(head, 0), 0u) << r.err << "(expected " << head << ")";
  EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("verdict:"), std::string::npos) << r.out;
}

cli_result check_bytes(const std::string& path, const std::string& bytes) {
  spill(path, bytes);
  return run_cli({"check", path});
}

} // namespace

TEST(CliCheck, MadeUpFactsGetAVerdictNotACrash) {
  temp_dir dir;
  auto path = sample_history(dir);
  auto r = run_cli({"check", path});
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("seed: 7\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("history: " + path + ", 40 facts"), std::string::npos);
  EXPECT_NE(r.out.find("scenario: failover-failback"), std::string::npos);
  EXPECT_NE(r.out.find(r.code == 0 ? "verdict: PASS (seed 7)"
                                   : "verdict: FAIL (seed 7)\nreplay: calldrill run "
                                       + library("failover-failback") + " --seed 7"),
            std::string::npos)
    << r.out;
}

TEST(CliCheck, AFactOutsideTheTopologyExitsTwoBeforeTheChecker) {
  temp_dir dir;
  auto b = slurp(sample_history(dir));
  auto facts = facts_offset(b);
  auto bad = dir.path + "/misfit.history";
  for (int field : {0, 1}) {
    // Rewrite fact 6 as pool_down of pool 999, or reg_admitted of user 10^9.
    fact f = fitting_fact(6, 40);
    f.kind = field == 0 ? fact_kind::pool_down : fact_kind::reg_admitted;
    f.pool = field == 0 ? 999 : 0;
    f.user = field == 0 ? 0 : 1000000000;
    ASSERT_EQ(write_sample(bad, sample_meta(), 40, [&](std::uint64_t i, std::uint64_t n) {
                return i == 6 ? f : fitting_fact(i, n);
              }), "");
    refused(run_cli({"check", bad}), bad, facts + 48 * 6,
            field == 0 ? "corrupt: a pool_down fact that does not fit the run's "
                         "topology: pool 999 is not a pool"
                       : "user 1000000000 is not a user");
  }
}

TEST(CliCheck, RandomFactsInsideTheTopologyGetAVerdictNeverACrash) {
  auto l = load_scenario_file(library("failover-failback"));
  ASSERT_TRUE(l.ok());
  const auto& t = *l.topo;
  temp_dir dir;
  auto path = dir.path + "/random.history";
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    std::mt19937_64 rng{seed};
    auto pick = [&](std::size_t n) { return rng() % std::max<std::size_t>(n, 1); };
    auto make = [&](std::uint64_t i, std::uint64_t n) {
      fact f;
      f.at = sim_duration{static_cast<std::int64_t>(i) * 1'000'000};
      if (i + 1 == n) {
        f.kind = fact_kind::run_end;
        return f;
      }
      do { // any fact whose ids exist, in any order: a crafted file
        f.kind = static_cast<fact_kind>(pick(fact_kind_count));
        f.id = pick(20) + 1;
        f.ref = pick(20);
        f.value = pick(3) == 0 ? -5 : static_cast<std::int64_t>(pick(100'000'000));
        f.user = static_cast<user_id>(pick(t.user_count()));
        f.group = pick(5) == 0 ? no_group : static_cast<std::uint32_t>(pick(t.groups.size()));
        if (f.kind == fact_kind::pair_phase)
          f.group = static_cast<std::uint32_t>(pick(t.pairs.size()));
        if (f.kind == fact_kind::orbit_set)
          f.group = static_cast<std::uint32_t>(pick(t.ranges.size()));
        f.pool = pick(4) == 0 ? no_pool : static_cast<pool_id>(pick(t.pools.size()));
        f.pool2 = pick(4) == 0 ? no_pool : static_cast<pool_id>(pick(t.pools.size()));
        f.code = static_cast<std::uint8_t>(pick(10));
      } while (!out_of_bounds(f, t).empty());
      return f;
    };
    ASSERT_EQ(write_sample(path, sample_meta(), 1500, make), "");
    auto r = run_cli({"check", "--quiet", path});
    EXPECT_TRUE(r.code == 0 || r.code == 1) << "seed " << seed << ": " << r.err;
  }
}

TEST(CliCheck, TruncatedHistoriesExitTwoWithTheOffset) {
  temp_dir dir;
  auto b = slurp(sample_history(dir));
  auto facts = facts_offset(b);
  auto bad = dir.path + "/cut.history";
  refused(check_bytes(bad, b.substr(0, 5)), bad, 5, "truncated");
  refused(check_bytes(bad, b.substr(0, 20)), bad, 20, "truncated");
  refused(check_bytes(bad, b.substr(0, 100)), bad, 100,
          "truncated: the file ends inside its metadata");
  refused(check_bytes(bad, b.substr(0, facts + 48 * 7 + 30)), bad,
          facts + 48 * 7 + 30, "30 bytes into the fact at offset "
                                  + std::to_string(facts + 48 * 7));
  refused(check_bytes(bad, b.substr(0, facts + 48 * 7)), bad, facts + 48 * 7,
          "truncated: no trailer after 7 facts");
  refused(check_bytes(bad, b.substr(0, b.size() - 1)), bad, b.size() - 1,
          "truncated");
  refused(check_bytes(bad, b.substr(0, b.size() - 24)), bad, b.size() - 24,
          "truncated: no trailer after 40 facts");
}

TEST(CliCheck, FlippedByteInAFactExitsTwo) {
  temp_dir dir;
  auto b = slurp(sample_history(dir));
  auto facts = facts_offset(b);
  auto bad = dir.path + "/flip.history";
  auto value = b;
  value[facts + 48 * 5 + 26] ^= 0x04; // a fact's value
  refused(check_bytes(bad, value), bad, b.size() - 8,
          "corrupt: the facts do not match the trailer's checksum");
  auto kind = b;
  kind[facts + 48 * 5 + 44] = 0x7f; // a fact's kind
  refused(check_bytes(bad, kind), bad, facts + 48 * 5,
          "corrupt: unknown fact kind 127");
}

TEST(CliCheck, FutureVersionExitsTwo) {
  temp_dir dir;
  auto b = slurp(sample_history(dir));
  b[8] = 3;
  auto bad = dir.path + "/future.history";
  refused(check_bytes(bad, b), bad, 8,
          "written by a newer calldrill: format version 3, this one reads up to 2");
}

// Format version 1 is version 2 without call_refused facts: its files are
// still checked, and a call_refused fact in one is corruption.
TEST(CliCheck, VersionOneFilesAreStillRead) {
  temp_dir dir;
  auto b = slurp(sample_history(dir));
  ASSERT_EQ(b[8], 2);
  b[8] = 1;
  auto old = dir.path + "/old.history";
  auto r = check_bytes(old, b);
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.out << r.err; // read, judged
  EXPECT_NE(r.out.find("40 facts"), std::string::npos) << r.out;
  auto facts = facts_offset(b);
  b[facts + 48 * 5 + 44] = static_cast<char>(fact_kind::call_refused);
  refused(check_bytes(old, b), old, facts + 48 * 5,
          "corrupt: unknown fact kind 21");
}

TEST(CliCheck, ForeignEmptyAndMangledFilesExitTwo) {
  temp_dir dir;
  auto yaml = library("failover-failback");
  refused(run_cli({"check", yaml}), yaml, 0,
          "not a calldrill history: it starts with text");
  auto empty = dir.path + "/empty.history";
  refused(check_bytes(empty, ""), empty, 0, "empty file");
  auto b = slurp(sample_history(dir));
  auto mangled = dir.path + "/mangled.history";
  refused(check_bytes(mangled, b.substr(0, 4) + "\n" + b.substr(6)), mangled, 0,
          "a text-mode copy altered");
}

TEST(CliCheck, HugeMetadataLengthExitsTwo) {
  temp_dir dir;
  auto b = slurp(sample_history(dir));
  std::uint64_t length = 1ull << 62;
  std::memcpy(b.data() + 16, &length, 8);
  auto bad = dir.path + "/huge.history";
  refused(check_bytes(bad, b), bad, 16, "more than the 64 MiB");
}

TEST(CliCheck, UsageErrorsExitTwo) {
  temp_dir dir;
  EXPECT_EQ(run_cli({"check"}).code, 2);
  auto missing = run_cli({"check", dir.path + "/none.history"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("none.history: No such file"), std::string::npos);
  EXPECT_EQ(run_cli({"check", dir.path}).code, 2);
  auto fifo = dir.path + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  auto r = run_cli({"check", fifo}); // returns at once: nobody writes to it
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(fifo + ": not a regular file"), std::string::npos) << r.err;
  EXPECT_EQ(run_cli({"check", "--no-such-option", "x"}).code, 2);
  EXPECT_EQ(run_cli({"check", "--help"}).code, 0);
  EXPECT_NE(run_cli({"--help"}).out.find("check FILE"), std::string::npos);
}
