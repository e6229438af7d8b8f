// A min-heap of simulated wake-ups, so an actor hosting many users or calls
// arms one framework timer (for the earliest) instead of one per event.
// Entries are 16 bytes (time, then kind and id in one word) to keep the heap
// cache-friendly; ties break on that word, so order is total and runs stay
// deterministic.
#pragma once

#include "model/types.hpp"

#include <cstdint>
#include <queue>
#include <vector>

namespace calldrill {

struct timer_entry {
  sim_duration at{};
  std::uint64_t word = 0; ///< kind in the top 8 bits, id in the low 56

  std::uint8_t kind() const { return static_cast<std::uint8_t>(word >> 56); }
  std::uint64_t id() const { return word & ((std::uint64_t{1} << 56) - 1); }
};

class timer_queue {
public:
  /// Schedules (kind, id) at `at`; `id` must fit in 56 bits.
  void push(sim_duration at, std::uint8_t kind, std::uint64_t id) {
    heap_.push(timer_entry{at, (std::uint64_t{kind} << 56) | id});
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
      return a.at != b.at ? a.at > b.at : a.word > b.word;
    }
  };
  std::priority_queue<timer_entry, std::vector<timer_entry>, later> heap_;
};

} // namespace calldrill
