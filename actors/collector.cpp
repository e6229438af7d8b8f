// Collector: merges every actor's final report and the controller's phase
// records into the run result, then signals the run's driver.
#include "actors/drivers.hpp"

namespace calldrill {

report_msg make_report(const observations& obs, std::uint64_t messages) {
  report_msg r;
  r.messages = messages;
  for (const auto& row : obs.cells())
    r.cells.insert(r.cells.end(), row.begin(), row.end());
  for (const auto& b : obs.boundaries())
    r.bounds.insert(r.bounds.end(),
                    {b.started, b.established, b.failed, b.abandoned, b.ringing});
  return r;
}

observations read_report(const report_msg& r, std::size_t pairs) {
  observations obs{pairs};
  auto& cells = obs.cells();
  if (r.cells.size() == cells.size() * counter_count)
    for (std::size_t i = 0; i < cells.size(); ++i)
      for (std::size_t k = 0; k < counter_count; ++k)
        cells[i][k] = r.cells[i * counter_count + k];
  for (std::size_t i = 0; i + 5 <= r.bounds.size(); i += 5)
    obs.boundary(i / 5, boundary_totals{r.bounds[i], r.bounds[i + 1],
                                        r.bounds[i + 2], r.bounds[i + 3],
                                        r.bounds[i + 4]});
  return obs;
}

namespace {

struct collector_state {
  context_ptr ctx;
  std::size_t expected = 0;
  std::size_t received = 0;
  std::shared_ptr<run_result> out;
  std::shared_ptr<std::promise<void>> done;
  std::vector<double> lags;
};

using collector_ptr = collector_actor::stateful_pointer<collector_state>;

double percentile(std::vector<double>& xs, double q) {
  if (xs.empty())
    return 0;
  auto k = static_cast<std::size_t>(q * static_cast<double>(xs.size() - 1));
  std::nth_element(xs.begin(), xs.begin() + static_cast<long>(k), xs.end());
  return xs[k];
}

} // namespace

collector_actor spawn_collector(caf::actor_system& sys, context_ptr ctx,
                                std::size_t expected,
                                std::shared_ptr<run_result> out,
                                std::shared_ptr<std::promise<void>> done) {
  auto impl = [](collector_ptr self, context_ptr c, std::size_t n,
                 std::shared_ptr<run_result> o,
                 std::shared_ptr<std::promise<void>> d)
    -> collector_actor::behavior_type {
    auto& st = self->state;
    st.ctx = std::move(c);
    st.expected = n;
    st.out = std::move(o);
    st.done = std::move(d);
    st.out->obs = observations{st.ctx->topo->pairs.size()};
    return {
      [=](const report_msg& r) {
        auto& st = self->state;
        st.out->obs.merge(read_report(r, st.ctx->topo->pairs.size()));
        st.out->wall.actor_messages += r.messages;
        st.lags.insert(st.lags.end(), r.lags_ms.begin(), r.lags_ms.end());
        if (++st.received == st.expected) {
          st.out->wall.arrival_lag_p99_ms = percentile(st.lags, 0.99);
          st.done->set_value();
          self->quit();
        }
      },
      [=](const phase_msg& m) {
        auto& out = *self->state.out;
        if (m.refused)
          out.refused.push_back({m.at, m.action});
        else
          out.phases.push_back({m.at, m.pair, m.phase, m.action});
      },
      [=](const orbit_msg& m) { self->state.out->orbit_targets = m.targets; },
    };
  };
  return sys.spawn(impl, std::move(ctx), expected, std::move(out),
                   std::move(done));
}

} // namespace calldrill
