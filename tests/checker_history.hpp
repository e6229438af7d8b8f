// A hand-written history for checker tests: facts put one by one into a
// checker over a scenario's topology, with helpers for the common ones.
#pragma once

#include "checker/checker.hpp"

#include <memory>

namespace calldrill::testing {

class fact_history {
public:
  explicit fact_history(scenario s)
    : s_(std::move(s)), topo_(build_topology(s_).topo), c_(topo_, s_) {}

  const topology& topo() const { return *topo_; }

  void put(fact f) { c_.put(f); }
  void call(sim_duration at, call_id id, user_id callee, pool_id p) {
    put(of_call(fact_kind::call_started, at, id, callee, p));
  }
  void queue(sim_duration at, call_id id, user_id callee, pool_id p) {
    put(of_call(fact_kind::call_queued, at, id, callee, p));
  }
  /// A fact of call `id` to `callee` on pool `p`, in the callee's group.
  fact of_call(fact_kind k, sim_duration at, call_id id, user_id callee,
               pool_id p) const {
    auto f = facts::call(k, at, id);
    f.user = callee;
    f.group = topo_->group_of(callee);
    f.pool = p;
    return f;
  }
  /// A pickup by `picker` of `callee`'s group through `p`, answering `taken`
  /// (0: refused with `r`).
  void pickup(sim_duration at, call_id attempt, user_id picker, user_id callee,
              pool_id p, call_id taken,
              pickup_result r = pickup_result::ok) {
    auto d = facts::call(fact_kind::pickup_dialed, at, attempt);
    d.user = picker;
    d.group = topo_->group_of(callee);
    d.pool = p;
    d.pool2 = p;
    put(d);
    auto f = facts::call(fact_kind::pickup_done, at, attempt);
    f.code = static_cast<std::uint8_t>(r);
    f.ref = taken;
    f.user = picker;
    f.group = topo_->group_of(callee);
    f.pool = p;
    put(f);
  }
  void established(sim_duration at, call_id id, sim_duration hold,
                   bool picked = false) {
    auto f = facts::call(fact_kind::call_established, at, id);
    f.code = picked ? 1 : 0;
    f.value = hold.count();
    put(f);
  }
  void ended(sim_duration at, call_id id, end_cause c) {
    auto f = facts::call(fact_kind::call_ended, at, id);
    f.code = static_cast<std::uint8_t>(c);
    put(f);
  }
  void phase(sim_duration at, pair_phase ph, pool_id failed = 0) {
    put(facts::pair_phase(at, 0, ph, failed));
  }
  /// Ends the history at `end` and decides.
  check_report finish(sim_duration end) {
    put(facts::make(fact_kind::run_end, end));
    return c_.finish();
  }

private:
  scenario s_;
  std::shared_ptr<const topology> topo_;
  history_checker c_;
};

} // namespace calldrill::testing
