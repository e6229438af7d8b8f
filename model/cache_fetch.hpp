// Fetching a cache line ahead of its use, for loops over large per-user
// tables whose rows are misses of the cache on large estates.
#pragma once

namespace calldrill {

/// Asks the cache for the line holding `p`, to be written soon. The empty
/// volatile statement keeps a helper that only fetches from being dropped:
/// the compiler otherwise reads such a helper as having no effect and
/// removes the calls to it.
inline void fetch_line(const void* p) {
  __builtin_prefetch(p, 1);
  asm volatile("");
}

} // namespace calldrill
