// A min-heap of simulated wake-ups, so an actor hosting many users or calls
// arms one framework timer (for the earliest) instead of one per event.
// Ties fire in the order they were scheduled, which keeps runs deterministic.
#pragma once

#include "model/types.hpp"

#include <cstdint>
#include <queue>
#include <vector>

namespace calldrill {

struct timer_entry {
  sim_duration at{};
  std::uint64_t seq = 0;
  std::uint64_t id = 0;   ///< a call id or a user id
  std::uint8_t kind = 0;  ///< meaning chosen by the owner
};

class timer_queue {
public:
  void push(sim_duration at, std::uint8_t kind, std::uint64_t id) {
    heap_.push(timer_entry{at, next_seq_++, id, kind});
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const timer_entry& top() const { return heap_.top(); }
  timer_entry pop() {
    auto e = heap_.top();
    heap_.pop();
    return e;
  }

private:
  struct later {
    bool operator()(const timer_entry& a, const timer_entry& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };
  std::priority_queue<timer_entry, std::vector<timer_entry>, later> heap_;
  std::uint64_t next_seq_ = 0;
};

} // namespace calldrill
