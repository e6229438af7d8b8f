// The fuzz target of the scenario loader and validator: any bytes, as a
// scenario file's text, must end in a loaded scenario or diagnostics, never
// in a crash, a hang or memory without bound. With a valid scenario it also
// describes it and estimates its memory, as `calldrill validate` does.
#include "scenarios/budget.hpp"
#include "scenarios/describe.hpp"
#include "scenarios/loader.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  auto loaded = calldrill::load_scenario_text(text, "fuzz.yaml");
  std::size_t chars = 0;
  for (const auto& d : loaded.diagnostics)
    chars += calldrill::format(d).size();
  if (loaded.ok()) {
    chars += calldrill::describe(*loaded.scn, *loaded.topo).size();
    chars += calldrill::estimate_memory(*loaded.scn).total() > 0 ? 1 : 0;
  }
  return chars > 0 ? 0 : 0;
}
