// Seeded randomness: every random draw of a run flows from its seed through
// one of these generators, passed in, never global.
#pragma once

#include <cmath>
#include <cstdint>

namespace calldrill {

/// A small, fast generator (xoshiro256**), seeded through splitmix64.
class rng {
public:
  explicit rng(std::uint64_t seed) {
    for (auto& s : s_)
      s = splitmix(seed);
  }

  /// Derives an independent stream for a numbered sub-component.
  static rng derive(std::uint64_t seed, std::uint64_t stream) {
    return rng{seed ^ (0x9E3779B97F4A7C15ULL * (stream + 1))};
  }

  std::uint64_t next() {
    auto result = rotl(s_[1] * 5, 7) * 9;
    auto t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>(uniform() * static_cast<double>(n));
  }

  bool chance(double p) { return uniform() < p; }

  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }

  /// Uniform in [lo, hi].
  template <class Duration>
  Duration between(Duration lo, Duration hi) {
    if (hi <= lo)
      return lo;
    auto span = static_cast<std::uint64_t>((hi - lo).count()) + 1;
    return lo + Duration{static_cast<typename Duration::rep>(below(span))};
  }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
  }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t s_[4];
};

} // namespace calldrill
