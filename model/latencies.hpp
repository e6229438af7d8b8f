// The latencies calldrill measures and the buckets their histograms share:
// data of the metrics' format, which the model fills and the checker
// witnesses, each with its own code.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace calldrill {

/// Upper bounds (seconds) of the latency buckets every histogram shares; a
/// value on a bound belongs to its bucket (Prometheus's `le`).
inline constexpr std::array<double, 12> latency_bounds_s{
  0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120};
/// Buckets of a histogram: one per bound and +Inf.
constexpr std::size_t latency_buckets = latency_bounds_s.size() + 1;

/// The latencies calldrill measures, in simulated seconds.
enum class latency : std::uint8_t {
  registration, ///< re-registration request to admission
  pickup,       ///< start of ringing to answered by pickup
  call_setup,   ///< start of ringing to established (answer or pickup)
};
constexpr std::size_t latency_count = 3;

} // namespace calldrill
