// Hostile input through the calldrill binary, each run under a memory cap and
// a watchdog: files and values that once allocated without bound, never
// ended, hung or reached the terminal raw now end with a clear exit code.
#include "bounded_cli.hpp"
#include "child_process.hpp"
#include "http_get.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sys/stat.h>
#include <thread>

using namespace calldrill::testing;

namespace {

std::string write(const temp_dir& dir, const std::string& name,
                  const std::string& text) {
  auto path = dir.path + "/" + name;
  std::ofstream{path, std::ios::binary} << text;
  return path;
}

/// A small valid drill whose stages are `stages` (YAML of the list items).
std::string drill_with(const std::string& stages, const std::string& head = {}) {
  return head + R"(topology:
  pools:
    - {fqdn: fe-a.example.test, backup: fe-b.example.test, users: 200}
    - {fqdn: fe-b.example.test, backup: fe-a.example.test, users: 200}
  orbit_ranges:
    - {identity: gcp-a, start: "*100", end: "*199", type: GroupPickup, call_park_service: fe-a.example.test}
    - {identity: gcp-b, start: "*200", end: "*299", type: GroupPickup, call_park_service: fe-b.example.test}
traffic:
  stages:
)" + stages + R"(
drill:
  timeline:
    - {at: 5m, action: pool_outage, pool: fe-a.example.test}
run:
  duration: 30m
)";
}

/// Two pools of `users` each, no pickup groups, `per_host` users per host.
std::string hosted_estate(const std::string& users, const std::string& per_host,
                          const std::string& rate = "1") {
  auto text = drill_with("    - calls_per_second: " + rate);
  text.replace(text.find("users: 200}"), 11, "users: " + users + "}");
  text.replace(text.find("users: 200}"), 11, "users: " + users + "}");
  text.replace(text.find("orbit_ranges:"), 13,
               "pickup_groups: {size: 0}\n  orbit_ranges:");
  return text + "  users_per_host: " + per_host + "\n";
}

} // namespace

TEST(CliHostile, StrayCommaOutsideAnyCollectionIsASyntaxError) {
  temp_dir dir;
  for (const char* text : {",", ",{", ",[", ", ,", "--- ,", "name: x\n---\n,"}) {
    auto f = write(dir, "comma.yaml", text);
    for (auto args : {std::vector<std::string>{"validate", f},
                      std::vector<std::string>{"run", f, "--metrics-port", "0"}}) {
      auto r = run_bounded(args, {1 << 19, 20});
      EXPECT_EQ(r.code, 2) << args[0] << " '" << text << "'\n" << r.err;
      EXPECT_TRUE(r.err.find("YAML syntax") != std::string::npos
                  || r.err.find("second YAML document") != std::string::npos)
        << r.err;
    }
  }
}

TEST(CliHostile, TinyPositiveRateEndsWithoutCalls) {
  temp_dir dir;
  for (const char* rate : {"1e-300", "4.9e-324", "1e-15"}) {
    auto f = write(dir, "tiny.yaml",
                   drill_with(std::string{"    - calls_per_second: "} + rate));
    auto v = run_bounded({"validate", "-q", f}, {1 << 19, 20});
    EXPECT_EQ(v.code, 0) << v.err;
    EXPECT_NE(v.err.find("fewer than one call"), std::string::npos) << v.err;
    auto r = run_bounded({"run", f, "--seed", "1", "--metrics-port", "0"},
                         {1 << 20, 30});
    EXPECT_EQ(r.code, 1) << rate << "\n" << r.err; // coverage: no traffic
    EXPECT_NE(r.out.find("calls: started 0,"), std::string::npos) << r.out;
  }
}

TEST(CliHostile, TinyRateStageThenRealTrafficStillArrives) {
  temp_dir dir;
  auto f = write(dir, "stages.yaml",
                 drill_with("    - {calls_per_second: 1e-300, duration: 1m}\n"
                            "    - calls_per_second: 2"));
  auto r = run_bounded({"run", f, "--seed", "1", "--metrics-port", "0"},
                       {1 << 20, 30});
  EXPECT_EQ(r.out.find("calls: started 0,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("calls: started "), std::string::npos) << r.out;
}

TEST(CliHostile, ControlCharactersInNamesAreRefusedAndNeverPrintedRaw) {
  temp_dir dir;
  for (const char* name : {R"("a\ebc")", R"("bell\a")", R"("nel\N")",
                           R"("tab\there")", R"("csi\u009b")"}) {
    auto f = write(dir, "ctl.yaml", drill_with("    - calls_per_second: 1",
                                               std::string{"name: "} + name + "\n"));
    auto r = run_bounded({"validate", f}, {1 << 19, 20});
    EXPECT_EQ(r.code, 2) << name << "\n" << r.err;
    // yaml-cpp writes \N as the lone byte 0x85: refused as invalid UTF-8.
    EXPECT_TRUE(r.err.find("name: must not contain control characters")
                  != std::string::npos
                || r.err.find("name: is not valid UTF-8") != std::string::npos)
      << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  }
  // A key is echoed in its diagnostic: escaped, not raw.
  auto f = write(dir, "key.yaml", drill_with("    - calls_per_second: 1",
                                             "\"\\e[31mred\": 1\n"));
  auto r = run_bounded({"validate", f}, {1 << 19, 20});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\\x1b[31mred: unknown key"), std::string::npos) << r.err;
}

TEST(CliHostile, InvalidUtf8IsRefused) {
  temp_dir dir;
  // A surrogate, code points above U+10FFFF, overlong forms, written raw.
  for (const char* bytes : {"\xed\xa0\x80", "\xf4\x90\x80\x80",
                            "\xf7\xbf\xbf\xbf", "\xc0\xaf", "\xe0\x80\xaf"}) {
    auto f = write(dir, "utf.yaml",
                   drill_with("    - calls_per_second: 1",
                              std::string{"name: \"a"} + bytes + "b\"\n"));
    auto r = run_bounded({"validate", f}, {1 << 19, 20});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("invalid UTF-8"), std::string::npos) << r.err;
  }
}

TEST(CliHostile, FileSwappedForAFifoNeverBlocksValidate) {
  temp_dir dir;
  auto regular = write(dir, "regular.yaml", drill_with("    - calls_per_second: 1"));
  auto target = dir.path + "/target.yaml";
  auto link_tmp = dir.path + "/l";
  auto fifo_tmp = dir.path + "/f";
  std::atomic<bool> stop{false};
  // Swaps the target between the regular file and a FIFO as fast as it can,
  // so validate's look at the path and its open see different files.
  std::thread swapper{[&] {
    while (!stop) {
      std::remove(link_tmp.c_str());
      if (link(regular.c_str(), link_tmp.c_str()) == 0)
        std::rename(link_tmp.c_str(), target.c_str());
      std::remove(fifo_tmp.c_str());
      if (mkfifo(fifo_tmp.c_str(), 0600) == 0)
        std::rename(fifo_tmp.c_str(), target.c_str());
    }
  }};
  int hung = 0;
  for (int i = 0; i < 60; ++i) {
    // 10 s: far beyond a validate's start on a loaded machine, far short of
    // the forever a reader blocked on a FIFO would wait.
    auto r = run_bounded({"validate", "-q", target}, {1 << 19, 10});
    if (r.code == 124)
      ++hung;
    else
      EXPECT_TRUE(r.code == 0 || r.code == 2) << r.code << "\n" << r.err;
  }
  stop = true;
  swapper.join();
  EXPECT_EQ(hung, 0);
}

TEST(CliHostile, ActorsThatCannotBeSpawnedExitThreeNotHang) {
  if (sanitized)
    GTEST_SKIP() << "needs an address-space cap";
  temp_dir dir;
  // One actor per user: 65,000 actors do not fit in 1 GiB of address space.
  auto f = write(dir, "many.yaml", hosted_estate("32500", "1", "5"));
  auto r = run_bounded({"run", f, "--seed", "1", "--metrics-port", "0",
                        "--memory-max", "1T"},
                       {1 << 20, 60});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("internal error"), std::string::npos) << r.err;
}

TEST(CliHostile, ThreadsThatCannotStartExitThree) {
  if (sanitized)
    GTEST_SKIP() << "needs an address-space cap";
  // 40 MiB of address space: the realtime scheduler's threads (8 MiB of
  // stack each) cannot start.
  auto r = run_bounded({"run", "--clock", "realtime", "--seed", "1",
                        "--metrics-port", "0", "-q", "--duration", "10m"},
                       {40 << 10, 30});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("threads"), std::string::npos) << r.err;
}

TEST(CliHostile, CapsAreCheckedBeforeTheTopologyIsBuilt) {
  if (sanitized)
    GTEST_SKIP() << "needs an address-space cap";
  temp_dir dir;
  std::string text = "topology:\n  pickup_groups: {size: 1, share: 1}\n  pools:\n";
  for (int i = 0; i < 64; ++i)
    text += "    - {fqdn: p" + std::to_string(i) + ".test, users: 1000000}\n";
  text += "traffic:\n  stages:\n    - calls_per_second: 1\n";
  auto f = write(dir, "huge.yaml", text);
  // Building it would take 384 MB before any group (3.5 GB with ranges).
  auto r = run_bounded({"validate", f}, {256 << 10, 5});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("at most 20000000 users in all"), std::string::npos)
    << r.err;
}

TEST(CliHostile, TooManyGroupsAreRefusedBeforeTheTopologyIsBuilt) {
  temp_dir dir;
  auto text = drill_with("    - calls_per_second: 1");
  text.replace(text.find("users: 200}"), 11, "users: 1000000}");
  text.replace(text.find("orbit_ranges:"), 13,
               "pickup_groups: {size: 1, share: 1}\n  orbit_ranges:");
  auto f = write(dir, "groups.yaml", text);
  auto r = run_bounded({"validate", f}, {1 << 19, 5});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("at most 1000000 pickup groups in all, the pools' "
                       "pickup_groups make 1000200"),
            std::string::npos) << r.err;
}

TEST(CliHostile, RunsBeyondTheMemoryBudgetAreRefusedBeforeAnythingIsBuilt) {
  temp_dir dir;
  // 2,000,000 users, an actor per 31: about 2.3 GiB.
  auto f = write(dir, "one-per-31.yaml", hosted_estate("1000000", "31"));
  for (auto args : {std::vector<std::string>{"validate", "-q", f},
                    std::vector<std::string>{"run", f, "--metrics-port", "0"}}) {
    args.push_back("--memory-max");
    args.push_back("1G");
    auto r = run_bounded(args, {1 << 19, 10});
    EXPECT_EQ(r.code, 2) << args[0] << "\n" << r.err;
    EXPECT_NE(r.err.find("more than its budget of 1.0 GiB"), std::string::npos)
      << r.err;
    EXPECT_NE(r.err.find("users_per_host"), std::string::npos) << r.err;
  }
  // Options meet the same estimate as files.
  auto o = run_bounded({"run", "--workload", "million", "--metrics-port", "0",
                        "--memory-max", "64M"},
                       {1 << 19, 10});
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("more than its budget of 64 MiB"), std::string::npos)
    << o.err;
  auto u = run_bounded({"run", "--users-per-host", "1", "--metrics-port", "0",
                        "--memory-max", "1G"},
                       {1 << 19, 10});
  EXPECT_EQ(u.code, 2) << u.err;
  EXPECT_NE(u.err.find("more than its budget of 1.0 GiB"), std::string::npos)
    << u.err;
}

TEST(CliHostile, MoreClientHostsThanCallHandlesAddressAreRefused) {
  // A call's handle carries its host in 16 bits: host 65,536 would make the
  // ids of host 0, and calls of two hosts would be taken for one another.
  temp_dir dir;
  auto f = write(dir, "hosts.yaml", hosted_estate("40000", "1"));
  for (auto args : {std::vector<std::string>{"validate", "-q", f},
                    std::vector<std::string>{"run", f, "--metrics-port", "0",
                                             "--memory-max", "1T"}}) {
    auto r = run_bounded(args, {1 << 19, 10});
    EXPECT_EQ(r.code, 2) << args[0] << "\n" << r.err;
    EXPECT_NE(r.err.find("80000 client hosts, more than the 65535 a run can "
                         "address"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("to at least 2"), std::string::npos) << r.err;
  }
  auto o = run_bounded({"run", "--workload", "million", "--users-per-host",
                        "10", "--metrics-port", "0", "--memory-max", "1T"},
                       {1 << 19, 10});
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("100000 client hosts"), std::string::npos) << o.err;
}

TEST(CliHostile, MemoryBudgetMustBeASize) {
  for (const char* bad : {"lots", "0", "5x", "-1G", "99999999999999999999T"}) {
    auto r = run_bounded({"run", "--metrics-port", "0", "--memory-max", bad},
                         {1 << 19, 10});
    EXPECT_EQ(r.code, 2) << bad << "\n" << r.err;
    EXPECT_NE(r.err.find("--memory-max"), std::string::npos) << r.err;
  }
}

TEST(CliHostile, IdleConnectionsDoNotBlindTheMetricsEndpoint) {
  temp_dir dir;
  auto port = free_port();
  child_process run{{std::string{CALLDRILL_BINARY_DIR} + "/cli/calldrill", "run",
                     "--clock", "realtime", "--speed", "60", "--duration", "2h",
                     "--seed", "1", "--quiet", "--metrics-port",
                     std::to_string(port)},
                    dir.path + "/run.log"};
  auto up = std::chrono::steady_clock::now() + std::chrono::seconds{20};
  while (http_get(port, "/metrics", std::chrono::seconds{1}).status != 200)
    ASSERT_LT(std::chrono::steady_clock::now(), up) << read_file(dir.path + "/run.log");
  // Eight clients connect and say nothing (a browser's spare connections, a
  // hung scraper): each holds a server thread until its request times out.
  std::vector<int> idle;
  for (int i = 0; i < 8; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    idle.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds{200}); // all accepted
  auto t0 = std::chrono::steady_clock::now();
  auto r = http_get(port, "/metrics", std::chrono::seconds{5});
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(took, std::chrono::seconds{1});
  EXPECT_NE(r.body.find("calldrill_simulated_time_seconds"), std::string::npos);
  for (int fd : idle)
    close(fd);
}

TEST(CliHostile, MetricsBindIsOneAddress) {
  auto port = free_port();
  for (const std::string& bind : std::vector<std::string>{
         std::to_string(port) + ",127.0.0.1", "127.0.0.1,0.0.0.0", "localhost",
         "127.1", "::1", "127.0.0.1:80"}) {
    auto r = run_bounded({"run", "--metrics-bind", bind, "--metrics-port",
                          std::to_string(free_port()), "--duration", "1m",
                          "--seed", "1", "-q"},
                         {1 << 20, 20});
    EXPECT_EQ(r.code, 2) << bind << "\n" << r.err;
    EXPECT_NE(r.err.find("--metrics-bind"), std::string::npos) << r.err;
    EXPECT_EQ(http_get(port, "/metrics", std::chrono::milliseconds{300}).status, 0)
      << bind << " opened a listener on port " << port;
  }
}

namespace {

/// The resident memory of process `pid`, in KiB (0 if it is gone).
long rss_kib(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return 0;
}

} // namespace

TEST(CliHostile, AStalledRealtimeRunDoesNotKeepItsBacklogsMemory) {
  // A realtime run whose process stalls (a busy machine, a suspended job)
  // is handed its backlog of arrivals when it resumes. All of it at once,
  // every host opened a call slot per pending arrival: after an 8 s stall at
  // speed 165, RSS stayed about 10 MiB up for the rest of the run.
  if (sanitized)
    GTEST_SKIP() << "RSS of a sanitized build says nothing of the release's";
  temp_dir dir;
  child_process run{{std::string{CALLDRILL_BINARY_DIR} + "/cli/calldrill", "run",
                     "--clock", "realtime", "--speed", "165", "--duration", "24h",
                     "--seed", "1", "--quiet", "--metrics-port", "0"},
                    dir.path + "/run.log"};
  std::this_thread::sleep_for(std::chrono::seconds{10}); // past the ramp-up
  auto before = rss_kib(run.pid());
  ASSERT_GT(before, 0) << read_file(dir.path + "/run.log");
  kill(run.pid(), SIGSTOP);
  std::this_thread::sleep_for(std::chrono::seconds{8}); // 22 simulated min
  kill(run.pid(), SIGCONT);
  // Caught up, and past a trim of the heap (every 10 s).
  std::this_thread::sleep_for(std::chrono::seconds{11});
  auto after = rss_kib(run.pid());
  ASSERT_GT(after, 0) << read_file(dir.path + "/run.log");
  EXPECT_LT(after - before, 5 * 1024) << "RSS " << before << " KiB before the "
                                      << "stall, " << after << " KiB after";
}
