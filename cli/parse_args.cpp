// Shared command-line parsing of the subcommands.
#include "cli/parse_args.hpp"

#include "cli/exit_codes.hpp"
#include "scenarios/suggest.hpp"

#include <cctype>
#include <iostream>

namespace po = boost::program_options;

namespace calldrill {

namespace {

/// CALLDRILL_METRICS_PORT -> "metrics-port" when `desc` has that option
/// (help excepted); "" for every other variable.
std::string option_of_env(const po::options_description& desc,
                          const std::string& var) {
  static const std::string prefix = env_prefix;
  if (var.rfind(prefix, 0) != 0)
    return {};
  std::string name = var.substr(prefix.size());
  for (auto& c : name)
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "help" || name.empty())
    return {};
  return desc.find_nothrow(name, false) != nullptr ? name : std::string{};
}

std::vector<std::string> long_names(const po::options_description& desc) {
  std::vector<std::string> out;
  for (const auto& o : desc.options())
    out.push_back("--" + o->long_name());
  return out;
}

} // namespace

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
  auto style = po::command_line_style::default_style
               & ~po::command_line_style::allow_guessing;
  try {
    // The command line first: the first value stored for an option wins, so
    // an environment variable only fills in what the command line left out.
    po::store(po::command_line_parser(argc, argv)
                .options(all)
                .positional(pos)
                .style(style)
                .run(),
              vm);
    po::store(po::parse_environment(desc,
                                    [&](const std::string& var) {
                                      auto name = option_of_env(desc, var);
                                      bool given = !name.empty() && vm.count(name)
                                                   && !vm[name].defaulted();
                                      return given ? std::string{} : name;
                                    }),
              vm);
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    std::cerr << "calldrill " << command << ": " << e.what()
              << did_you_mean(e.get_option_name(), long_names(desc))
              << " (see 'calldrill " << command << " --help')\n";
    return exit_bad_input;
  } catch (const po::error& e) {
    std::cerr << "calldrill " << command << ": " << e.what() << "\n";
    return exit_bad_input;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n"
              << "Every option can also be set in the environment as "
              << env_prefix << "<OPTION> (e.g. " << env_prefix
              << "METRICS_PORT=9465); the command line wins.\n";
    return exit_pass;
  }
  return std::nullopt;
}

} // namespace calldrill
