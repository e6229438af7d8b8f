// The history file: what is written is read back exactly, bad files are
// named with their offset, and the writer is atomic: no temporary file left
// behind, never a write through a symbolic link at the target.
#include "cli_support.hpp"
#include "history_samples.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

history_meta yaml_meta() {
  history_meta m;
  m.source = history_source::yaml;
  m.scenario = "tricky";
  m.scenario_file = "drills/tricky drill.yaml";
  m.scenario_yaml = "name: tricky\r\n# back\\slash \\n not a newline\n"
                    "\tindent\x01 ctrl \x7f del, 한국어\n=no=key\n";
  m.duration = std::chrono::minutes{45};
  m.seed = 18446744073709551615ull;
  m.clock = "realtime";
  m.defects = {"answer-stale-queue", "keep-stale-queue"};
  m.replay = "calldrill run 'drills/tricky drill.yaml' --seed 1";
  return m;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  if (auto* d = opendir(dir.c_str())) {
    while (auto* e = readdir(d))
      if (std::string n = e->d_name; n != "." && n != "..")
        out.push_back(n);
    closedir(d);
  }
  return out;
}

std::string read_error(const std::string& path) {
  history_meta m;
  fact_list sink;
  auto err = read_history(path, m, sink);
  EXPECT_TRUE(sink.facts.empty()) << "a bad file fed the sink";
  return err;
}

} // namespace

TEST(HistoryFile, RoundTripKeepsEveryFactAndTheMetadata) {
  temp_dir dir;
  auto path = dir.path + "/run.history";
  constexpr std::uint64_t n = 60000; // several 1 MiB blocks
  ASSERT_EQ(write_sample(path, yaml_meta(), n), "");
  history_meta m;
  fact_list got;
  ASSERT_EQ(read_history(path, m, got), "");
  auto want = yaml_meta();
  EXPECT_EQ(m.version, calldrill_version());
  EXPECT_EQ(m.scenario, want.scenario);
  EXPECT_EQ(m.scenario_file, want.scenario_file);
  EXPECT_EQ(m.scenario_yaml, want.scenario_yaml);
  EXPECT_EQ(m.duration, want.duration);
  EXPECT_EQ(m.seed, want.seed);
  EXPECT_EQ(m.clock, want.clock);
  EXPECT_EQ(m.defects, want.defects);
  EXPECT_EQ(m.replay, want.replay);
  ASSERT_EQ(got.facts.size(), n);
  for (std::uint64_t i = 0; i < n; ++i) {
    auto f = sample_fact(i, n);
    ASSERT_EQ(std::memcmp(&got.facts[i], &f, sizeof f), 0) << "fact " << i;
  }
  EXPECT_EQ(slurp(path).size(), 24 + encode_meta(want).size() + 8 + 48 * n + 24);
}

TEST(HistoryFile, WorkloadMetadataAndNoFactsRoundTrip) {
  temp_dir dir;
  auto path = dir.path + "/w.history";
  history_meta want;
  want.source = history_source::workload;
  want.scenario = "million";
  want.workload = "million";
  want.seed = 3;
  ASSERT_EQ(write_sample(path, want, 0), "");
  history_reader r;
  ASSERT_EQ(r.open(path), "");
  EXPECT_EQ(r.verify(), "");
  EXPECT_EQ(r.fact_count(), 0u);
  EXPECT_EQ(r.meta().source, history_source::workload);
  EXPECT_EQ(r.meta().workload, "million");
  EXPECT_FALSE(r.meta().duration.has_value());
  EXPECT_TRUE(r.meta().defects.empty());
}

TEST(HistoryFile, HeaderStartsWithTheMagicVersionAndFactSize) {
  temp_dir dir;
  auto path = dir.path + "/h.history";
  ASSERT_EQ(write_sample(path, yaml_meta(), 3), "");
  auto b = slurp(path);
  EXPECT_EQ(b.substr(0, 8), std::string("\x89" "CDH\r\n\x1a\n", 8));
  EXPECT_EQ(b.substr(8, 8), std::string("\x02\0\0\0\x30\0\0\0", 8));
  EXPECT_EQ(b.substr(b.size() - 24, 8), std::string("\x89" "CDE\r\n\x1a\n", 8));
  EXPECT_EQ(b.substr(b.size() - 16, 8), std::string("\x03\0\0\0\0\0\0\0", 8));
}

TEST(HistoryFile, BadFilesNameTheFileAndTheOffset) {
  temp_dir dir;
  auto good = dir.path + "/good.history";
  ASSERT_EQ(write_sample(good, yaml_meta(), 10), "");
  auto b = slurp(good);
  auto facts = facts_offset(b);
  auto bad = dir.path + "/bad.history";
  auto with = [&](std::string bytes) {
    spill(bad, bytes);
    return read_error(bad);
  };
  auto at = [&](std::uint64_t off) {
    return bad + ": offset " + std::to_string(off) + ": ";
  };
  EXPECT_EQ(with(b.substr(0, facts + 48 * 3 + 5)).rfind(at(facts + 48 * 3 + 5)
                                                        + "truncated", 0), 0u);
  EXPECT_EQ(with(b.substr(0, facts + 48 * 3)), at(facts + 48 * 3)
            + "truncated: no trailer after 3 facts (the run that wrote it did not finish)");
  auto flipped = b;
  flipped[facts + 48 * 2 + 20] ^= 0x10;
  EXPECT_EQ(with(flipped).rfind(at(b.size() - 8) + "corrupt: the facts do not match", 0), 0u);
  auto kind = b;
  kind[facts + 48 * 4 + 44] = static_cast<char>(200);
  EXPECT_EQ(with(kind), at(facts + 48 * 4) + "corrupt: unknown fact kind 200");
  auto count = b;
  count[b.size() - 16] = 11;
  EXPECT_EQ(with(count), at(b.size() - 16)
            + "corrupt: the trailer counts 11 facts, the file holds 10");
  auto meta = b;
  meta[30] ^= 1;
  EXPECT_EQ(with(meta).rfind(at(facts - 8) + "corrupt: the metadata", 0), 0u);
}

TEST(HistoryFile, HugeMetadataLengthIsRefusedBeforeAnyAllocation) {
  temp_dir dir;
  auto path = dir.path + "/huge.history";
  ASSERT_EQ(write_sample(path, yaml_meta(), 2), "");
  auto b = slurp(path);
  for (std::uint64_t length : {~0ull, (64ull << 20) + 1}) {
    std::memcpy(b.data() + 16, &length, 8);
    spill(path, b);
    EXPECT_EQ(read_error(path).rfind(path + ": offset 16: corrupt: metadata length", 0), 0u);
  }
  std::uint64_t length = 64ull << 20; // allowed, but past the end of the file
  std::memcpy(b.data() + 16, &length, 8);
  spill(path, b);
  EXPECT_NE(read_error(path).find("truncated: the file ends inside its metadata"),
            std::string::npos);
}

TEST(HistoryFile, MetadataEscapesRoundTripAndMalformedOnesAreCorrupt) {
  history_meta m;
  std::uint64_t where = 0;
  ASSERT_EQ(decode_meta(encode_meta(yaml_meta()), m, &where), "");
  EXPECT_EQ(m.scenario_yaml, yaml_meta().scenario_yaml);
  for (const char* text :
       {"calldrill_version=1\nsource=yaml\n", "seed=1\nseed=2\n",
        "scenario_yaml=\\q\n", "scenario_yaml=\\x4\n", "no equals sign\n",
        "seed=12", "source=csv\n", "seed=-1\n", "duration_us=0\n"})
    EXPECT_NE(decode_meta(text, m, &where), "") << text;
}

TEST(HistoryWriter, LeavesNoTemporaryFileWhenDestroyedUncommitted) {
  temp_dir dir;
  auto path = dir.path + "/run.history";
  {
    std::string err;
    auto w = history_writer::create(path, yaml_meta(), err);
    ASSERT_TRUE(w) << err;
    for (int i = 0; i < 50000; ++i)
      w->put(sample_fact(i, 50000));
    EXPECT_EQ(entries(dir.path).size(), 1u);
    EXPECT_EQ(w->temp_path().rfind(dir.path + "/.run.history.", 0), 0u);
  }
  EXPECT_TRUE(entries(dir.path).empty());
}

TEST(HistoryWriter, ReportsAWriteErrorAtCommitAndLeavesNothing) {
  temp_dir dir;
  auto path = dir.path + "/full.history";
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 256 * 1024; // the disk is "full" at 256 KiB
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string err;
  auto w = history_writer::create(path, yaml_meta(), err);
  ASSERT_TRUE(w) << err;
  for (int i = 0; i < 100000; ++i)
    w->put(sample_fact(i, 100000));
  auto committed = w->commit();
  setrlimit(RLIMIT_FSIZE, &old);
  EXPECT_EQ(committed.rfind(path + ": writing: ", 0), 0u) << committed;
  EXPECT_TRUE(entries(dir.path).empty());
  w.reset();
  EXPECT_TRUE(entries(dir.path).empty());
}

TEST(HistoryWriter, NeverWritesThroughASymlinkAtTheTarget) {
  temp_dir dir;
  auto victim = dir.path + "/victim";
  spill(victim, "precious");
  auto path = dir.path + "/run.history";
  ASSERT_EQ(symlink(victim.c_str(), path.c_str()), 0);
  std::string err;
  EXPECT_FALSE(history_writer::create(path, yaml_meta(), err));
  EXPECT_NE(err.find("symbolic link"), std::string::npos) << err;
  EXPECT_NE(check_target(path), "");
  // Planted after the run started: commit refuses, the link stays a link.
  ASSERT_EQ(unlink(path.c_str()), 0);
  auto w = history_writer::create(path, yaml_meta(), err);
  ASSERT_TRUE(w) << err;
  w->put(sample_fact(0, 1));
  ASSERT_EQ(symlink(victim.c_str(), path.c_str()), 0);
  EXPECT_NE(w->commit().find("not a regular file"), std::string::npos);
  EXPECT_EQ(slurp(victim), "precious");
  struct stat st {};
  ASSERT_EQ(lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(entries(dir.path).size(), 2u); // victim and the link, no temp
}

TEST(HistoryWriter, ReplacesARegularFileAndHonoursTheUmask) {
  temp_dir dir;
  auto path = dir.path + "/run.history";
  spill(path, "an older history");
  auto old_mask = umask(027);
  auto err = write_sample(path, yaml_meta(), 5);
  umask(old_mask);
  ASSERT_EQ(err, "");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(entries(dir.path).size(), 1u);
  history_meta m;
  fact_list got;
  EXPECT_EQ(read_history(path, m, got), "");
  EXPECT_EQ(got.facts.size(), 5u);
}

TEST(HistoryWriter, CheckTargetRefusesWhatItCannotReplace) {
  temp_dir dir;
  EXPECT_NE(check_target(dir.path).find("is a directory"), std::string::npos);
  EXPECT_NE(check_target(dir.path + "/no/such/folder/x").find("does not exist"),
            std::string::npos);
  auto fifo = dir.path + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_NE(check_target(fifo).find("not a regular file"), std::string::npos);
  EXPECT_NE(check_target("/dev/null").find("not a regular file"), std::string::npos);
  EXPECT_EQ(check_target(dir.path + "/new.history"), "");
  EXPECT_NE(check_target(""), "");
}
