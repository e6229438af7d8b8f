// What the run's two drivers share (internal to the actors room): the actor
// system's configuration, the failure watch, and spawning one partition's
// actors. run.cpp drives one actor system; windows.cpp drives a
// partitioned virtual-time run, one actor system per partition.
#pragma once

#include "actors/context.hpp"
#include "actors/drivers.hpp"
#include "actors/run.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace calldrill {

void configure(caf::actor_system_config& cfg, const run_spec& run);

std::uint64_t peak_rss_bytes();

/// Fills the run's simulated length and wall-clock figures: `t0` when it was
/// asked for, `t1` when its actors started, `t2` when its last fact was in;
/// `stopped_at` the instant a stop ended it (negative if none).
void note_timing(run_result& r, sim_duration stopped_at, sim_duration duration,
                 std::chrono::steady_clock::time_point t0,
                 std::chrono::steady_clock::time_point t1,
                 std::chrono::steady_clock::time_point t2);

/// The first actor of the run that ended abnormally (an exception in a
/// handler, e.g. an allocation failure), set by the watcher.
struct actor_failure {
  std::atomic<bool> failed{false};
  std::mutex mtx;
  std::string why;

  void set(std::string reason) {
    std::lock_guard<std::mutex> guard{mtx};
    if (!failed) {
      why = std::move(reason);
      failed = true;
    }
  }
  [[noreturn]] void raise() {
    std::lock_guard<std::mutex> guard{mtx};
    throw run_error("an actor of the run failed: " + why);
  }
};

/// Spawns the actors of `ctx`'s partition into `ctx->dir` (the pools and
/// hosts of other partitions stay empty) and a watcher over them. Returns
/// how many actors it spawned.
std::uint32_t spawn_partition(caf::actor_system& sys,
                              const std::shared_ptr<run_context>& ctx,
                              collector_setup setup,
                              std::shared_ptr<actor_failure> failure);

/// After an error: ends every actor of `dir` so that the actor system's
/// destructor (which waits for all of them) returns. Returns false when even
/// that failed; the caller must then not destroy the system.
bool stop_all(caf::actor_system& sys, const directory& dir, bool virtual_time);

/// Runs a virtual-time run cut into partitions (plan->count() > 1) on
/// `workers` threads, window by window.
/// `t0`: when the run was asked for (its setup time counts from there).
run_result run_partitioned(std::shared_ptr<const scenario> s,
                           std::shared_ptr<const topology> topo,
                           std::shared_ptr<const partition_plan> plan,
                           run_hooks hooks,
                           std::chrono::steady_clock::time_point t0);

} // namespace calldrill
