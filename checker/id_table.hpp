// What the checker keeps per live call or pickup attempt, found by its id.
// Ids are opaque to the checker; most runs make them dense per host (host in
// the top 16 bits, a slot in the low 24), so an entry goes in a flat array at
// (host, slot) when that place is free, and in a hash map otherwise. Either
// way the full id is compared: whatever the ids, the table answers as a map
// would, and a well-formed run's lookups touch one cache line instead of a
// hash node.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace calldrill::checking {

template <class T>
class id_table {
public:
  /// The entry of `id`, or nullptr.
  T* find(std::uint64_t id) {
    if (auto* s = place(id); s != nullptr && s->used && s->id == id)
      return &s->value;
    auto o = overflow_.find(id);
    return o == overflow_.end() ? nullptr : &o->second;
  }

  /// Adds `v` under `id`; false (and nothing changes) if `id` is there.
  bool insert(std::uint64_t id, const T& v) {
    if (find(id) != nullptr)
      return false;
    if (auto* s = place(id, true); s != nullptr && !s->used) {
      *s = slot{id, true, v};
    } else {
      overflow_.emplace(id, v);
    }
    ++size_;
    return true;
  }

  /// Sets the entry of `id` to `v`, adding it if missing.
  void assign(std::uint64_t id, const T& v) {
    if (auto* e = find(id)) {
      *e = v;
      return;
    }
    insert(id, v);
  }

  /// Removes the entry of `id`; false if there was none.
  bool erase(std::uint64_t id) {
    if (auto* s = place(id); s != nullptr && s->used && s->id == id) {
      s->used = false;
      --size_;
      return true;
    }
    if (overflow_.erase(id) == 0)
      return false;
    --size_;
    return true;
  }

  std::size_t size() const { return size_; }
  /// The flat place of `id` if it has one, else nullptr (for fetching it
  /// into the cache ahead of a lookup).
  const void* where(std::uint64_t id) const {
    // Without growing, place() changes nothing.
    return const_cast<id_table*>(this)->place(id);
  }

  /// Calls `f(id, entry)` for every entry: the flat places in (host, slot)
  /// order, then the rest in the map's order (deterministic for a history).
  template <class F>
  void for_each(F f) const {
    each(*this, f);
  }
  /// The same, with entries `f` may change.
  template <class F>
  void for_each_mutable(F f) {
    each(*this, f);
  }

private:
  template <class Self, class F>
  static void each(Self& self, F& f) {
    for (auto& host : self.hosts_)
      for (auto& s : host)
        if (s.used)
          f(s.id, s.value);
    for (auto& [id, v] : self.overflow_)
      f(id, v);
  }

  struct slot {
    std::uint64_t id = 0;
    bool used = false;
    T value{};
  };
  /// A host's array grows only to a slot near its end: it stays within
  /// what dense ids need, whatever ids a broken model or a test makes.
  static constexpr std::uint64_t max_gap = 1024;

  slot* place(std::uint64_t id, bool grow = false) {
    auto host = id >> 48;
    auto s = id & 0xFFFFFFu;
    if (host >= hosts_.size()) {
      if (!grow)
        return nullptr;
      hosts_.resize(host + 1);
    }
    auto& h = hosts_[host];
    if (s >= h.size()) {
      if (!grow || s > 2 * h.size() + max_gap)
        return nullptr;
      h.resize(s + 1);
    }
    return &h[s];
  }

  std::vector<std::vector<slot>> hosts_;
  std::unordered_map<std::uint64_t, T> overflow_;
  std::size_t size_ = 0;
};

} // namespace calldrill::checking
