// The fixed parts of the history file format (history/history_file.hpp has
// the layout): magics, sizes, the checksum, little-endian integers. Shared by
// the writer and the reader, private to calldrill::history.
#pragma once

#include "history/fact.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace calldrill::history_format {

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "history files store facts as little-endian memory: add byte swapping to port to this host"
#endif

// The stored fact layout is the struct's: pin every field's offset.
static_assert(offsetof(fact, at) == 0 && offsetof(fact, id) == 8
                && offsetof(fact, ref) == 16 && offsetof(fact, value) == 24
                && offsetof(fact, user) == 32 && offsetof(fact, group) == 36
                && offsetof(fact, pool) == 40 && offsetof(fact, pool2) == 42
                && offsetof(fact, kind) == 44 && offsetof(fact, code) == 45
                && offsetof(fact, pad) == 46,
              "the history file format fixes every fact field's offset");

constexpr std::size_t fact_bytes = sizeof(fact);
constexpr char head_magic[8] = {'\x89', 'C', 'D', 'H', '\r', '\n', '\x1a', '\n'};
constexpr char tail_magic[8] = {'\x89', 'C', 'D', 'E', '\r', '\n', '\x1a', '\n'};
constexpr std::size_t head_fixed_bytes = 24; ///< magic, version, size, length
constexpr std::size_t tail_bytes = 24;       ///< magic, count, checksum

constexpr std::uint64_t fnv_offset = 0xcbf29ce484222325ull;
constexpr std::uint64_t fnv_prime = 0x100000001b3ull;

/// FNV-1a 64 over `size` bytes, continuing from `h`.
inline std::uint64_t fnv1a(std::uint64_t h, const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= fnv_prime;
  }
  return h;
}

inline void put_u32(char* out, std::uint32_t v) { std::memcpy(out, &v, 4); }
inline void put_u64(char* out, std::uint64_t v) { std::memcpy(out, &v, 8); }
inline std::uint32_t get_u32(const char* in) {
  std::uint32_t v;
  std::memcpy(&v, in, 4);
  return v;
}
inline std::uint64_t get_u64(const char* in) {
  std::uint64_t v;
  std::memcpy(&v, in, 8);
  return v;
}

} // namespace calldrill::history_format
