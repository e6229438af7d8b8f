// Caps on what a scenario file may ask for, so that no input can exhaust
// memory or time before a run starts. Each is documented in the README's
// scenario reference; raising one is a deliberate change.
#pragma once

#include "model/types.hpp"

#include <cstdint>

namespace calldrill::limits {

constexpr std::uint64_t file_bytes_max = 1 << 20;    ///< 1 MiB of YAML
constexpr std::uint32_t pools_max = 64;
constexpr std::uint32_t pool_users_max = 1000000;
constexpr std::uint64_t users_total_max = 20000000;
constexpr std::uint32_t ranges_max = 1000;
constexpr std::uint32_t group_size_max = 1000;
constexpr std::uint64_t groups_total_max = 1000000;
constexpr std::uint32_t spanning_rules_max = 100;
constexpr std::uint32_t stages_max = 1000;
constexpr double calls_per_second_max = 10000.0;
constexpr std::uint64_t active_calls_max = 10000000;
constexpr std::uint32_t actions_max = 10000;
constexpr std::uint32_t chaos_outages_max = 1000;
constexpr double registrations_per_second_max = 1e6;
constexpr double capacity_per_minute_max = 1e9;
constexpr std::uint32_t users_per_host_max = 1000000;
constexpr std::uint32_t workers_max = 256;
constexpr double speed_max = 1e6;
constexpr sim_duration run_duration_max = std::chrono::hours{24 * 7};
/// The realtime checker's tolerance: beyond a few minutes it would blur
/// the phases it judges.
constexpr sim_duration tolerance_max = std::chrono::minutes{10};
constexpr sim_duration delay_max = std::chrono::hours{24};
constexpr std::size_t text_bytes_max = 253; ///< names, FQDNs (DNS limit)

} // namespace calldrill::limits
