// The metric families calldrill exports, built once per run from the
// topology, and the bindings that tie each series to the value in a live
// view it mirrors. Internal to metrics/: it includes prometheus-cpp.
#pragma once

#include "model/snapshot.hpp"
#include "model/topology.hpp"
#include "model/world.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <map>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace calldrill::metrics_detail {

/// A counter mirroring `plus - minus` of one observation cell.
struct cell_counter {
  prometheus::Counter* metric = nullptr;
  std::size_t cell = 0;     ///< index into observations::cells()
  counter plus{};
  bool has_minus = false;
  counter minus{};
  std::uint64_t last = 0;   ///< value already published
};

/// A counter mirroring one cumulative number of the view.
struct plain_counter {
  prometheus::Counter* metric = nullptr;
  std::uint64_t last = 0;
};

/// A histogram mirroring one of the view's latency histograms.
struct histogram_binding {
  prometheus::Histogram* metric = nullptr;
  latency_histogram last;
};

struct pool_series {
  std::string fqdn; ///< the `pool` label: the pool's FQDN now
  prometheus::Gauge* up = nullptr;
  prometheus::Gauge* queue_length = nullptr;
  prometheus::Gauge* backlog = nullptr;
  std::array<prometheus::Gauge*, 3> users{}; ///< by user_mode
};

struct pair_series {
  std::array<prometheus::Gauge*, pair_phase_count> phase{}; ///< state set
  prometheus::Gauge* phase_index = nullptr;
};

/// A GroupPickup range: one state-set series per pool it has pointed at
/// ("none" while it names a retired FQDN).
struct range_series {
  range_id range = 0;
  std::map<std::string, prometheus::Gauge*> by_pool; ///< by `pool` label
  std::string current; ///< label of the series at 1
};

/// Labels every played drill action with the pool, pair and range it acted
/// on. Views count actions by kind only, so this follows the run's own
/// timeline with its own copy of the world, skipping what the world refuses,
/// as far as the view's counts say the controller got.
struct action_series {
  std::vector<drill_action> timeline; ///< full_drill(), in time order
  std::size_t next = 0;
  world truth;
  std::array<std::uint64_t, action_kind_count> seen{};
  prometheus::Family<prometheus::Counter>* family = nullptr;
};

/// Every family and every series, with references kept for publishing.
/// Every series carries the labels `run` (the run id) and `scenario`.
struct families {
  families(prometheus::Registry& r, const topology& t, const scenario& s,
           const std::string& run_id);

  /// Adds the series of pool `p` under the label `fqdn`.
  void add_pool_series(std::size_t p, const std::string& fqdn);
  /// Removes the series of pool `p` (a pool replace_pool retired).
  void remove_pool_series(std::size_t p);

  prometheus::Registry& registry;
  const topology& topo;
  prometheus::Labels common; ///< run and scenario, on every family

  std::vector<cell_counter> cells;
  plain_counter arrivals;
  plain_counter messages;
  action_series actions;
  prometheus::Counter* simulated_seconds = nullptr;
  double simulated_last_s = 0;
  std::array<histogram_binding, latency_count> latencies{};

  prometheus::Gauge* ringing = nullptr;
  prometheus::Gauge* established = nullptr;
  prometheus::Gauge* simulated_time = nullptr;
  prometheus::Gauge* speed = nullptr;
  prometheus::Gauge* complete = nullptr;
  prometheus::Gauge* wait_max = nullptr;
  std::vector<pool_series> pools;
  std::vector<pair_series> pairs;
  std::vector<range_series> ranges;
  prometheus::Family<prometheus::Gauge>* up_family = nullptr;
  prometheus::Family<prometheus::Gauge>* queue_family = nullptr;
  prometheus::Family<prometheus::Gauge>* backlog_family = nullptr;
  prometheus::Family<prometheus::Gauge>* users_family = nullptr;
  prometheus::Family<prometheus::Gauge>* range_family = nullptr;
  prometheus::Family<prometheus::Gauge>* check_status = nullptr;
  prometheus::Family<prometheus::Gauge>* checks = nullptr;
  prometheus::Family<prometheus::Gauge>* verdict = nullptr;
  prometheus::Family<prometheus::Gauge>* dr_figure = nullptr;
  prometheus::Gauge* clock_lag = nullptr;
  prometheus::Gauge* clock_tolerance = nullptr;
};

/// The labels of a played drill action: action, source, pool, pair, range.
prometheus::Labels action_labels(const topology& t, const world& w,
                                 const drill_action& a);

} // namespace calldrill::metrics_detail
