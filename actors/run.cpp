// The run driver: configures the actor system for the chosen clock, spawns
// pools, client hosts and drivers, starts the drill and waits for the result.
// Virtual time steps CAF's deterministic test coordinator timer by timer; a
// virtual-time run of several pool pairs is partitioned (windows.cpp).
#include "actors/run.hpp"

#include "actors/host.hpp"
#include "actors/pipe_sink.hpp"
#include "actors/pool.hpp"
#include "actors/run_parts.hpp"
#include "history/sink.hpp"
#include "model/hosts.hpp"

#include <caf/scheduler/test_coordinator.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <malloc.h>
#include <mutex>
#include <sys/resource.h>
#include <thread>

namespace calldrill {

namespace {

using wall_clock = std::chrono::steady_clock;

/// Threads the realtime actor system starts besides its workers (timer
/// dispatch and printer), plus a margin for the metrics endpoint's.
constexpr std::size_t extra_threads = 4;

/// Checks that `n` threads can run at once, by starting them. The actor
/// framework cannot survive a thread that fails to start inside its
/// constructor (it aborts, crashes or hangs unwinding), so a realtime run
/// asks first and fails with a message instead.
void probe_threads(std::size_t n) {
  std::mutex mtx;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::thread> threads;
  std::string error;
  try {
    threads.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      threads.emplace_back([&] {
        std::unique_lock<std::mutex> lock{mtx};
        cv.wait(lock, [&] { return release; });
      });
  } catch (const std::exception& e) {
    error = e.what();
  }
  {
    std::lock_guard<std::mutex> guard{mtx};
    release = true;
  }
  cv.notify_all();
  for (auto& t : threads)
    t.join();
  if (!error.empty())
    throw run_error("cannot start the " + std::to_string(n)
                    + " threads a realtime run needs (" + error + ")");
}

std::size_t worker_count(const run_spec& run) { return worker_threads(run); }

/// Every actor spawned so far.
std::vector<caf::actor> spawned(const directory& dir) {
  std::vector<caf::actor> out;
  auto add = [&](const auto& handle) {
    if (handle)
      out.push_back(caf::actor_cast<caf::actor>(handle));
  };
  add(dir.collector);
  for (const auto& p : dir.pools)
    add(p);
  for (const auto& h : dir.hosts)
    add(h);
  add(dir.generator);
  add(dir.controller);
  return out;
}

/// Monitors every actor of the run: one that ends other than normally fails
/// the run at once, instead of leaving the driver waiting for a final
/// snapshot that never comes. Quits when every watched actor is down.
caf::behavior watcher(caf::event_based_actor* self,
                      std::vector<caf::actor> actors,
                      std::shared_ptr<actor_failure> failure) {
  auto left = std::make_shared<std::size_t>(actors.size());
  self->set_down_handler([=](caf::down_msg& m) {
    if (m.reason && m.reason != caf::exit_reason::normal
        && m.reason != caf::exit_reason::user_shutdown)
      failure->set(caf::to_string(m.reason));
    if (--*left == 0)
      self->quit();
  });
  for (const auto& a : actors)
    self->monitor(a);
  if (actors.empty())
    self->quit();
  return {[](int) {
    // nop: it only receives down messages
  }};
}

} // namespace

void configure(caf::actor_system_config& cfg, const run_spec& run) {
  cfg.add_message_types<caf::id_block::calldrill>();
  if (run.clock == clock_kind::virtual_time) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    return;
  }
  if (run.scheduler_policy == "stealing")
    cfg.set("scheduler.policy", caf::atom("stealing"));
  else if (run.scheduler_policy == "sharing")
    cfg.set("scheduler.policy", caf::atom("sharing"));
  else
    throw run_error("unknown scheduler policy " + run.scheduler_policy
                    + " (use sharing or stealing)");
  cfg.set("scheduler.max-threads", worker_count(run));
}

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
}

void note_timing(run_result& r, sim_duration stopped_at, sim_duration duration,
                 wall_clock::time_point t0, wall_clock::time_point t1,
                 wall_clock::time_point t2) {
  r.simulated = stopped_at.count() >= 0 ? std::min(stopped_at, duration)
                                        : duration;
  r.wall.setup_seconds = std::chrono::duration<double>(t1 - t0).count();
  r.wall.run_seconds = std::chrono::duration<double>(t2 - t1).count();
  r.wall.peak_rss_bytes = peak_rss_bytes();
}

/// After an error: ends every actor of the run so that the actor system's
/// destructor (which waits for all of them) returns. Returns false when even
/// that failed; the caller must then not destroy the system.
bool stop_all(caf::actor_system& sys, const directory& dir, bool virtual_time) {
  try {
    for (const auto& a : spawned(dir))
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    if (virtual_time)
      dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler()).run();
    return true;
  } catch (...) {
    return false;
  }
}

std::uint32_t spawn_partition(caf::actor_system& sys,
                              const std::shared_ptr<run_context>& ctx,
                              collector_setup setup,
                              std::shared_ptr<actor_failure> failure) {
  const auto& topo = *ctx->topo;
  const auto& plan = *ctx->plan;
  auto& dir = ctx->dir;
  dir.pools.assign(topo.pools.size(), pool_actor{});
  dir.hosts.assign(plan.hosts(), host_actor{});
  std::uint32_t pools = 0;
  for (std::size_t p = 0; p < topo.pools.size(); ++p)
    if (plan.partition_of_pool(static_cast<pool_id>(p)) == ctx->partition)
      ++pools;
  auto [first_host, end_host] = plan.hosts_of(ctx->partition);
  setup.expected = pools + (end_host - first_host) + 2;
  dir.collector = spawn_collector(sys, ctx, std::move(setup));
  for (std::size_t p = 0; p < topo.pools.size(); ++p)
    if (plan.partition_of_pool(static_cast<pool_id>(p)) == ctx->partition)
      dir.pools[p] = spawn_pool(sys, ctx, static_cast<pool_id>(p), false);
  for (auto h = first_host; h < end_host; ++h)
    dir.hosts[h] = spawn_host(sys, ctx, h);
  dir.generator = spawn_generator(sys, ctx);
  dir.controller = spawn_controller(sys, ctx);
  sys.spawn(watcher, spawned(dir), std::move(failure));
  return pools + (end_host - first_host) + 4;
}

namespace {

/// Asks the controller to end the run now, once `stop` reads non-zero;
/// records the simulated instant. Returns whether it asked.
bool stop_if_asked(const std::atomic<int>* stop, const run_context& ctx,
                   caf::actor_system& sys, sim_duration& stopped_at) {
  if (!stop || stop->load() == 0 || stopped_at.count() >= 0)
    return false;
  stopped_at = ctx.now(sys.clock());
  caf::anon_send(ctx.dir.controller, finish_atom_v);
  return true;
}

void drive_virtual(caf::actor_system& sys, std::future<void>& done,
                   const std::atomic<int>* stop, const run_context& ctx,
                   sim_duration& stopped_at, actor_failure& failure) {
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  for (;;) {
    sched.run();
    if (failure.failed)
      failure.raise();
    if (done.wait_for(std::chrono::seconds{0}) == std::future_status::ready)
      return;
    if (stop_if_asked(stop, ctx, sys, stopped_at))
      continue;
    if (!sched.trigger_timeout())
      throw run_error("virtual clock stalled: no job and no timer left "
                      "before the run finished");
  }
}

} // namespace

run_result run_scenario(std::shared_ptr<const scenario> s,
                        std::shared_ptr<const topology> topo, run_hooks hooks) {
  auto t0 = wall_clock::now();
  const auto& run = s->run;
  auto virtual_time = run.clock == clock_kind::virtual_time;
  auto plan = std::make_shared<const partition_plan>(
    *topo, users_per_host(run, topo->user_count()),
    virtual_time && run.partition_by_pair);
  if (plan->hosts() > client_hosts_max)
    throw run_error(std::to_string(plan->hosts()) + " client hosts, more than "
                    "the 65535 call handles can address");
  if (plan->count() > 1)
    return run_partitioned(std::move(s), std::move(topo), std::move(plan),
                           std::move(hooks), t0);
  // The history's consumers (the checker, a history file) run on a thread
  // of their own, fed in order: the actors never wait for the checker. In
  // realtime, where actors record from several threads, a lock orders the
  // facts before the pipe. Both outlive the actor system: realtime actors
  // record until they stop.
  std::unique_ptr<pipe_sink> piped;
  if (hooks.history != nullptr)
    piped = std::make_unique<pipe_sink>(*hooks.history);
  std::unique_ptr<locked_sink> locked;
  if (piped && run.clock == clock_kind::realtime)
    locked = std::make_unique<locked_sink>(*piped);
  caf::actor_system_config cfg;
  configure(cfg, run);
  if (run.clock == clock_kind::realtime)
    probe_threads(worker_count(run) + extra_threads);
  auto sys = std::make_unique<caf::actor_system>(cfg);

  auto ctx = std::make_shared<run_context>();
  ctx->topo = topo;
  ctx->scn = s;
  ctx->realtime = run.clock == clock_kind::realtime;
  ctx->speed = ctx->realtime ? run.speed : 1.0;
  ctx->plan = plan;
  ctx->history = locked   ? static_cast<fact_sink*>(locked.get())
                 : piped ? piped.get()
                         : hooks.history;
  if (ctx->speed <= 0)
    throw run_error("speed must be greater than 0");

  auto result = std::make_shared<run_result>();
  result->seed = run.seed;
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  auto failure = std::make_shared<actor_failure>();

  try {
    auto& dir = ctx->dir;
    collector_setup setup;
    setup.out = result;
    setup.done = done;
    setup.sink = std::move(hooks.sink);
    setup.every = hooks.every;
    result->wall.actors = spawn_partition(*sys, ctx, std::move(setup), failure);

    ctx->start = sys->clock().now();
    auto t1 = wall_clock::now();
    caf::anon_send(dir.controller, start_atom_v);
    caf::anon_send(dir.generator, start_atom_v);
    caf::anon_send(dir.collector, start_atom_v);
    sim_duration stopped_at{-1};
    if (virtual_time)
      drive_virtual(*sys, finished, hooks.stop, *ctx, stopped_at, *failure);
    else // a signal cannot wake a future: look at the stop flag now and then
      for (int polls = 1; finished.wait_for(std::chrono::milliseconds{50})
                          != std::future_status::ready;
           ++polls) {
        if (failure->failed)
          failure->raise();
        stop_if_asked(hooks.stop, *ctx, *sys, stopped_at);
        // Bursts (a host that stalled catches up) leave freed memory that
        // the allocator keeps: give it back every 10 s, so a long realtime
        // run's RSS follows what it uses, not its worst second.
        if (polls % 200 == 0)
          malloc_trim(0);
      }
    if (piped && virtual_time)
      piped->finish(); // the checker's last facts count in the run's wall
    note_timing(*result, stopped_at, run.duration, t0, t1, wall_clock::now());
  } catch (...) {
    // Whatever failed (spawning out of memory, an actor's exception), the
    // actors still alive would keep the system's destructor waiting forever.
    if (!stop_all(*sys, ctx->dir, virtual_time))
      static_cast<void>(sys.release()); // cannot stop them: leave them be
    throw;
  }
  sys.reset();
  if (piped)
    piped->finish(); // realtime: once every actor has stopped recording
  return std::move(*result);
}

} // namespace calldrill
