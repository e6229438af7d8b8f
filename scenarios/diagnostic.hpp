// Problems found in a scenario file, each with the line, column and key path
// it is about, printed as `FILE:LINE:COL: key.path: message`. Validation
// collects every one of them before it answers.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace calldrill {

/// A position in a scenario file, 1-based; line 0 means "the whole file".
struct text_mark {
  int line = 0;
  int col = 0;
};

struct diagnostic {
  enum class level { error, warning };
  level severity = level::error;
  std::string file;
  text_mark at;
  std::string path; ///< key path, e.g. "topology.pools[1].backup"; may be empty
  std::string message;
};

/// `FILE:LINE:COL: key.path: message`; warnings say "warning:" first.
std::string format(const diagnostic& d);

/// Where each key path of a file was written, so checks that run on the
/// loaded scenario can point back at the line.
class key_marks {
public:
  void add(const std::string& path, text_mark m) { marks_.emplace(path, m); }

  /// The mark of `path`, else of its nearest written ancestor.
  text_mark find(std::string path) const;

private:
  std::map<std::string, text_mark> marks_;
};

/// Collects the diagnostics of one file.
class diagnostics {
public:
  diagnostics(std::string file, const key_marks* marks)
    : file_(std::move(file)), marks_(marks) {}

  void error(const std::string& path, std::string message);
  void warning(const std::string& path, std::string message);
  void error_at(text_mark at, const std::string& path, std::string message);

  const std::string& file() const { return file_; }
  const std::vector<diagnostic>& all() const { return list_; }
  std::vector<diagnostic>& all() { return list_; }
  std::size_t errors() const;

private:
  void add(diagnostic::level lv, text_mark at, const std::string& path,
           std::string message);
  std::string file_;
  const key_marks* marks_;
  std::vector<diagnostic> list_;
};

} // namespace calldrill
