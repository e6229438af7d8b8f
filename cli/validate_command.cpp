// `calldrill validate FILE`: reports every problem of a scenario file at once
// (`FILE:LINE:COL: key.path: message`, exit 2), or prints a one-screen
// summary of a valid one (exit 0). Warnings never change the exit code.
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/memory_option.hpp"
#include "cli/parse_args.hpp"
#include "model/chaos.hpp"
#include "scenarios/describe.hpp"
#include "scenarios/loader.hpp"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;

namespace calldrill {

int validate_command(int argc, char** argv) {
  std::string file;
  std::uint64_t seed = 0;
  std::string memory_max;
  po::options_description desc{"calldrill validate FILE [options]"};
  desc.add_options()
    ("help,h", "show this help")
    ("seed", po::value<std::uint64_t>(&seed),
     "expand random chaos with this seed in the summary (default: the "
     "file's run.seed)")
    ("quiet,q", "print only problems, no summary")
    ("memory-max", po::value<std::string>(&memory_max)->value_name("SIZE"),
     "the memory budget a run of the file must fit, e.g. 4G (default: the "
     "machine's memory)");
  po::variables_map vm;
  if (auto stop = parse_args("validate", argc, argv, desc, vm, &file))
    return *stop;
  if (file.empty()) {
    std::cerr << "calldrill validate: which file? usage: calldrill validate "
                 "FILE\n";
    return exit_bad_input;
  }
  auto loaded = load_scenario_file(file);
  for (const auto& d : loaded.diagnostics)
    std::cerr << format(d) << "\n";
  if (!loaded.ok()) {
    auto n = loaded.errors();
    std::cerr << file << ": " << n << " error" << (n == 1 ? "" : "s") << "\n";
    return exit_bad_input;
  }
  auto& s = *loaded.scn;
  if (auto err = check_memory(memory_max, s); !err.empty()) {
    std::cerr << err << "\n";
    return exit_bad_input;
  }
  if (vm.count("seed")) {
    s.run.seed = seed;
    s.run.seed_given = true;
  }
  if (!vm.count("quiet"))
    std::cout << describe(s, *loaded.topo);
  return exit_pass;
}

} // namespace calldrill
