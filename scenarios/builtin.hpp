// Scenarios compiled into calldrill, starting with the default drill that
// `calldrill run` plays when given no file.
#pragma once

#include "model/scenario.hpp"

#include <ostream>
#include <optional>
#include <string>
#include <string_view>

namespace calldrill {

/// The YAML text of the default drill (scenarios/default-drill.yaml).
extern const std::string_view default_drill_yaml;

/// The source's full drill on a DR pair plus a bystander pool: outage,
/// failover, redirect, restore, failback, redirect back, under steady traffic.
scenario default_drill();

/// The scenario `calldrill run` plays: the file at `file`, loaded and checked,
/// a drill of the library when `file` is a bare name that is no file
/// (`chaos-peak`), or the default drill when `file` is empty. Prints the file's diagnostics
/// to `out`; nullopt if it has an error.
std::optional<scenario> scenario_for_run(const std::string& file,
                                         std::ostream& out);

/// The YAML text scenario_for_run(file) reads: the default drill's, a
/// library drill's, or the file's; "" if it cannot be read.
std::string scenario_text_for_run(const std::string& file);

} // namespace calldrill
