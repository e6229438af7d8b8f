// Reading the Prometheus text format in tests: sums of samples by name and
// labels, and the families a text declares.
#pragma once

#include <map>
#include <set>
#include <sstream>
#include <string>

namespace calldrill::testing {

using label_map = std::map<std::string, std::string>;

struct sample {
  std::string name;
  label_map labels;
  double value = 0;
};

/// Parses one sample line (`name{k="v",...} value`); false for other lines.
inline bool parse_sample(const std::string& line, sample& s) {
  if (line.empty() || line[0] == '#')
    return false;
  auto brace = line.find('{');
  auto space = line.rfind(' ');
  if (space == std::string::npos)
    return false;
  s.labels.clear();
  if (brace != std::string::npos && brace < space) {
    s.name = line.substr(0, brace);
    auto i = brace + 1;
    while (i < line.size() && line[i] != '}') {
      auto eq = line.find('=', i);
      auto key = line.substr(i, eq - i);
      auto q = eq + 2; // after ="
      std::string val;
      while (q < line.size() && line[q] != '"') {
        if (line[q] == '\\' && q + 1 < line.size())
          ++q;
        val += line[q++];
      }
      s.labels[key] = val;
      i = q + 1;
      if (i < line.size() && line[i] == ',')
        ++i;
    }
  } else {
    s.name = line.substr(0, space);
  }
  s.value = std::stod(line.substr(space + 1));
  return true;
}

/// Sum of the samples named `name` whose labels include all of `match`.
inline double sum_of(const std::string& text, const std::string& name,
                     const label_map& match = {}) {
  std::istringstream in{text};
  std::string line;
  double total = 0;
  sample s;
  while (std::getline(in, line)) {
    if (!parse_sample(line, s) || s.name != name)
      continue;
    bool ok = true;
    for (const auto& [k, v] : match)
      ok = ok && s.labels.count(k) && s.labels.at(k) == v;
    if (ok)
      total += s.value;
  }
  return total;
}

/// Family names with their `# HELP` text.
inline std::map<std::string, std::string> helps(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("# HELP ", 0) == 0) {
      auto rest = line.substr(7);
      auto sp = rest.find(' ');
      out[rest.substr(0, sp)] = sp == std::string::npos ? "" : rest.substr(sp + 1);
    }
  return out;
}

} // namespace calldrill::testing
