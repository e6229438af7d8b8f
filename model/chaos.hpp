// Random chaos, expanded into plain drill actions: seeded outages at random
// times mid-traffic, each followed by the operator runbook after random
// delays, any operator step possibly forgotten. The same seed always gives
// the same actions, so a chaos run replays like any other.
#pragma once

#include "model/scenario.hpp"
#include "model/topology.hpp"

#include <cstdint>
#include <vector>

namespace calldrill {

/// Pools random chaos may fail: the ones it names, else every pool with a
/// backup whose pair the written timeline does not act on.
std::vector<pool_id> chaos_candidates(const scenario& s, const topology& t);

/// Whether any action of the written timeline acts on pair `p` (on one of its
/// pools, or on a range one of them owns).
bool timeline_touches(const scenario& s, const topology& t, pair_id p);

/// The actions `s.chaos` stands for under `seed`, in time order. An outage
/// drawn while its pair still recovers from an earlier one is skipped.
std::vector<drill_action> expand_chaos(const scenario& s, const topology& t,
                                       std::uint64_t seed);

/// The whole drill of a run: the written timeline plus the chaos expanded from
/// the run's seed, in time order (on ties, written actions first).
std::vector<drill_action> full_drill(const scenario& s, const topology& t);

} // namespace calldrill
