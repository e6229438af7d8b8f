// The default drill, loaded from the YAML text compiled into calldrill, and
// the choice between it and a scenario file for `calldrill run`.
#include "scenarios/builtin.hpp"

#include "scenarios/loader.hpp"

#include <stdexcept>

namespace calldrill {

scenario default_drill() {
  auto loaded = load_scenario_text(default_drill_yaml, "default-drill.yaml");
  if (!loaded.ok())
    throw std::logic_error("the built-in default drill does not load: "
                           + format(loaded.diagnostics.front()));
  auto s = std::move(*loaded.scn);
  s.source = "built-in";
  return s;
}

std::optional<scenario> scenario_for_run(const std::string& file,
                                         std::ostream& out) {
  if (file.empty())
    return default_drill();
  auto loaded = load_scenario_file(file);
  for (const auto& d : loaded.diagnostics)
    out << format(d) << "\n";
  if (!loaded.ok())
    return std::nullopt;
  return std::move(*loaded.scn);
}

} // namespace calldrill
