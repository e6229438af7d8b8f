// Strict typed reading of YAML values, with a message for every mistake.
#include "scenarios/yaml_reader.hpp"

#include "scenarios/suggest.hpp"

#include "model/duration_text.hpp"
#include "scenarios/limits.hpp"
#include "scenarios/utf8.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace calldrill {

namespace {

std::string show(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const char* kind_of(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "a value";
  }
}

/// Whether `s` is a plain decimal number: [+-]digits[.digits][e[+-]digits].
bool plain_decimal(const std::string& s) {
  std::size_t i = 0;
  auto digits = [&] {
    auto from = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      ++i;
    return i > from;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    ++i;
  bool whole = digits();
  bool frac = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    frac = digits();
  }
  if (!whole && !frac)
    return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
      ++i;
    if (!digits())
      return false;
  }
  return i == s.size();
}

} // namespace

const YAML::Node* yaml_map::get(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k == key)
      return &v;
  return nullptr;
}

std::string yaml_map::child(std::string_view key) const {
  return yaml_reader::child(path, key);
}

text_mark yaml_reader::mark_of(const YAML::Node& n) {
  if (!n.IsDefined())
    return {};
  auto m = n.Mark();
  if (m.is_null())
    return {};
  return {m.line + 1, m.column + 1};
}

std::string yaml_reader::child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string{key} : path + "." + std::string{key};
}

std::string yaml_reader::item(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

void yaml_reader::error(const YAML::Node& n, const std::string& path,
                        std::string message) {
  // An empty value has no position of its own worth showing: use its key's.
  auto at = n.IsDefined() && n.IsNull() ? marks_.find(path) : mark_of(n);
  diags_.error_at(at, path, std::move(message));
}

void yaml_reader::error(const yaml_map& m, const std::string& path,
                        std::string message) {
  diags_.error_at(m.at, path, std::move(message));
}

void yaml_reader::warning(const YAML::Node& n, const std::string& path,
                          std::string message) {
  diags_.warning(path, std::move(message));
  diags_.all().back().at = mark_of(n);
}

std::optional<yaml_map>
yaml_reader::map(const YAML::Node& n, const std::string& path,
                 std::initializer_list<std::string_view> keys) {
  marks_.add(path, mark_of(n));
  if (!n.IsMap()) {
    error(n, path, std::string{"expected a map of keys, got "} + kind_of(n));
    return std::nullopt;
  }
  yaml_map m;
  m.path = path;
  m.at = mark_of(n);
  for (const auto& kv : n) {
    const YAML::Node& k = kv.first;
    const YAML::Node& value = kv.second;
    if (!k.IsScalar()) {
      error(k, path, "a key must be a plain word");
      continue;
    }
    auto key = k.Scalar();
    auto where = child(path, key);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string known;
      for (auto allowed : keys)
        known += (known.empty() ? "" : ", ") + std::string{allowed};
      error(k, where, "unknown key" + did_you_mean(key, keys)
                        + " (expected one of: " + known + ")");
      continue;
    }
    if (m.get(key) != nullptr) {
      error(k, where, "key appears twice");
      continue;
    }
    marks_.add(where, value.IsNull() ? mark_of(k) : mark_of(value));
    m.entries.emplace_back(key, value);
  }
  return m;
}

bool yaml_reader::require(const yaml_map& m,
                          std::initializer_list<std::string_view> keys) {
  bool ok = true;
  for (auto key : keys)
    if (m.get(key) == nullptr) {
      error(m, m.child(key), "required key is missing");
      ok = false;
    }
  return ok;
}

bool yaml_reader::list(const YAML::Node& n, const std::string& path,
                       std::size_t max) {
  marks_.add(path, mark_of(n));
  if (!n.IsSequence()) {
    error(n, path, std::string{"expected a list, got "} + kind_of(n));
    return false;
  }
  if (n.size() > max) {
    error(n, path, "at most " + std::to_string(max) + " entries, got "
                     + std::to_string(n.size()));
    return false;
  }
  return true;
}

std::optional<std::string> yaml_reader::scalar(const YAML::Node& n,
                                               const std::string& path,
                                               const char* what) {
  if (!n.IsScalar()) {
    error(n, path, std::string{"expected "} + what + ", got " + kind_of(n));
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<std::string> yaml_reader::text(const YAML::Node& n,
                                             const std::string& path) {
  auto s = scalar(n, path, "text");
  if (s && s->empty()) {
    error(n, path, "must not be empty");
    return std::nullopt;
  }
  if (s && s->size() > limits::text_bytes_max) {
    error(n, path, "at most " + std::to_string(limits::text_bytes_max)
                     + " characters");
    return std::nullopt;
  }
  // Escapes ("\e", "\uD800") put in a value what the file itself may not
  // hold; names reach terminals, metric labels and the JSON report.
  if (s) {
    if (auto why = utf8::text_problem(*s); !why.empty()) {
      error(n, path, why);
      return std::nullopt;
    }
  }
  return s;
}

std::optional<double> yaml_reader::number(const YAML::Node& n,
                                          const std::string& path, double lo,
                                          double hi) {
  auto s = scalar(n, path, "a number");
  if (!s)
    return std::nullopt;
  if (!plain_decimal(*s)) {
    error(n, path, "expected a number, got '" + *s + "'");
    return std::nullopt;
  }
  double v = std::strtod(s->c_str(), nullptr);
  if (!std::isfinite(v) || v < lo || v > hi) {
    error(n, path, "must be between " + show(lo) + " and " + show(hi)
                     + ", got " + *s);
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> yaml_reader::whole(const YAML::Node& n,
                                                const std::string& path,
                                                std::uint64_t lo,
                                                std::uint64_t hi) {
  auto s = scalar(n, path, "a whole number");
  if (!s)
    return std::nullopt;
  auto range = "must be between " + std::to_string(lo) + " and "
               + std::to_string(hi) + ", got " + *s;
  auto body = *s;
  if (!body.empty() && body.front() == '+')
    body.erase(0, 1);
  if (!body.empty() && body.front() == '-'
      && std::all_of(body.begin() + 1, body.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })
      && body.size() > 1) {
    error(n, path, range);
    return std::nullopt;
  }
  if (body.empty() || !std::all_of(body.begin(), body.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    error(n, path, "expected a whole number, got '" + *s + "'");
    return std::nullopt;
  }
  errno = 0;
  auto v = std::strtoull(body.c_str(), nullptr, 10);
  if (errno == ERANGE || v < lo || v > hi) {
    error(n, path, range);
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(v);
}

std::optional<bool> yaml_reader::boolean(const YAML::Node& n,
                                         const std::string& path) {
  auto s = scalar(n, path, "true or false");
  if (!s)
    return std::nullopt;
  auto v = lower(*s);
  if (v == "true" || v == "yes" || v == "on")
    return true;
  if (v == "false" || v == "no" || v == "off")
    return false;
  error(n, path, "expected true or false, got '" + *s + "'");
  return std::nullopt;
}

std::optional<sim_duration> yaml_reader::duration(const YAML::Node& n,
                                                  const std::string& path,
                                                  sim_duration lo,
                                                  sim_duration hi) {
  auto s = scalar(n, path, "a duration such as 90s, 5m or 1h");
  if (!s)
    return std::nullopt;
  std::string why;
  auto d = parse_duration(*s, &why);
  if (!d) {
    error(n, path, "'" + *s + "': " + why);
    return std::nullopt;
  }
  if (*d < lo || *d > hi) {
    error(n, path, "must be between " + format_duration(lo) + " and "
                     + format_duration(hi) + ", got " + *s);
    return std::nullopt;
  }
  return d;
}

std::optional<duration_range> yaml_reader::span(const YAML::Node& n,
                                                const std::string& path,
                                                sim_duration hi) {
  if (!n.IsMap()) {
    auto d = duration(n, path, sim_duration{0}, hi);
    if (!d)
      return std::nullopt;
    return duration_range{*d, *d};
  }
  auto m = map(n, path, {"min", "max"});
  if (!m || !require(*m, {"min", "max"}))
    return std::nullopt;
  auto lo = duration(*m->get("min"), m->child("min"), sim_duration{0}, hi);
  auto up = duration(*m->get("max"), m->child("max"), sim_duration{0}, hi);
  if (!lo || !up)
    return std::nullopt;
  if (*lo > *up) {
    error(*m->get("max"), m->child("max"), "must not be less than min ("
                                             + format_duration(*lo) + ")");
    return std::nullopt;
  }
  return duration_range{*lo, *up};
}

std::optional<std::string>
yaml_reader::choice(const YAML::Node& n, const std::string& path,
                    const std::vector<std::string_view>& options) {
  std::string list;
  for (auto o : options)
    list += (list.empty() ? "" : ", ") + std::string{o};
  auto s = scalar(n, path, ("one of: " + list).c_str());
  if (!s)
    return std::nullopt;
  for (auto o : options)
    if (lower(o) == lower(*s))
      return std::string{o};
  error(n, path, "expected one of: " + list + "; got '" + *s + "'"
                   + did_you_mean(*s, options));
  return std::nullopt;
}

std::optional<std::string> yaml_reader::orbit_text(const YAML::Node& n,
                                                   const std::string& path) {
  if (n.IsNull()) {
    error(n, path, "expected an orbit number; quote one that starts with * "
                   "or # (\"*1000\"): unquoted, YAML reads # as a comment");
    return std::nullopt;
  }
  return scalar(n, path, "an orbit number");
}

} // namespace calldrill
