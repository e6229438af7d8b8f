// The checker's own state of the simulated estate, rebuilt from facts: which
// pools are up, each pair's DR phase, where ranges point, who is registered
// where, and what waits in each pickup queue. Its reading of the table
// (modes, affected users, answerable entries) is written here, apart from
// the model's: the two are compared, never shared.
#pragma once

#include "history/fact.hpp"
#include "model/topology.hpp"

#include <unordered_map>
#include <vector>

namespace calldrill::checking {

/// The table's column of a DR step, as the source's table reads.
column column_of_phase(pair_phase p);

struct pair_view {
  pair_phase phase = pair_phase::normal;
  pool_id failed = no_pool;
  std::uint32_t epoch = 0; ///< changes of column so far
};

/// The world at one moment. Small: pools, ranges and pairs only.
struct world_view {
  std::vector<std::uint8_t> up;
  std::vector<std::uint8_t> call_park;
  std::vector<std::uint32_t> downs; ///< outages of each pool so far
  std::vector<pool_id> orbit;
  std::vector<pair_view> pairs;

  explicit world_view(const topology& t);
  world_view() = default;
};

/// A user's registrations as the registrars hold them, and the pool its
/// client was last told it is registered on.
struct user_registration {
  pool_id held[2] = {no_pool, no_pool};
  std::uint32_t held_downs[2] = {0, 0};
  pool_id confirmed = no_pool;
  sim_duration requested_at{-1};
  sim_duration unregistered_since{0}; ///< when it last lost its registration
  bool registered = true;             ///< now (confirmed and held)
};

/// One reading of an entry when it was queued: the pair epoch and whether
/// the callee was in resiliency mode.
struct entry_reading {
  std::uint32_t epoch = 0;
  bool resiliency = false;
};

struct queued_call {
  call_id call = 0;
  user_id callee = 0;
  sim_duration since{};
  std::uint32_t downs = 0; ///< the pool's outages when it was queued
  entry_reading readings[2]; ///< under the world before and after a change
                             ///< at the instant it was queued
};

/// The replica and the table's reading over it.
class replica {
public:
  explicit replica(const topology& t);

  const topology& topo() const { return topo_; }
  world_view& now() { return now_; }
  const world_view& now() const { return now_; }

  /// The world views a decision at `at` may have been made under: the world
  /// now, and the world before changes made at the same instant (messages
  /// take no simulated time, so an actor may not have seen them yet).
  int views(sim_duration at, const world_view* out[2]) const;
  /// Call before applying a world fact at `at`.
  void world_changing(sim_duration at);

  bool affected(const world_view& w, user_id u) const;
  bool held(const world_view& w, user_id u, pool_id p) const;
  /// The pool serving `u` as its client knows it, if a registrar holds it.
  pool_id serving(const world_view& w, user_id u) const;
  /// The mode of `u` registered on `p` (the source's table).
  user_mode mode(const world_view& w, user_id u, pool_id p) const;
  /// Whether the entry may be answered through pool `p` now.
  bool answerable(const world_view& w, const queued_call& q,
                  const entry_reading& r, pool_id p) const;
  entry_reading reading(const world_view& w, user_id callee, pool_id p) const;

  std::vector<user_registration> users;
  std::unordered_map<std::uint64_t, std::vector<queued_call>> queues;
  static std::uint64_t queue_key(pool_id p, group_id g) {
    return (static_cast<std::uint64_t>(p) << 32) | g;
  }

private:
  const topology& topo_;
  world_view now_;
  world_view before_;
  sim_duration changed_at_{-1};
};

} // namespace calldrill::checking
