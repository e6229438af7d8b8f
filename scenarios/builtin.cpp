// The default drill, loaded from the YAML text compiled into calldrill, and
// the choice between it and a scenario file for `calldrill run`.
#include "scenarios/builtin.hpp"

#include "scenarios/library.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/suggest.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

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
  // A bare name that is no file is a drill of the library.
  bool bare = file.find('/') == std::string::npos
              && file.find('.') == std::string::npos;
  if (bare && access(file.c_str(), F_OK) != 0) {
    const auto* lib = find_library_file(file);
    if (lib == nullptr) {
      out << file << ": no such file, and no library drill of that name"
          << did_you_mean(file, library_names())
          << " (see 'calldrill list')\n";
      return std::nullopt;
    }
    auto loaded = load_scenario_text(lib->text, file + ".yaml");
    for (const auto& d : loaded.diagnostics)
      out << format(d) << "\n";
    if (!loaded.ok())
      return std::nullopt;
    loaded.scn->source = "library";
    return std::move(*loaded.scn);
  }
  auto loaded = load_scenario_file(file);
  for (const auto& d : loaded.diagnostics)
    out << format(d) << "\n";
  if (!loaded.ok())
    return std::nullopt;
  return std::move(*loaded.scn);
}

std::string scenario_text_for_run(const std::string& file) {
  if (file.empty())
    return std::string{default_drill_yaml};
  bool bare = file.find('/') == std::string::npos
              && file.find('.') == std::string::npos;
  if (bare && access(file.c_str(), F_OK) != 0) {
    const auto* lib = find_library_file(file);
    return lib == nullptr ? std::string{} : std::string{lib->text};
  }
  std::ifstream in{file, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return in ? text.str() : std::string{};
}

} // namespace calldrill
