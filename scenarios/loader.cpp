// The scenario loader: guards against unusable files, parses YAML, reads each
// section strictly, then checks the whole. Reading errors hide the checks'
// follow-on errors about the same keys, so each mistake is reported once.
#include "scenarios/loader.hpp"

#include "scenarios/limits.hpp"
#include "scenarios/read_sections.hpp"
#include "scenarios/utf8.hpp"
#include "scenarios/validate.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

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
    if (c == 0 || c == 0x7F || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'))
      return "not a text file (control byte at line " + std::to_string(line)
             + ")";
    auto d = utf8::decode(text, i);
    if (!d.valid)
      return "not a text file (invalid UTF-8 at line " + std::to_string(line)
             + ")";
    i += d.length;
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
    if (!v.IsScalar())
      return r.text(v, p); // reports the wrong type
    if (auto why = utf8::text_problem(v.Scalar(), "\n\t"); !why.empty()) {
      r.error(v, p, why);
      return std::optional<std::string>{};
    }
    return std::optional<std::string>{v.Scalar()};
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

/// Records where each YAML document starts, building nothing.
class document_starts : public YAML::EventHandler {
public:
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& m) override { marks.push_back(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Checks that `text` holds exactly one YAML document, reading at most three.
/// yaml-cpp 0.7 does not advance past a stray flow indicator outside any
/// collection (a line starting with `,`): it yields empty documents from the
/// same place forever, so `YAML::LoadAll` allocates without bound. A
/// document that starts where the previous one did is that case.
bool one_document(const std::string& text, diagnostics& d) {
  std::istringstream in{text};
  YAML::Parser parser{in};
  document_starts starts;
  while (starts.marks.size() < 3 && parser.HandleNextDocument(starts)) {
    const auto& m = starts.marks;
    auto n = m.size();
    if (n > 1 && m[n - 1].pos == m[n - 2].pos) {
      auto at = static_cast<std::size_t>(m[n - 1].pos);
      auto c = at < text.size() ? std::string(1, text[at]) : std::string{};
      d.error_at({m[n - 1].line + 1, m[n - 1].column + 1}, "",
                 "YAML syntax: unexpected '" + c
                   + "' outside any list or map");
      return false;
    }
  }
  if (starts.marks.size() > 1) {
    d.error_at({starts.marks[1].line + 1, starts.marks[1].column + 1}, "",
               "one scenario per file: a second YAML document starts here");
    return false;
  }
  return true;
}

/// The file's one YAML document (a null node when the text is empty), or
/// nullopt after reporting why there is none.
std::optional<YAML::Node> parse(std::string_view text, diagnostics& d) {
  try {
    std::string copy{text};
    if (!one_document(copy, d))
      return std::nullopt;
    return YAML::Load(copy);
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
  return std::nullopt;
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
  // Open first, then ask what was opened: a check by name before opening
  // could be answered by a regular file and the open by a FIFO swapped in
  // meanwhile (which blocks a reader forever). O_NONBLOCK keeps the open of a
  // FIFO from waiting for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return file_problem(path, std::string{"cannot read: "}
                                + std::strerror(errno));
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } guard{fd};
  struct stat st{};
  if (::fstat(fd, &st) != 0)
    return file_problem(path, std::string{"cannot read: "}
                                + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    return file_problem(path, "is a directory, not a scenario file");
  if (!S_ISREG(st.st_mode))
    return file_problem(path, "is not a regular file");
  auto too_big = [&](std::uint64_t bytes) {
    return file_problem(path, std::to_string(bytes)
                                + " bytes: a scenario file is at most "
                                + std::to_string(limits::file_bytes_max)
                                + " bytes (1 MiB)");
  };
  if (static_cast<std::uint64_t>(st.st_size) > limits::file_bytes_max)
    return too_big(static_cast<std::uint64_t>(st.st_size));
  // Read at most one byte past the cap: the file may grow after fstat.
  std::string text(limits::file_bytes_max + 1, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    auto n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return file_problem(path, std::string{"cannot read: "}
                                  + std::strerror(errno));
    if (n == 0)
      break;
    got += static_cast<std::size_t>(n);
  }
  if (got > limits::file_bytes_max)
    return too_big(got);
  text.resize(got);
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
  auto doc = parse(text, d);
  loaded_scenario out;
  if (doc && doc->IsNull())
    d.error("", "the file is empty: a scenario needs at least the "
                "topology and traffic sections");
  if (d.errors() > 0) {
    out.diagnostics = std::move(d.all());
    return out;
  }
  scenario s;
  s.name = stem(file);
  s.source = file;
  s.run.speed = 60.0;
  yaml_reader r{d, marks};
  read_root(r, *doc, s);
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
