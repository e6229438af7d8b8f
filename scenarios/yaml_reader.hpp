// Typed, strict reading of YAML nodes for the scenario loader: every value is
// checked for its type and range, every key against the keys its map allows,
// and every problem is reported with its line, column and key path. The only
// header of calldrill that includes yaml-cpp; private to scenarios/.
#pragma once

#include "model/scenario.hpp"
#include "scenarios/diagnostic.hpp"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calldrill {

/// A YAML map whose keys were checked: look values up by key.
struct yaml_map {
  std::string path;
  text_mark at;
  std::vector<std::pair<std::string, YAML::Node>> entries;

  /// The value of `key`, or nullptr when the key is absent.
  const YAML::Node* get(std::string_view key) const;
  std::string child(std::string_view key) const;
};

class yaml_reader {
public:
  yaml_reader(diagnostics& diags, key_marks& marks)
    : diags_(diags), marks_(marks) {}

  static text_mark mark_of(const YAML::Node& n);
  static std::string child(const std::string& path, std::string_view key);
  static std::string item(const std::string& path, std::size_t i);

  void error(const YAML::Node& n, const std::string& path, std::string message);
  void error(const yaml_map& m, const std::string& path, std::string message);
  void warning(const YAML::Node& n, const std::string& path,
               std::string message);

  // -- structure -------------------------------------------------------------

  /// `n` as a map allowing only `keys`; unknown and repeated keys are errors.
  std::optional<yaml_map> map(const YAML::Node& n, const std::string& path,
                              std::initializer_list<std::string_view> keys);
  /// Reports each key of `keys` missing from `m`; true if none is.
  bool require(const yaml_map& m, std::initializer_list<std::string_view> keys);
  /// `n` as a list of at most `max` items (an error names the cap).
  bool list(const YAML::Node& n, const std::string& path, std::size_t max);

  // -- scalars (nullopt after reporting why) --------------------------------

  std::optional<std::string> text(const YAML::Node& n, const std::string& path);
  std::optional<double> number(const YAML::Node& n, const std::string& path,
                               double lo, double hi);
  std::optional<std::uint64_t> whole(const YAML::Node& n,
                                     const std::string& path,
                                     std::uint64_t lo, std::uint64_t hi);
  std::optional<bool> boolean(const YAML::Node& n, const std::string& path);
  std::optional<sim_duration> duration(const YAML::Node& n,
                                       const std::string& path,
                                       sim_duration lo, sim_duration hi);
  /// A fixed duration (`5m`) or a uniform range (`{min: 1m, max: 5m}`).
  std::optional<duration_range> span(const YAML::Node& n,
                                     const std::string& path, sim_duration hi);
  /// One of `options`, compared without case; the canonical spelling.
  std::optional<std::string> choice(const YAML::Node& n, const std::string& path,
                                    const std::vector<std::string_view>& options);
  /// An orbit number's text (quoted or not), with a hint for bare * and #.
  std::optional<std::string> orbit_text(const YAML::Node& n,
                                        const std::string& path);

  // -- optional fields: assign when present and valid ------------------------

  template <class T, class Read>
  void field(const yaml_map& m, std::string_view key, T& out, Read read) {
    if (const auto* n = m.get(key))
      if (auto v = read(*n, m.child(key)))
        out = static_cast<T>(*v);
  }

private:
  /// The scalar text of `n`, or nullopt after reporting that `what` was
  /// expected.
  std::optional<std::string> scalar(const YAML::Node& n, const std::string& path,
                                    const char* what);
  diagnostics& diags_;
  key_marks& marks_;
};

} // namespace calldrill
