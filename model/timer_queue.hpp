// The wake-ups of an actor hosting many users or calls, so it arms one
// framework timer (for the earliest) instead of one per event. A calendar
// queue: entries within the horizon are appended to time buckets (cheap,
// cache-friendly), the current bucket is kept sorted, entries pushed before
// it (after the queue jumped ahead over idle time) wait in a heap beside it,
// and entries beyond the horizon wait in a heap. Order is total — by time,
// then by (kind, id) — so runs stay deterministic.
#pragma once

#include "model/types.hpp"

#include <algorithm>
#include <cstdint>
#include <queue>
#include <vector>

namespace calldrill {

/// The model's time resolution: every wake-up of a client or a call falls on
/// this grid (its instant rounded up), so that a host handles all the events
/// of one slot in one wake-up. Drill actions and the pools' own ticks keep
/// their instants.
constexpr sim_duration time_resolution = std::chrono::milliseconds{10};

/// `t` (not negative) rounded up to the time grid.
constexpr sim_duration on_grid(sim_duration t) {
  auto r = t % time_resolution;
  return r == sim_duration{0} ? t : t + (time_resolution - r);
}

struct timer_entry {
  sim_duration at{};
  std::uint64_t word = 0; ///< kind in the top 8 bits, id in the low 56

  std::uint8_t kind() const { return static_cast<std::uint8_t>(word >> 56); }
  std::uint64_t id() const { return word & ((std::uint64_t{1} << 56) - 1); }
};

class timer_queue {
public:
  timer_queue() : ring_(buckets) {}

  /// Schedules (kind, id) at `at`; `id` must fit in 56 bits.
  void push(sim_duration at, std::uint8_t kind, std::uint64_t id) {
    timer_entry e{at, (std::uint64_t{kind} << 56) | id};
    ++size_;
    if (at < base_) {
      // Before the current bucket: a host that found its queue idle jumped
      // to the bucket of its earliest entry, maybe far ahead, and schedules
      // wake-ups before it (a whole pool's users at an outage). Inserted
      // into the sorted bucket, each moved all of it: quadratic, 40 s of a
      // run that takes 5.
      late_.push_back(e);
      std::push_heap(late_.begin(), late_.end(), later{});
    } else if (at < base_ + width) {
      // The current bucket stays sorted, latest first (pop from the back):
      // a few of its entries move, cheaper than a heap's steps.
      auto pos = std::upper_bound(current_.begin(), current_.end(), e, later{});
      current_.insert(pos, e);
    } else if (at < base_ + width * buckets) {
      auto offset = static_cast<std::size_t>((at - base_) / width);
      ring_[(cursor_ + offset) % buckets].push_back(e);
      ++in_ring_;
    } else {
      overflow_.push(e);
    }
  }

  bool empty() const { return size_ == 0; }

  /// Entries' room the queue holds (for memory checks), in entries.
  std::size_t room() const {
    auto total = current_.capacity() + late_.capacity();
    for (const auto& b : ring_)
      total += b.capacity();
    return total;
  }
  std::size_t size() const { return size_; }

  /// The earliest entry; the queue must not be empty.
  const timer_entry& top() {
    settle();
    return from_late() ? late_.front() : current_.back();
  }

  /// An entry about `k` places after the earliest, if the current bucket
  /// holds one (for fetching what it will touch ahead of time; entries
  /// pushed before the bucket are not counted); call after top() or pop().
  const timer_entry* ahead(std::size_t k) const {
    return k < current_.size() ? &current_[current_.size() - 1 - k] : nullptr;
  }
  timer_entry pop() {
    settle();
    timer_entry e;
    if (from_late()) {
      std::pop_heap(late_.begin(), late_.end(), later{});
      e = late_.back();
      late_.pop_back();
    } else {
      e = current_.back();
      current_.pop_back();
    }
    --size_;
    return e;
  }

private:
  static constexpr std::size_t buckets = 1024;
  /// Room a spent bucket keeps for reuse at least (entries; 64 B).
  static constexpr std::size_t bucket_room_min = 4;
  static constexpr sim_duration width = std::chrono::milliseconds{250};

  /// Orders latest first, so the earliest entry sits at the back.
  struct later {
    bool operator()(const timer_entry& a, const timer_entry& b) const {
      return a.at != b.at ? a.at > b.at : a.word > b.word;
    }
  };

  /// Whether the earliest entry is in `late_`.
  bool from_late() const {
    return !late_.empty()
           && (current_.empty() || later{}(current_.back(), late_.front()));
  }

  /// Advances to the next non-empty bucket if the current one is spent.
  void settle() {
    while (current_.empty() && late_.empty() && size_ > 0) {
      if (in_ring_ == 0) {
        // Jump straight to the bucket of the earliest far-away entry.
        auto next = overflow_.top().at;
        base_ = next - (next - base_) % width;
      } else {
        base_ += width;
        cursor_ = (cursor_ + 1) % buckets;
      }
      auto& bucket = ring_[cursor_];
      in_ring_ -= bucket.size();
      current_.swap(bucket);
      bucket.clear();
      // The spent bucket's buffer now waits in the ring. Buffers circulate
      // between the buckets, so every buffer ratchets up to whatever room
      // is kept (in realtime, after every stall of the host). Kept room of
      // a few times a bucket's share took one rare busy bucket after
      // another to reach, and RSS crept for hours; room for twice the
      // share is reached by most buckets within a few turns of the ring,
      // and a larger buffer goes.
      auto kept = std::max(bucket_room_min, 2 * (size_ / buckets));
      if (bucket.capacity() > kept)
        std::vector<timer_entry>{}.swap(bucket);
      if (late_.capacity() > kept)
        std::vector<timer_entry>{}.swap(late_);
      // Far entries that now fall within the horizon come into the ring.
      auto horizon = base_ + width * buckets;
      while (!overflow_.empty() && overflow_.top().at < horizon) {
        auto e = overflow_.top();
        overflow_.pop();
        if (e.at < base_ + width) {
          current_.push_back(e);
        } else {
          ring_[(cursor_ + static_cast<std::size_t>((e.at - base_) / width))
                % buckets]
            .push_back(e);
          ++in_ring_;
        }
      }
      std::sort(current_.begin(), current_.end(), later{});
    }
  }

  std::vector<std::vector<timer_entry>> ring_;
  std::vector<timer_entry> current_; ///< bucket at base_, sorted latest first
  /// Entries pushed before the current bucket since it came up, a heap by
  /// `later` (earliest at the front).
  std::vector<timer_entry> late_;
  std::priority_queue<timer_entry, std::vector<timer_entry>, later> overflow_;
  sim_duration base_{0};  ///< start of the current bucket
  std::size_t cursor_ = 0; ///< ring index of the current bucket
  std::size_t in_ring_ = 0;
  std::size_t size_ = 0;
};

} // namespace calldrill
