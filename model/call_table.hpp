// The calls one client host holds: a slot table with generations, so a call
// is found by its handle in O(1) and a late timer or message for a call that
// already ended (its slot reused) is recognised and ignored.
#pragma once

#include "model/types.hpp"

#include <vector>

namespace calldrill {

enum class call_status : std::uint8_t { free, scheduled, ringing, established };

/// One call's state machine data.
struct call_record {
  user_id callee = 0;
  /// The callee's home pool and group, read from the topology once when
  /// the call starts: its later events then touch no per-user table.
  pool_id home = no_pool;
  group_id group = no_group;
  sim_duration started{};
  pool_id queued_at = no_pool; ///< pool holding its pickup queue entry
  pool_id rang_at = no_pool;   ///< pool that routes the call while it rings
  call_status status = call_status::free;
  std::uint32_t generation = 0;
};

/// Slots of calls; a handle is (host:16 | generation:24 | slot:24), unique
/// across hosts, so pools may key queue entries by it.
class call_table {
public:
  explicit call_table(std::uint32_t host = 0) : host_(host) {}

  /// Takes a free slot for a new call and returns its handle.
  call_id open(user_id callee, sim_duration at) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    auto& c = slots_[slot];
    c.callee = callee;
    c.started = at;
    c.queued_at = no_pool;
    c.rang_at = no_pool;
    c.status = call_status::scheduled;
    c.generation = (c.generation + 1) & 0xFFFFFF;
    ++open_;
    return handle(slot);
  }

  /// The live call of `h`, or nullptr if it ended (or is another host's).
  call_record* find(call_id h) {
    auto slot = static_cast<std::uint32_t>(h & 0xFFFFFF);
    if ((h >> 48) != host_ || slot >= slots_.size())
      return nullptr;
    auto& c = slots_[slot];
    if (c.status == call_status::free
        || c.generation != ((h >> 24) & 0xFFFFFF))
      return nullptr;
    return &c;
  }

  /// The slot of a host-local part, live or not, or nullptr (for fetching
  /// it ahead of time: its contents may be stale).
  const call_record* slot_of(std::uint64_t local) const {
    auto slot = static_cast<std::uint32_t>(local & 0xFFFFFF);
    return slot < slots_.size() ? &slots_[slot] : nullptr;
  }
  /// Ends the call of `h` and frees its slot.
  void close(call_id h) {
    auto slot = static_cast<std::uint32_t>(h & 0xFFFFFF);
    slots_[slot].status = call_status::free;
    free_.push_back(slot);
    --open_;
  }

  /// Calls `f(handle, record)` for every live call, in slot order.
  template <class F>
  void for_each(F f) {
    for (std::uint32_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].status != call_status::free)
        f(handle(i), slots_[i]);
  }

  std::size_t open_calls() const { return open_; }

  /// The 48-bit host-local part of a handle (fits a timer entry's id).
  static std::uint64_t local(call_id h) { return h & 0xFFFFFFFFFFFFull; }
  /// The handle of a host-local part.
  call_id global(std::uint64_t local) const {
    return (static_cast<call_id>(host_) << 48) | local;
  }

private:
  call_id handle(std::uint32_t slot) const {
    return (static_cast<call_id>(host_) << 48)
           | (static_cast<call_id>(slots_[slot].generation) << 24) | slot;
  }
  std::uint32_t host_;
  std::vector<call_record> slots_;
  std::vector<std::uint32_t> free_;
  std::size_t open_ = 0;
};

} // namespace calldrill
