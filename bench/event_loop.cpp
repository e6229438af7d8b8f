// The plain event loop yardstick (see event_loop.hpp): one heap, the
// model's slot table of calls (model/call_table.hpp), one FIFO per pickup
// group.
#include "bench/event_loop.hpp"

#include "model/call_table.hpp"
#include "model/rng.hpp"

#include <algorithm>
#include <chrono>
#include <queue>
#include <vector>

namespace calldrill {

namespace {

enum kind : std::uint8_t { arrival, answer, pickup, ring_end, hang_up };

struct event {
  sim_duration at{};
  call_id call = 0; ///< its handle in the call table (0: an arrival)
  kind what = arrival;
  bool operator>(const event& o) const {
    return at != o.at ? at > o.at : call > o.call;
  }
};

class loop {
public:
  loop(const scenario& s, const topology& t, std::uint64_t seed)
      : s_(s), t_(t), random_(rng::derive(seed, 4242)),
        queues_(t.groups.size()) {}

  event_loop_result run() {
    event_loop_result r;
    auto t0 = std::chrono::steady_clock::now();
    auto first = next_arrival(sim_duration{0});
    if (first < s_.run.duration && t_.user_count() > 0)
      heap_.push({first, 0, arrival});
    while (!heap_.empty()) {
      auto e = heap_.top();
      heap_.pop();
      ++r.events;
      if (e.what == arrival) {
        ++r.calls;
        start(e.at);
        auto next = next_arrival(e.at);
        if (next < s_.run.duration)
          heap_.push({next, 0, arrival});
        continue;
      }
      if (auto* c = calls_.find(e.call)) // else it ended: a stale event
        handle(e, *c);
    }
    r.wall_seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - t0).count();
    return r;
  }

private:
  /// The next Poisson arrival after `t`, resampled at stage boundaries.
  sim_duration next_arrival(sim_duration t) {
    while (t < s_.run.duration) {
      sim_duration end{0};
      double rate = 0;
      for (const auto& st : s_.traffic.stages) {
        end += st.duration;
        if (t < end) {
          rate = st.rate_per_second;
          break;
        }
      }
      if (t >= end)
        return sim_duration::max();
      if (rate > 0) {
        auto gap = random_.exponential(1.0 / rate);
        if (gap < to_seconds(end - t))
          return t + from_seconds(gap);
      }
      t = end;
    }
    return sim_duration::max();
  }

  void close(call_id id, call_record& c) {
    if (c.status == call_status::ringing)
      dequeue(id, c);
    calls_.close(id);
  }

  void dequeue(call_id id, const call_record& c) {
    auto g = t_.group_of(c.callee);
    if (g == no_group)
      return;
    auto& q = queues_[g];
    auto j = std::find(q.begin(), q.end(), id);
    if (j != q.end())
      q.erase(j);
  }

  void start(sim_duration t) {
    const auto& tr = s_.traffic;
    auto callee = static_cast<user_id>(random_.below(t_.user_count()));
    auto id = calls_.open(callee, t);
    calls_.find(id)->status = call_status::ringing;
    auto end_at = t + tr.ring_timeout;
    auto end_kind = ring_end;
    if (random_.chance(tr.answer_probability)) {
      auto a = t + random_.between(tr.answer_delay_min, tr.answer_delay_max);
      if (a < end_at) {
        end_at = a;
        end_kind = answer;
      }
    }
    auto patience = t + from_seconds(random_.exponential(to_seconds(tr.abandon_mean)));
    if (patience < end_at) {
      end_at = patience;
      end_kind = ring_end;
    }
    heap_.push({end_at, id, end_kind});
    auto g = t_.group_of(callee);
    if (g == no_group)
      return;
    queues_[g].push_back(id);
    if (random_.chance(tr.pickup_probability)) {
      auto p = t + random_.between(tr.pickup_delay_min, tr.pickup_delay_max);
      if (p < end_at)
        heap_.push({p, id, pickup});
    }
  }

  void establish(call_id id, sim_duration t) {
    auto& c = *calls_.find(id);
    dequeue(id, c);
    c.status = call_status::established;
    auto hold = from_seconds(random_.exponential(to_seconds(s_.traffic.hold_mean)));
    heap_.push({t + hold, id, hang_up});
  }

  void handle(const event& e, call_record& c) {
    switch (e.what) {
      case answer:
        if (c.status == call_status::ringing)
          establish(e.call, e.at);
        break;
      case pickup:
        if (c.status == call_status::ringing) {
          // The longest-ringing call of the group is the one answered.
          auto& q = queues_[t_.group_of(c.callee)];
          if (!q.empty())
            establish(q.front(), e.at);
        }
        break;
      case ring_end:
        if (c.status == call_status::ringing)
          close(e.call, c);
        break;
      case hang_up:
        if (c.status == call_status::established)
          close(e.call, c);
        break;
      default:
        break;
    }
  }

  const scenario& s_;
  const topology& t_;
  rng random_;
  std::priority_queue<event, std::vector<event>, std::greater<event>> heap_;
  call_table calls_;
  std::vector<std::vector<call_id>> queues_;
};

} // namespace

event_loop_result run_event_loop(const scenario& s, const topology& t,
                                 std::uint64_t seed) {
  return loop{s, t, seed}.run();
}

} // namespace calldrill
