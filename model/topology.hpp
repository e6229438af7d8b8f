// The immutable topology of a run, built once from a scenario: pools and their
// pairs, orbit ranges, users and pickup groups (each group's members have
// contiguous ids). Shared read-only by every actor.
#pragma once

#include "model/orbit_number.hpp"
#include "model/scenario.hpp"
#include "model/types.hpp"

#include <memory>
#include <string>
#include <vector>

namespace calldrill {

struct pool_info {
  std::string fqdn;
  pool_id partner = no_pool; ///< the other pool of its pair, if any
  pair_id pair = 0;
  bool call_park_enabled = true;
  double registrations_per_second = 0;
  /// First user of the pool's own block. Users the pool gives to spanning
  /// groups sit after every pool's block: ask home_of(), not this range.
  user_id first_user = 0;
  std::uint32_t users = 0; ///< every user homed here, spanning groups included
};

/// Two pools that back each other up (`b` is no_pool for a lone pool).
struct pair_info {
  pool_id a = no_pool;
  pool_id b = no_pool;
  std::string name; ///< "a-fqdn/b-fqdn"
};

struct range_info {
  std::string identity;
  orbit_number start;
  orbit_number end;
  range_type type = range_type::group_pickup;
  pool_id owner = no_pool; ///< pool whose Call Park service owns it at start
};

/// A pickup group: one orbit number; members are a contiguous block of users.
struct group_info {
  std::string number;
  range_id range = 0;
  user_id first_member = 0;
  std::uint32_t size = 0;
};

class topology {
public:
  std::vector<pool_info> pools;
  std::vector<pair_info> pairs;
  std::vector<range_info> ranges;
  std::vector<group_info> groups;
  std::vector<pool_id> user_home;   ///< per user
  std::vector<group_id> user_group; ///< per user, no_group if none

  std::uint32_t user_count() const {
    return static_cast<std::uint32_t>(user_home.size());
  }
  pool_id home_of(user_id u) const { return user_home[u]; }
  pair_id pair_of_user(user_id u) const { return pools[user_home[u]].pair; }
  group_id group_of(user_id u) const { return user_group[u]; }

  /// Index of the pool with this FQDN, or no_pool.
  pool_id find_pool(std::string_view fqdn) const;
  /// Index of the range with this identity, or ranges.size().
  range_id find_range(std::string_view identity) const;
};

/// The result of building a topology: either a topology or every problem.
struct topology_build {
  std::shared_ptr<const topology> topo;
  std::vector<std::string> errors; ///< "where: key: message"
};

/// Builds and checks the topology of `s` (pools, pairs, ranges, groups).
topology_build build_topology(const scenario& s);

} // namespace calldrill
