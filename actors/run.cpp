// The run driver: configures the actor system for the chosen clock, spawns
// pools, client hosts and drivers, starts the drill and waits for the result.
// Virtual time steps CAF's deterministic test coordinator timer by timer.
#include "actors/run.hpp"

#include "actors/drivers.hpp"
#include "actors/host.hpp"
#include "actors/pool.hpp"
#include "history/sink.hpp"

#include <caf/scheduler/test_coordinator.hpp>

#include <algorithm>
#include <sys/resource.h>
#include <thread>

namespace calldrill {

namespace {

using wall_clock = std::chrono::steady_clock;

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
  auto workers = run.workers != 0 ? run.workers
                                  : std::max(1u, std::thread::hardware_concurrency());
  cfg.set("scheduler.max-threads", static_cast<std::size_t>(workers));
}

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
}

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
                   sim_duration& stopped_at) {
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  for (;;) {
    sched.run();
    if (done.wait_for(std::chrono::seconds{0}) == std::future_status::ready)
      return;
    if (stop_if_asked(stop, ctx, sys, stopped_at))
      continue;
    if (!sched.trigger_timeout())
      throw run_error("virtual clock stalled: no job and no timer left "
                      "before the run finished");
  }
}

/// Clients per host actor. Measured on 1 M users (bench/README): in virtual
/// time bigger hosts keep each wake-up's memory warm (32768 per host ran
/// ~30 % faster than 4096); in realtime enough hosts must exist to keep
/// every worker busy.
std::uint32_t users_per_host(const run_spec& run, std::uint32_t users) {
  if (run.users_per_host > 0)
    return run.users_per_host;
  constexpr std::uint32_t most = 32768, least = 1024;
  if (run.clock == clock_kind::virtual_time)
    return most;
  auto workers = run.workers != 0 ? run.workers
                                  : std::max(1u, std::thread::hardware_concurrency());
  auto per = (users + 8 * workers - 1) / (8 * workers);
  return std::clamp(per, least, most);
}

} // namespace

run_result run_scenario(std::shared_ptr<const scenario> s,
                        std::shared_ptr<const topology> topo, run_hooks hooks) {
  auto t0 = wall_clock::now();
  const auto& run = s->run;
  // Outlives the actor system: realtime actors record until they stop.
  std::unique_ptr<locked_sink> locked;
  if (hooks.history != nullptr && run.clock == clock_kind::realtime)
    locked = std::make_unique<locked_sink>(*hooks.history);
  caf::actor_system_config cfg;
  configure(cfg, run);
  caf::actor_system sys{cfg};

  auto ctx = std::make_shared<run_context>();
  ctx->topo = topo;
  ctx->scn = s;
  ctx->realtime = run.clock == clock_kind::realtime;
  ctx->speed = ctx->realtime ? run.speed : 1.0;
  ctx->users_per_host = users_per_host(run, topo->user_count());
  ctx->history = locked ? locked.get() : hooks.history;
  if (ctx->speed <= 0)
    throw run_error("speed must be greater than 0");

  auto result = std::make_shared<run_result>();
  result->seed = run.seed;
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();

  auto users = topo->user_count();
  auto host_count = (users + ctx->users_per_host - 1) / ctx->users_per_host;
  auto& dir = ctx->dir;
  auto expected = topo->pools.size() + host_count + 2;
  collector_setup setup;
  setup.expected = expected;
  setup.out = result;
  setup.done = done;
  setup.sink = std::move(hooks.sink);
  setup.every = hooks.every;
  dir.collector = spawn_collector(sys, ctx, std::move(setup));
  for (std::size_t p = 0; p < topo->pools.size(); ++p)
    dir.pools.push_back(spawn_pool(sys, ctx, static_cast<pool_id>(p), false));
  for (std::uint32_t h = 0; h < host_count; ++h) {
    auto first = h * ctx->users_per_host;
    auto count = std::min<std::uint32_t>(ctx->users_per_host, users - first);
    dir.hosts.push_back(spawn_host(sys, ctx, h, first, count));
  }
  dir.generator = spawn_generator(sys, ctx);
  dir.controller = spawn_controller(sys, ctx);
  result->wall.actors = static_cast<std::uint32_t>(expected + 1);

  ctx->start = sys.clock().now();
  auto t1 = wall_clock::now();
  caf::anon_send(dir.controller, start_atom_v);
  caf::anon_send(dir.generator, start_atom_v);
  caf::anon_send(dir.collector, start_atom_v);
  sim_duration stopped_at{-1};
  if (run.clock == clock_kind::virtual_time)
    drive_virtual(sys, finished, hooks.stop, *ctx, stopped_at);
  else // a signal cannot wake a future: look at the stop flag now and then
    while (finished.wait_for(std::chrono::milliseconds{50})
           != std::future_status::ready)
      stop_if_asked(hooks.stop, *ctx, sys, stopped_at);
  auto t2 = wall_clock::now();
  result->simulated = stopped_at.count() >= 0
                        ? std::min(stopped_at, run.duration) : run.duration;
  result->wall.setup_seconds = std::chrono::duration<double>(t1 - t0).count();
  result->wall.run_seconds = std::chrono::duration<double>(t2 - t1).count();
  result->wall.peak_rss_bytes = peak_rss_bytes();
  return std::move(*result);
}

} // namespace calldrill
