// Traffic generator: Poisson arrivals at the scenario's staged rate, never
// held back by how the system copes (hosts count what they cannot start).
// Each tick it hands every host the arrivals of the next window. A
// partitioned run has one generator per partition, for the users homed there,
// at their share of the rate (Poisson streams add up to the whole).
#include "actors/drivers.hpp"
#include "actors/run.hpp"

#include "model/rng.hpp"

#include <map>

namespace calldrill {

namespace {

/// Random streams of partitions' generators after the first (hosts draw
/// from 1000 + host, their lag samples from 9000000 + host).
constexpr std::uint64_t generator_stream = 5000000;

constexpr sim_duration generator_tick = arrivals_handed_ahead;
/// The most simulated time one tick hands out when the generator lags (a
/// realtime run whose process stalled): it catches up in steps this long,
/// re-armed at once, instead of one batch of the whole backlog.
constexpr sim_duration catch_up_step_max = std::chrono::seconds{1};

struct generator_state {
  context_ptr ctx;
  rng random{0};
  call_id next_call = 1;
  sim_duration next_arrival{};
  sim_duration armed{-1};
  sim_duration handed_until{0}; ///< arrivals before it are handed out
  std::uint64_t messages = 0;
  std::uint64_t arrivals = 0;
  /// This partition's share of the users, hence of the calls.
  double share = 1.0;

  /// The stage rate in force at `t` and when that stage ends.
  std::pair<double, sim_duration> rate_at(sim_duration t) const {
    sim_duration end{0};
    for (const auto& s : ctx->scn->traffic.stages) {
      end += s.duration;
      if (t < end)
        return {s.rate_per_second * share, end};
    }
    return {0.0, sim_duration::max()};
  }

  /// Draws the arrival after `t`, resampling at stage boundaries.
  sim_duration draw_after(sim_duration t) {
    auto limit = ctx->scn->run.duration;
    while (t < limit) {
      auto [rate, stage_end] = rate_at(t);
      if (rate <= 0) {
        t = stage_end;
        continue;
      }
      // Compared in seconds before converting: at a tiny rate the draw
      // (1e300 s at 1e-300 calls/s) does not fit the microsecond clock, and
      // converting it first overflowed into a negative gap.
      auto gap_s = random.exponential(1.0 / rate);
      if (gap_s < to_seconds(stage_end - t)) {
        auto at = t + from_seconds(gap_s);
        if (at < stage_end)
          return at;
      }
      t = stage_end;
    }
    return sim_duration::max();
  }
};

using generator_ptr = ticker_actor::stateful_pointer<generator_state>;

void emit_window(generator_ptr self) {
  auto& st = self->state;
  const auto& ctx = *st.ctx;
  auto now = ctx.now(self->clock());
  // After a stall of the process, the whole backlog in one batch had every
  // host open a call slot per pending arrival at once: slot tables keep
  // their largest size, and RSS stayed up by megabytes for the rest of the
  // run. Catch up one bounded step at a time; on time (virtual time
  // always), the window is the next tick's, as before.
  auto window_end = std::min(now, st.handed_until + catch_up_step_max)
                    + generator_tick;
  st.handed_until = window_end;
  const auto& plan = *ctx.plan;
  auto users = plan.users_in(ctx.partition);
  std::map<std::uint32_t, arrival_batch> batches;
  while (st.next_arrival < window_end && users > 0) {
    auto callee = plan.user_in(ctx.partition,
                               static_cast<std::uint32_t>(st.random.below(users)));
    batches[ctx.host_of(callee)].items.push_back(
      arrival{st.next_call++, callee, st.next_arrival});
    ++st.arrivals;
    st.next_arrival = st.draw_after(st.next_arrival);
  }
  for (auto& [host, batch] : batches)
    self->send(ctx.dir.hosts[host], std::move(batch));
  if (st.next_arrival != sim_duration::max())
    arm_tick(self, ctx, window_end, st.armed, now);
}

} // namespace

ticker_actor spawn_generator(caf::actor_system& sys, context_ptr ctx) {
  auto impl = [](generator_ptr self, context_ptr c) -> ticker_actor::behavior_type {
    self->state.ctx = std::move(c);
    auto& st = self->state;
    auto part = st.ctx->partition;
    st.random = rng::derive(st.ctx->scn->run.seed,
                            part == 0 ? 1 : generator_stream + part);
    auto all = st.ctx->topo->user_count();
    if (st.ctx->plan->count() > 1 && all > 0)
      st.share = static_cast<double>(st.ctx->plan->users_in(part)) / all;
    return {
      [=](start_atom) {
        auto& st = self->state;
        ++st.messages;
        st.next_arrival = st.draw_after(sim_duration{0});
        emit_window(self);
      },
      [=](tick_atom) {
        ++self->state.messages;
        emit_window(self);
      },
      [=](snapshot_atom) {
        auto& st = self->state;
        snapshot_msg m;
        m.snap.arrivals = st.arrivals;
        m.snap.messages = st.messages;
        self->send(st.ctx->dir.collector, std::move(m));
      },
      [=](finish_atom) {
        auto& st = self->state;
        snapshot_msg m;
        m.final = true;
        m.snap.arrivals = st.arrivals;
        m.snap.messages = st.messages;
        self->send(st.ctx->dir.collector, std::move(m));
        self->quit();
      },
    };
  };
  return sys.spawn(impl, std::move(ctx));
}

} // namespace calldrill
