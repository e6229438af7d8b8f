// The partitioned virtual-time driver. Each partition (a pool pair, see
// model/partitions.hpp) has an actor system of its own on CAF's deterministic
// test coordinator. Time advances in windows of the inter-pair delay: within
// a window every partition runs alone (no message from another can be due
// before the window ends), on whichever worker thread; between windows the
// driver alone hands over what partitions sent one another, in a fixed order
// (instant, sending partition, order sent), and merges the partitions' facts
// into one history (instant, then partition, each partition's own order
// kept). Nothing depends on which worker ran what, so the history, the
// checker's verdict and the report are the same for any number of workers.
#include "actors/pipe_sink.hpp"
#include "actors/run_parts.hpp"
#include "actors/window_crew.hpp"

#include <caf/scheduler/test_coordinator.hpp>

#include <algorithm>
#include <deque>
#include <future>
#include <optional>

namespace calldrill {

namespace {

using wall_clock = std::chrono::steady_clock;

/// Keeps one partition's facts of the current window.
class window_facts : public fact_sink {
public:
  void put(const fact& f) override { facts.push_back(f); }
  std::vector<fact> facts;
};

struct partition_run {
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<run_context> ctx;
  window_facts facts;
  std::vector<crossing> outbox;
  std::vector<crossing> inbox; ///< ordered, handed in at the window's start
  std::future<void> done;
  bool finished = false;
  std::shared_ptr<actor_snapshot> total = std::make_shared<actor_snapshot>();
  std::deque<live_view> views; ///< this partition's part of each live view

  caf::scheduler::test_coordinator& sched() {
    return dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
  }
  /// The simulated instant of the next timer, if any.
  std::optional<sim_duration> next_timer() {
    const auto& timers = sched().clock().schedule();
    if (timers.empty())
      return std::nullopt;
    return std::chrono::duration_cast<sim_duration>(timers.begin()->first
                                                    - ctx->start);
  }
  caf::actor_clock::time_point at(sim_duration t) const {
    return ctx->start + ctx->wall_at(t);
  }

  /// Delivers the inbox (each message at its instant), then runs every
  /// event due before `end`.
  void run_window(sim_duration end) {
    auto& s = sched();
    for (auto& c : inbox) {
      auto dest = c.to_pool ? caf::actor_cast<caf::strong_actor_ptr>(ctx->dir.pools[c.index])
                            : caf::actor_cast<caf::strong_actor_ptr>(ctx->dir.hosts[c.index]);
      s.clock().schedule_message(at(c.at), std::move(dest),
                                 caf::make_mailbox_element(nullptr,
                                                           caf::make_message_id(),
                                                           {}, std::move(c.msg)));
    }
    inbox.clear();
    auto limit = at(end);
    for (;;) {
      s.run();
      const auto& timers = s.clock().schedule();
      if (timers.empty() || timers.begin()->first >= limit)
        return;
      s.trigger_timeout();
    }
  }
};

/// Merges the partitions' facts of a window into `out`, by instant, ties
/// to the lower partition, each partition's own order kept: instant by
/// instant, each partition's run of facts at the earliest instant left. The
/// run's end is held back until every partition's last facts are in.
void merge_facts(std::vector<std::unique_ptr<partition_run>>& parts,
                 fact_sink& out, std::optional<fact>& run_end) {
  std::vector<std::size_t> next(parts.size(), 0);
  for (;;) {
    std::optional<sim_duration> first;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const auto& fs = parts[p]->facts.facts;
      if (next[p] < fs.size() && (!first || fs[next[p]].at < *first))
        first = fs[next[p]].at;
    }
    if (!first)
      break;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const auto& fs = parts[p]->facts.facts;
      for (auto& i = next[p]; i < fs.size() && fs[i].at == *first; ++i) {
        if (fs[i].kind == fact_kind::run_end)
          run_end = fs[i];
        else
          out.put(fs[i]);
      }
    }
  }
  for (auto& p : parts)
    p->facts.facts.clear();
}

/// Hands every partition's outbox to the receivers' inboxes, in the order
/// (instant, sending partition, order sent).
void exchange(std::vector<std::unique_ptr<partition_run>>& parts) {
  for (auto& from : parts) {
    for (auto& c : from->outbox)
      parts[c.partition]->inbox.push_back(std::move(c));
    from->outbox.clear();
  }
  for (auto& to : parts)
    std::stable_sort(to->inbox.begin(), to->inbox.end(),
                     [](const crossing& a, const crossing& b) { return a.at < b.at; });
}

/// Merges the live views every partition has completed, in order.
void merge_views(std::vector<std::unique_ptr<partition_run>>& parts,
                 const live_sink& sink) {
  for (;;) {
    for (const auto& p : parts)
      if (p->views.empty())
        return;
    live_view v = std::move(parts[0]->views.front());
    parts[0]->views.pop_front();
    for (std::size_t p = 1; p < parts.size(); ++p) {
      v.total.merge(parts[p]->views.front().total);
      parts[p]->views.pop_front();
    }
    sink(v);
  }
}

} // namespace

run_result run_partitioned(std::shared_ptr<const scenario> s,
                           std::shared_ptr<const topology> topo,
                           std::shared_ptr<const partition_plan> plan,
                           run_hooks hooks, wall_clock::time_point t0) {
  const auto& run = s->run;
  std::unique_ptr<pipe_sink> piped;
  if (hooks.history != nullptr)
    piped = std::make_unique<pipe_sink>(*hooks.history);
  auto result = std::make_shared<run_result>();
  result->seed = run.seed;
  auto failure = std::make_shared<actor_failure>();
  std::vector<std::unique_ptr<partition_run>> parts;
  auto stop_everything = [&] {
    for (auto& p : parts)
      if (p->sys && !stop_all(*p->sys, p->ctx->dir, true))
        static_cast<void>(p->sys.release());
  };

  try {
    for (std::uint32_t i = 0; i < plan->count(); ++i) {
      auto& p = *parts.emplace_back(std::make_unique<partition_run>());
      caf::actor_system_config cfg;
      configure(cfg, run);
      p.sys = std::make_unique<caf::actor_system>(cfg);
      p.ctx = std::make_shared<run_context>();
      auto& ctx = *p.ctx;
      ctx.topo = topo;
      ctx.scn = s;
      ctx.partition = i;
      ctx.plan = plan;
      ctx.outbox = &p.outbox;
      ctx.history = piped ? &p.facts : nullptr;
      auto done = std::make_shared<std::promise<void>>();
      p.done = done->get_future();
      collector_setup setup;
      setup.out = i == 0 ? result : std::make_shared<run_result>();
      setup.done = done;
      setup.every = hooks.every;
      setup.total_out = p.total;
      if (hooks.sink)
        setup.sink = [&views = p.views](const live_view& v) { views.push_back(v); };
      result->wall.actors += spawn_partition(*p.sys, p.ctx, std::move(setup), failure);
      ctx.start = p.sys->clock().now();
    }

    std::size_t workers = std::min<std::size_t>(partition_workers(run), parts.size());
    sim_duration window_start{0};
    sim_duration window_end{0};
    window_crew crew{workers - 1, [&](std::size_t w) {
                       for (auto i = w; i < parts.size(); i += workers)
                         parts[i]->run_window(window_end);
                     }};
    auto t1 = wall_clock::now();
    for (auto& p : parts) {
      caf::anon_send(p->ctx->dir.controller, start_atom_v);
      caf::anon_send(p->ctx->dir.generator, start_atom_v);
      caf::anon_send(p->ctx->dir.collector, start_atom_v);
    }
    sim_duration stopped_at{-1};
    std::optional<fact> run_end;
    for (;;) {
      window_end = window_start + inter_pair_delay;
      crew.run_window();
      if (failure->failed)
        failure->raise();
      if (piped)
        merge_facts(parts, *piped, run_end);
      exchange(parts);
      if (hooks.sink)
        merge_views(parts, hooks.sink);
      auto all_done = true;
      for (auto& p : parts) {
        if (!p->finished)
          p->finished = p->done.wait_for(std::chrono::seconds{0})
                        == std::future_status::ready;
        all_done = all_done && p->finished;
      }
      if (all_done)
        break;
      if (hooks.stop && hooks.stop->load() != 0 && stopped_at.count() < 0) {
        stopped_at = window_end;
        for (auto& p : parts)
          caf::anon_send(p->ctx->dir.controller, finish_atom_v);
        continue; // the controllers finish at once, in the next window
      }
      std::optional<sim_duration> next;
      for (auto& p : parts) {
        auto t = p->next_timer();
        if (!p->inbox.empty() && (!t || p->inbox.front().at < *t))
          t = p->inbox.front().at;
        if (t && (!next || *t < *next))
          next = t;
      }
      if (!next)
        throw run_error("virtual clock stalled: no job and no timer left "
                        "before the run finished");
      window_start = std::max(*next, window_end);
    }
    if (piped) {
      if (run_end)
        piped->put(*run_end);
      piped->finish(); // the checker's last facts count in the run's wall
    }
    auto t2 = wall_clock::now();
    auto total = std::move(*parts[0]->total);
    for (std::size_t i = 1; i < parts.size(); ++i)
      total.merge(*parts[i]->total);
    fill_result(*result, total);
    if (hooks.sink) {
      live_view v;
      v.now = run.duration;
      v.final = true;
      v.total = std::move(total);
      hooks.sink(v);
    }
    note_timing(*result, stopped_at, run.duration, t0, t1, t2);
  } catch (...) {
    stop_everything();
    throw;
  }
  parts.clear();
  return std::move(*result);
}

} // namespace calldrill
