// `calldrill list`: the drills of the scenario library, one line each, so a
// user can pick one and play it with `calldrill run NAME`.
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/parse_args.hpp"
#include "scenarios/library.hpp"

#include <boost/program_options.hpp>

#include <iomanip>
#include <iostream>

namespace po = boost::program_options;

namespace calldrill {

int list_command(int argc, char** argv) {
  po::options_description desc{"calldrill list [options]"};
  desc.add_options()("help,h", "show this help");
  po::variables_map vm;
  if (auto stop = parse_args("list", argc, argv, desc, vm))
    return *stop;
  std::size_t width = 0;
  for (const auto& f : library_files())
    width = std::max(width, f.name.size());
  for (const auto& f : library_files())
    std::cout << std::left << std::setw(static_cast<int>(width) + 2)
              << std::string{f.name} << library_summary(f) << "\n";
  std::cout << "\nplay one with 'calldrill run NAME'; its YAML is in the "
               "scenarios/ folder (installed: /usr/share/calldrill/scenarios)\n";
  return exit_pass;
}

} // namespace calldrill
