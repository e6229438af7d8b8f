// How a virtual-time run is cut into partitions that run side by side: one
// per pool pair, each with the pair's pools, the client hosts of the users
// homed in it, and its own generator, controller copy and collector. A
// message from one partition's actor to another's takes the inter-pair
// signalling delay, so every partition can run a window of that length
// without hearing from the others: the windows are the conservative
// synchronisation of the workers. Partitions depend on the topology alone,
// never on the number of workers, so a run is the same for any of them.
#pragma once

#include "model/hosts.hpp"
#include "model/timer_queue.hpp"
#include "model/topology.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace calldrill {

/// What a message between two pool pairs takes: one step of the model's time
/// grid. It is also the length of the windows the partitions run in.
constexpr sim_duration inter_pair_delay = time_resolution;

/// Hosts of the users of each partition, numbered across partitions
/// (partition 0's first). With one partition, host `h` holds the users
/// [h * per_host, (h + 1) * per_host), as in a run that is not partitioned.
class partition_plan {
public:
  partition_plan() = default;

  /// One partition per pair when `partitioned`, else one for everything.
  partition_plan(const topology& topo, std::uint32_t per_host, bool partitioned)
    : per_host_(per_host), topo_(&topo) {
    auto users = topo.user_count();
    if (!partitioned || topo.pairs.size() <= 1) {
      count_ = 1;
      first_host_ = {0, static_cast<std::uint32_t>((users + per_host - 1) / per_host)};
      return;
    }
    count_ = static_cast<std::uint32_t>(topo.pairs.size());
    std::vector<std::uint32_t> in(count_ + 1, 0);
    for (user_id u = 0; u < users; ++u)
      ++in[topo.pair_of_user(u) + 1];
    for (std::uint32_t p = 0; p < count_; ++p)
      in[p + 1] += in[p];
    begin_ = in;
    members_.resize(users);
    slot_.resize(users);
    for (user_id u = 0; u < users; ++u) {
      auto s = in[topo.pair_of_user(u)]++;
      members_[s] = u;
      slot_[u] = s;
    }
    first_host_.assign(count_ + 1, 0);
    for (std::uint32_t p = 0; p < count_; ++p) {
      auto n = begin_[p + 1] - begin_[p];
      first_host_[p + 1] = first_host_[p] + (n + per_host - 1) / per_host;
      host_partition_.resize(first_host_[p + 1], p);
    }
  }

  std::uint32_t count() const { return count_; }
  std::uint32_t hosts() const { return first_host_.back(); }
  std::uint32_t partition_of_pool(pool_id p) const {
    return count_ == 1 ? 0 : topo_->pools[p].pair;
  }
  std::uint32_t partition_of_host(std::uint32_t h) const {
    return count_ == 1 ? 0 : host_partition_[h];
  }
  std::uint32_t host_of(user_id u) const {
    if (count_ == 1)
      return u / per_host_;
    auto p = topo_->pair_of_user(u);
    return first_host_[p] + (slot_[u] - begin_[p]) / per_host_;
  }
  /// The users of host `h`: `count` of them, the i-th is user_at(h, i).
  std::uint32_t users_of_host(std::uint32_t h) const {
    auto [b, e] = span(h);
    return e - b;
  }
  user_id user_at(std::uint32_t h, std::uint32_t i) const {
    return count_ == 1 ? h * per_host_ + i : members_[span(h).first + i];
  }
  /// The index of user `u` within its host.
  std::uint32_t local_of(user_id u) const {
    if (count_ == 1)
      return u % per_host_;
    return (slot_[u] - begin_[topo_->pair_of_user(u)]) % per_host_;
  }
  /// Users homed in partition `p`, in id order (every user when there is one).
  std::uint32_t users_in(std::uint32_t p) const {
    return count_ == 1 ? topo_->user_count() : begin_[p + 1] - begin_[p];
  }
  user_id user_in(std::uint32_t p, std::uint32_t i) const {
    return count_ == 1 ? i : members_[begin_[p] + i];
  }
  /// The hosts [first, end) of partition `p`.
  std::pair<std::uint32_t, std::uint32_t> hosts_of(std::uint32_t p) const {
    return {first_host_[p], first_host_[p + 1]};
  }

private:
  /// Host `h`'s users as [begin, end) into members_ (or user ids, if one).
  std::pair<std::uint32_t, std::uint32_t> span(std::uint32_t h) const {
    auto users = topo_->user_count();
    if (count_ == 1) {
      auto b = h * per_host_;
      return {b, std::min(users, b + per_host_)};
    }
    auto p = partition_of_host(h);
    auto b = begin_[p] + (h - first_host_[p]) * per_host_;
    return {b, std::min(begin_[p + 1], b + per_host_)};
  }

  std::uint32_t count_ = 1;
  std::uint32_t per_host_ = 1;
  const topology* topo_ = nullptr;
  std::vector<std::uint32_t> begin_;      ///< per partition, into members_
  std::vector<std::uint32_t> first_host_; ///< per partition, and the end
  std::vector<user_id> members_;          ///< users by partition, then id
  std::vector<std::uint32_t> slot_;       ///< per user, its place in members_
  std::vector<std::uint32_t> host_partition_; ///< per host
};

} // namespace calldrill
