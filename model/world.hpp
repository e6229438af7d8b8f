// The changing state of the simulated estate that every actor mirrors: which
// pools are up, each pair's DR phase, and where each orbit range points. The
// chaos controller owns the truth and turns drill actions into world events;
// every other actor applies the same events to its own copy.
#pragma once

#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <string>
#include <utility>
#include <vector>

namespace calldrill {

struct pair_state {
  pair_phase phase = pair_phase::normal;
  std::uint32_t epoch = 0;  ///< bumped at every change of table column
  pool_id failed = no_pool; ///< the pool whose users fail over
};

/// One change of the world, broadcast by the controller.
struct world_event {
  enum class kind : std::uint8_t {
    pool_up,
    pool_down,
    pair,
    orbit,
    call_park_on,
    call_park_off,
  };
  kind what = kind::pool_up;
  std::uint32_t index = 0; ///< pool, pair or range
  pair_state pair;         ///< for kind::pair
  pool_id target = no_pool; ///< for kind::orbit; no_pool: an FQDN gone away
  sim_duration at{};
};

class world {
public:
  world() = default;
  explicit world(const topology& t);

  bool up(pool_id p) const { return up_[p] != 0; }
  /// When the pool last went down (zero if it never did).
  sim_duration down_since(pool_id p) const { return down_at_[p]; }
  const pair_state& pair(pair_id p) const { return pairs_[p]; }
  column column_of_pair(pair_id p) const {
    return calldrill::column_of(pairs_[p].phase);
  }
  /// The pool the range's Call Park service FQDN names now, or no_pool when
  /// that FQDN belongs to a pool that replace_pool retired.
  pool_id orbit_target(range_id r) const { return orbit_[r]; }
  bool call_park_enabled(pool_id p) const { return call_park_[p] != 0; }
  /// The pool's FQDN now (replace_pool gives a pool slot a new one).
  const std::string& fqdn(pool_id p) const { return fqdn_[p]; }
  /// The pool now named `fqdn`, or no_pool.
  pool_id find_pool(std::string_view fqdn) const;

  /// Applies a broadcast event.
  void apply(const world_event& e);

  /// Turns a drill action into the events it causes, applying them here.
  /// On an action that the current state does not allow, returns no events
  /// and sets `error`.
  std::vector<world_event> act(const drill_action& a, sim_duration now,
                               std::string& error);

  // -- rules of the model (DOMAIN.md section 3) ----------------------------

  /// The mode of user `u` when registered on `serving` (no_pool: nowhere).
  user_mode mode_of(user_id u, pool_id serving) const {
    return mode_for(topo_->home_of(u), serving);
  }
  /// The same, for a user homed on `home` (for callers that hold it).
  user_mode mode_for(pool_id home, pool_id serving) const;

  /// Whether `u` is an affected user now: homed on the pool whose outage
  /// put its pair in a DR phase (DOMAIN.md, "Affected users").
  bool affected(user_id u) const;

  /// The pool user `u` should be registered on in the current phase.
  pool_id desired_pool(user_id u) const { return desired_for(topo_->home_of(u)); }
  /// The same, for a user homed on `home`.
  pool_id desired_for(pool_id home) const;

  /// Whether the range's current target serves users homed on its owner
  /// wherever they are (redirected after failover, back after failback).
  bool ranges_follow_users(pair_id p) const;

private:
  const topology* topo_ = nullptr;
  std::vector<std::uint8_t> up_;
  std::vector<sim_duration> down_at_;
  std::vector<pair_state> pairs_;
  std::vector<pool_id> orbit_;
  std::vector<std::uint8_t> call_park_;
  std::vector<std::string> fqdn_;    ///< only act() reads or changes names
  /// FQDNs of replaced pools and the slot that carries on under a new name.
  std::vector<std::pair<std::string, pool_id>> retired_;

  std::vector<world_event> restore(pool_id pool, pair_state st,
                                   sim_duration now);
  std::vector<world_event> replace(const drill_action& a, pool_id pool,
                                   sim_duration now, std::string& error);
};

} // namespace calldrill
