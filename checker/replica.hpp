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
  pool_id asked = no_pool;     ///< the pool of its latest request
  sim_duration requested_at{-1}; ///< its first request not yet admitted
  sim_duration asked_at{-1};     ///< its latest request
  sim_duration unregistered_since{0}; ///< when it last lost its registration
  std::uint32_t asked_downs = 0;      ///< that pool's outages when it asked
  bool registered = true;             ///< now (confirmed and held)
  /// Its home pool, the topology's, kept in the row the facts of the user
  /// touch anyway: one cache miss per fact instead of two on large estates.
  pool_id home = no_pool;
};

/// How an entry read when it was queued, over every world the pool may have
/// queued it under: the range of its pair's epochs (epochs only grow, so the
/// worlds' epochs are every number between) and whether its callee was in
/// resiliency mode under any or all of them.
struct entry_reading {
  std::uint32_t epoch_lo = 0;
  std::uint32_t epoch_hi = 0;
  bool resiliency_any = false;
  bool resiliency_all = false;

  /// Whether some world read the entry as queued in epoch `e`.
  bool maybe_in(std::uint32_t e) const { return epoch_lo <= e && e <= epoch_hi; }
  /// Whether every world read the entry as queued in epoch `e`.
  bool surely_in(std::uint32_t e) const { return epoch_lo == e && epoch_hi == e; }
};

struct queued_call {
  call_id call = 0;
  user_id callee = 0;
  sim_duration since{};
  std::uint32_t downs = 0; ///< the pool's outages when it was queued
  entry_reading reading;
};

/// The worlds a decision may have been made under, newest first. Valid
/// until the next call of `replica::views`.
struct view_set {
  const world_view* const* data = nullptr;
  std::size_t n = 0;
  const world_view* const* begin() const { return data; }
  const world_view* const* end() const { return data + n; }
  const world_view& newest() const { return *data[0]; }
};

/// How a judgement reads an instant's worlds.
enum class reading_of : std::uint8_t { some, every };

/// The replica and the table's reading over it.
class replica {
public:
  /// `tolerance`: how late an actor may act on a world change (zero in
  /// virtual time, where messages take no simulated time).
  replica(const topology& t, sim_duration tolerance);

  const topology& topo() const { return topo_; }
  world_view& now() { return now_; }
  const world_view& now() const { return now_; }

  /// The worlds a decision recorded now and stamped `at` may have been made
  /// under: the world now, and each world that was current at some instant
  /// from `at` minus the tolerance on (an actor may not have seen a change
  /// yet; in virtual time, one made at the same instant).
  view_set views(sim_duration at) const;
  /// Call before applying a world fact at `at`.
  void world_changing(sim_duration at);
  sim_duration tolerance() const { return tolerance_; }
  /// The latest instant the world changed at (-1: never).
  sim_duration latest_change() const { return latest_; }

  pool_id home_of(user_id u) const { return users[u].home; }
  bool affected(const world_view& w, user_id u) const;
  bool held(const world_view& w, user_id u, pool_id p) const;
  /// The pool serving `u` as its client knows it, if a registrar holds it.
  pool_id serving(const world_view& w, user_id u) const;
  /// The mode of `u` registered on `p` (the source's table).
  user_mode mode(const world_view& w, user_id u, pool_id p) const;
  /// The mode of `u` under `w` if pool `p` holds it, whether or not it does.
  user_mode mode_held(const world_view& w, user_id u, pool_id p) const;
  /// Whether the entry may be answered through pool `p` under `w`, as
  /// some or every reading of its queueing has it.
  bool answerable(const world_view& w, const queued_call& q, pool_id p,
                  reading_of how) const;
  /// How an entry for `callee` queued on `p` reads under the worlds `v`.
  entry_reading reading(const view_set& v, user_id callee, pool_id p) const;

  std::vector<user_registration> users;
  std::unordered_map<std::uint64_t, std::vector<queued_call>> queues;
  static std::uint64_t queue_key(pool_id p, group_id g) {
    return (static_cast<std::uint64_t>(p) << 32) | g;
  }

private:
  /// A world that was current until `until`.
  struct past_world {
    sim_duration until{};
    world_view world;
  };

  const topology& topo_;
  sim_duration tolerance_{};
  world_view now_;
  std::vector<past_world> past_; ///< oldest first, within the tolerance
  sim_duration latest_{-1};      ///< the latest instant of a world change
  mutable std::vector<const world_view*> view_buf_;
};

} // namespace calldrill::checking
