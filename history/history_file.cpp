// The history file's metadata block (escaped `key=value` lines), the check
// of a target path before a run, and the one-call reader.
#include "history/history_file.hpp"

#include "calldrill/version.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <charconv>
#include <cstring>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace calldrill {

const char* calldrill_version() {
  return version;
}

namespace {

std::string escape(const std::string& v) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(v.size());
  for (char ch : v) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Undoes escape(); false on a malformed escape.
bool unescape(std::string_view v, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\') {
      out += v[i];
      continue;
    }
    if (++i == v.size())
      return false;
    switch (v[i]) {
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'x': {
        if (i + 2 >= v.size())
          return false;
        int hi = hex_digit(v[i + 1]);
        int lo = hex_digit(v[i + 2]);
        if (hi < 0 || lo < 0)
          return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        break;
      }
      default: return false;
    }
  }
  return true;
}

void line(std::string& out, const char* key, const std::string& value) {
  out += key;
  out += '=';
  out += escape(value);
  out += '\n';
}

template <class Int>
bool parse_int(const std::string& text, Int& v) {
  auto end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  return ec == std::errc{} && p == end && !text.empty();
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos)
      comma = text.size();
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

/// Stores one key's value in `m`; "" or what is wrong with it.
std::string assign(history_meta& m, const std::string& key,
                   const std::string& v) {
  if (key == "calldrill_version")
    m.version = v;
  else if (key == "source") {
    if (v == "yaml")
      m.source = history_source::yaml;
    else if (v == "workload")
      m.source = history_source::workload;
    else
      return "source: expected yaml or workload, got '" + v + "'";
  } else if (key == "scenario")
    m.scenario = v;
  else if (key == "scenario_file")
    m.scenario_file = v;
  else if (key == "scenario_yaml")
    m.scenario_yaml = v;
  else if (key == "workload")
    m.workload = v;
  else if (key == "duration_us") {
    std::int64_t us = 0;
    if (!parse_int(v, us) || us <= 0)
      return "duration_us: expected microseconds above 0, got '" + v + "'";
    m.duration = sim_duration{us};
  } else if (key == "seed") {
    if (!parse_int(v, m.seed))
      return "seed: expected a whole number, got '" + v + "'";
  } else if (key == "clock") {
    if (v != "virtual" && v != "realtime")
      return "clock: expected virtual or realtime, got '" + v + "'";
    m.clock = v;
  } else if (key == "speed") {
    char* end = nullptr;
    double x = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || !(x > 0) || !std::isfinite(x))
      return "speed: expected a number above 0, got '" + v + "'";
    m.speed = x;
  } else if (key == "tolerance_us") {
    std::int64_t us = 0;
    if (!parse_int(v, us) || us < 0)
      return "tolerance_us: expected microseconds, 0 or more, got '" + v + "'";
    m.tolerance = sim_duration{us};
  } else if (key == "defects")
    m.defects = split_commas(v);
  else if (key == "replay")
    m.replay = v;
  // any other key: written by a later version 1 writer, not needed here
  return {};
}

} // namespace

std::string encode_meta(const history_meta& m) {
  std::string out;
  line(out, "calldrill_version", m.version.empty() ? calldrill_version() : m.version);
  line(out, "source", m.source == history_source::yaml ? "yaml" : "workload");
  line(out, "scenario", m.scenario);
  if (m.source == history_source::yaml) {
    line(out, "scenario_file", m.scenario_file);
    line(out, "scenario_yaml", m.scenario_yaml);
  } else {
    line(out, "workload", m.workload);
  }
  if (m.duration)
    line(out, "duration_us", std::to_string(m.duration->count()));
  line(out, "seed", std::to_string(m.seed));
  line(out, "clock", m.clock);
  if (m.speed) {
    std::ostringstream x;
    x.precision(17);
    x << *m.speed;
    line(out, "speed", x.str());
  }
  if (m.tolerance)
    line(out, "tolerance_us", std::to_string(m.tolerance->count()));
  if (!m.defects.empty()) {
    std::string list;
    for (const auto& d : m.defects)
      list += (list.empty() ? "" : ",") + d;
    line(out, "defects", list);
  }
  if (!m.replay.empty())
    line(out, "replay", m.replay);
  return out;
}

std::string decode_meta(const std::string& text, history_meta& m,
                        std::uint64_t* where) {
  m = history_meta{};
  std::set<std::string> seen;
  std::size_t pos = 0;
  std::string value;
  while (pos < text.size()) {
    *where = pos;
    auto end = text.find('\n', pos);
    if (end == std::string::npos)
      return "metadata: the last line has no line feed";
    std::string_view l{text.data() + pos, end - pos};
    auto eq = l.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return "metadata: a line that is not key=value";
    std::string key{l.substr(0, eq)};
    if (!seen.insert(key).second)
      return "metadata: key '" + key + "' given twice";
    if (!unescape(l.substr(eq + 1), value))
      return "metadata: " + key + ": a malformed \\ escape";
    if (auto err = assign(m, key, value); !err.empty())
      return "metadata: " + err;
    pos = end + 1;
  }
  *where = text.size();
  for (const char* key : {"calldrill_version", "source", "scenario", "seed", "clock"})
    if (!seen.count(key))
      return std::string{"metadata: the required key '"} + key + "' is missing";
  if (m.source == history_source::yaml && !seen.count("scenario_yaml"))
    return "metadata: source yaml without scenario_yaml";
  if (m.source == history_source::workload && !seen.count("workload"))
    return "metadata: source workload without workload";
  return {};
}

std::string check_target(const std::string& path) {
  if (path.empty())
    return "no history file named";
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return path + ": is a directory";
    if (S_ISLNK(st.st_mode))
      return path + ": is a symbolic link; refusing to replace it";
    if (!S_ISREG(st.st_mode))
      return path + ": exists and is not a regular file";
  } else if (errno != ENOENT) {
    return path + ": " + std::strerror(errno);
  }
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "."
                    : slash == 0               ? "/"
                                               : path.substr(0, slash);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return path + ": folder " + dir + " does not exist";
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    return path + ": folder " + dir + " is not writable";
  return {};
}

std::string read_history(const std::string& path, history_meta& meta,
                         fact_sink& out) {
  history_reader r;
  auto err = r.open(path);
  if (err.empty())
    meta = r.meta();
  if (err.empty())
    err = r.verify();
  if (err.empty())
    err = r.stream(out);
  return err;
}

} // namespace calldrill
