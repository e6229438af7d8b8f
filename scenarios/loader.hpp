// Loading scenario files: YAML in, a checked scenario (and its topology) out,
// with every problem of the file reported at once as
// `FILE:LINE:COL: key.path: message`. The reference of the format is the
// README's "Scenario files" section.
#pragma once

#include "model/scenario.hpp"
#include "model/topology.hpp"
#include "scenarios/diagnostic.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calldrill {

struct loaded_scenario {
  std::optional<scenario> scn;          ///< set when the file has no error
  std::shared_ptr<const topology> topo; ///< set with scn
  std::vector<diagnostic> diagnostics;  ///< errors and warnings, in file order

  bool ok() const { return scn.has_value(); }
  std::size_t errors() const;
};

/// Reads, parses and checks the scenario file at `path`. Never throws for bad
/// input: a missing, unreadable, oversized or binary file is a diagnostic.
loaded_scenario load_scenario_file(const std::string& path);

/// Parses and checks scenario text; `file` names it in diagnostics.
loaded_scenario load_scenario_text(std::string_view text,
                                   const std::string& file);

} // namespace calldrill
