// Shared command-line parsing of the subcommands.
#include "cli/parse_args.hpp"

#include "cli/exit_codes.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace calldrill {

std::optional<int> parse_args(const char* command, int argc, char** argv,
                              const po::options_description& desc,
                              po::variables_map& vm, std::string* file) {
  po::options_description all;
  all.add(desc);
  po::positional_options_description pos;
  if (file != nullptr) {
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(file));
    all.add(hidden);
    pos.add("file", 1);
  }
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "calldrill " << command << ": " << e.what() << "\n";
    return exit_bad_input;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return exit_pass;
  }
  return std::nullopt;
}

} // namespace calldrill
