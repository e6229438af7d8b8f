// The scenario loader: guards against unusable files, parses YAML, reads each
// section strictly, then checks the whole. Reading errors hide the checks'
// follow-on errors about the same keys, so each mistake is reported once.
#include "scenarios/loader.hpp"

#include "scenarios/limits.hpp"
#include "scenarios/read_sections.hpp"
#include "scenarios/validate.hpp"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

namespace calldrill {

namespace {

loaded_scenario file_problem(const std::string& file, std::string message) {
  loaded_scenario out;
  diagnostic d;
  d.file = file;
  d.message = std::move(message);
  out.diagnostics.push_back(std::move(d));
  return out;
}

/// Why `text` is not a YAML text file, or "".
std::string not_text(std::string_view text) {
  int line = 1;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n')
      ++line;
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'))
      return "not a text file (control byte at line " + std::to_string(line)
             + ")";
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3
                                   : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size())
      return "not a text file (invalid UTF-8 at line " + std::to_string(line)
             + ")";
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2)
        return "not a text file (invalid UTF-8 at line "
               + std::to_string(line) + ")";
    i += len;
  }
  return {};
}

bool related(const std::string& a, const std::string& b) {
  auto under = [](const std::string& x, const std::string& y) {
    return x.size() > y.size() && x.compare(0, y.size(), y) == 0
           && (x[y.size()] == '.' || x[y.size()] == '[');
  };
  return a == b || under(a, b) || under(b, a);
}

void read_root(yaml_reader& r, const YAML::Node& root, scenario& s) {
  auto m = r.map(root, "", {"name", "description", "topology", "traffic",
                            "drill", "expect", "run"});
  if (!m)
    return;
  r.require(*m, {"topology", "traffic"});
  auto text = [&](const YAML::Node& v, const std::string& p) {
    return r.text(v, p);
  };
  r.field(*m, "name", s.name, text);
  std::string description;
  r.field(*m, "description", description, [&](const YAML::Node& v,
                                               const std::string& p) {
    return v.IsScalar() ? std::optional<std::string>{v.Scalar()}
                        : r.text(v, p);
  });
  if (const auto* v = m->get("topology"))
    read_topology(r, *v, s);
  if (const auto* v = m->get("traffic"))
    read_traffic(r, *v, s);
  if (const auto* v = m->get("drill"))
    read_drill(r, *v, s);
  if (const auto* v = m->get("expect"))
    read_expect(r, *v, s);
  if (const auto* v = m->get("run"))
    read_run(r, *v, s);
}

std::vector<YAML::Node> parse(std::string_view text, diagnostics& d) {
  try {
    return YAML::LoadAll(std::string{text});
  } catch (const YAML::DeepRecursion& e) {
    d.error_at({e.mark.line + 1, e.mark.column + 1}, "",
               "nested deeper than a scenario can be (YAML syntax)");
  } catch (const YAML::Exception& e) {
    std::string hint;
    if (e.msg.find("anchor") != std::string::npos)
      hint = " (quote orbit numbers that start with *: \"*1000\")";
    text_mark at;
    if (!e.mark.is_null())
      at = {e.mark.line + 1, e.mark.column + 1};
    d.error_at(at, "", "YAML syntax: " + e.msg + hint);
  }
  return {};
}

std::string stem(const std::string& file) {
  auto base = file.substr(file.find_last_of('/') + 1);
  auto dot = base.rfind(".y");
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

} // namespace

std::size_t loaded_scenario::errors() const {
  return static_cast<std::size_t>(
    std::count_if(diagnostics.begin(), diagnostics.end(),
                  [](const diagnostic& d) {
                    return d.severity == diagnostic::level::error;
                  }));
}

loaded_scenario load_scenario_file(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0)
    return file_problem(path, std::string{"cannot read: "}
                                + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    return file_problem(path, "is a directory, not a scenario file");
  if (!S_ISREG(st.st_mode))
    return file_problem(path, "is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > limits::file_bytes_max)
    return file_problem(path, std::to_string(st.st_size)
                                + " bytes: a scenario file is at most "
                                + std::to_string(limits::file_bytes_max)
                                + " bytes (1 MiB)");
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return file_problem(path, std::string{"cannot read: "}
                                + std::strerror(errno));
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return load_scenario_text(text, path);
}

loaded_scenario load_scenario_text(std::string_view text,
                                   const std::string& file) {
  if (text.size() > limits::file_bytes_max)
    return file_problem(file, "a scenario is at most 1 MiB of YAML");
  if (auto why = not_text(text); !why.empty())
    return file_problem(file, why);
  key_marks marks;
  diagnostics d{file, &marks};
  auto docs = parse(text, d);
  loaded_scenario out;
  if (d.errors() == 0 && (docs.empty() || docs[0].IsNull()))
    d.error("", "the file is empty: a scenario needs at least the "
                "topology and traffic sections");
  if (d.errors() == 0 && docs.size() > 1)
    d.error_at(yaml_reader::mark_of(docs[1]), "",
               "one scenario per file: a second YAML document starts here");
  if (d.errors() > 0) {
    out.diagnostics = std::move(d.all());
    return out;
  }
  scenario s;
  s.name = stem(file);
  s.source = file;
  s.run.speed = 60.0;
  yaml_reader r{d, marks};
  read_root(r, docs[0], s);
  auto read_errors = d.all();
  diagnostics checks{file, &marks};
  auto topo = validate_scenario(s, checks);
  for (auto& c : checks.all()) {
    bool follow_on = std::any_of(
      read_errors.begin(), read_errors.end(), [&](const diagnostic& e) {
        return e.severity == diagnostic::level::error
               && (e.path.empty() || related(e.path, c.path));
      });
    if (!follow_on)
      d.all().push_back(std::move(c));
  }
  out.diagnostics = std::move(d.all());
  std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(),
                   [](const diagnostic& a, const diagnostic& b) {
                     return a.at.line != b.at.line ? a.at.line < b.at.line
                                                   : a.at.col < b.at.col;
                   });
  if (out.errors() == 0 && topo) {
    out.scn = std::move(s);
    out.topo = std::move(topo);
  }
  return out;
}

} // namespace calldrill
