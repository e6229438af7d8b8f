// The Group Call Pickup queues one pool's Call Park application holds: per
// group, ringing calls in the order they started ringing (longest first).
#pragma once

#include "model/types.hpp"

#include <optional>
#include <vector>

namespace calldrill {

struct queue_entry {
  call_id call = 0;
  user_id callee = 0;
  sim_duration since{};     ///< when it started ringing
  std::uint32_t epoch = 0;  ///< the pair epoch it was entered in
  bool entered_in_resiliency = false;
};

/// Per-group FIFO queues, indexed by group id (ids are dense); a group's
/// queue is short (at most its members' ringing calls), so erasing inside it
/// is cheap. Not thread-safe (owned by one pool actor).
class pickup_queues {
public:
  void push(group_id g, const queue_entry& e) {
    if (g >= by_group_.size())
      by_group_.resize(static_cast<std::size_t>(g) + 1);
    by_group_[g].push_back(e);
    ++size_;
  }

  /// Removes the entry of `call`; returns whether it was there.
  bool remove(group_id g, call_id call);

  /// The entry of `call`, or nullptr.
  const queue_entry* find(group_id g, call_id call) const;

  /// Removes and returns the longest-ringing entry of `g` satisfying `pred`.
  template <class Pred>
  std::optional<queue_entry> take_first(group_id g, Pred pred) {
    if (g >= by_group_.size())
      return std::nullopt;
    auto& q = by_group_[g];
    for (auto j = q.begin(); j != q.end(); ++j)
      if (pred(*j)) {
        auto e = *j;
        q.erase(j);
        --size_;
        let_go_if_empty(q);
        return e;
      }
    return std::nullopt;
  }

  /// Number of entries of every group satisfying `pred`.
  template <class Pred>
  std::size_t count_all(Pred pred) const {
    std::size_t n = 0;
    for (const auto& q : by_group_)
      for (const auto& e : q)
        n += pred(e) ? 1 : 0;
    return n;
  }

  /// Number of entries of `g` satisfying `pred`.
  template <class Pred>
  std::size_t count(group_id g, Pred pred) const {
    std::size_t n = 0;
    if (g < by_group_.size())
      for (const auto& e : by_group_[g])
        n += pred(e) ? 1 : 0;
    return n;
  }

  /// Removes every entry satisfying `pred`, calling `sink(group, entry)`
  /// for each; returns how many were removed.
  template <class Pred, class Sink>
  std::size_t purge(Pred pred, Sink sink) {
    std::size_t n = 0;
    for (std::size_t g = 0; g < by_group_.size(); ++g) {
      auto& q = by_group_[g];
      for (auto j = q.begin(); j != q.end();)
        if (pred(*j)) {
          sink(static_cast<group_id>(g), *j);
          j = q.erase(j);
          ++n;
        } else {
          ++j;
        }
      let_go_if_empty(q);
    }
    size_ -= n;
    return n;
  }

  std::size_t size() const { return size_; }

  /// Entries' room the queues hold (for memory checks), in entries.
  std::size_t room() const {
    std::size_t total = 0;
    for (const auto& q : by_group_)
      total += q.capacity();
    return total;
  }

private:
  /// An empty group's queue gives its buffer back: a buffer kept would stay
  /// as large as the group's longest queue ever, and over a long run every
  /// group's record creeps up, one rare busy moment at a time.
  static void let_go_if_empty(std::vector<queue_entry>& q) {
    if (q.empty())
      std::vector<queue_entry>{}.swap(q);
  }

  std::vector<std::vector<queue_entry>> by_group_;
  std::size_t size_ = 0;
};

inline bool pickup_queues::remove(group_id g, call_id call) {
  if (g >= by_group_.size())
    return false;
  auto& q = by_group_[g];
  for (auto j = q.begin(); j != q.end(); ++j)
    if (j->call == call) {
      q.erase(j);
      --size_;
      let_go_if_empty(q);
      return true;
    }
  return false;
}

inline const queue_entry* pickup_queues::find(group_id g, call_id call) const {
  if (g >= by_group_.size())
    return nullptr;
  for (const auto& e : by_group_[g])
    if (e.call == call)
      return &e;
  return nullptr;
}

} // namespace calldrill
