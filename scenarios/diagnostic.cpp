// Formatting of diagnostics and the lookup of key paths to file positions.
#include "scenarios/diagnostic.hpp"

#include "scenarios/utf8.hpp"

#include <algorithm>

namespace calldrill {

std::string format(const diagnostic& d) {
  // Keys and values are quoted from the file: never pass their control
  // characters to the terminal.
  std::string out = utf8::printable(d.file);
  if (d.at.line > 0)
    out += ":" + std::to_string(d.at.line) + ":" + std::to_string(d.at.col);
  out += ": ";
  if (d.severity == diagnostic::level::warning)
    out += "warning: ";
  if (!d.path.empty())
    out += utf8::printable(d.path) + ": ";
  return out + utf8::printable(d.message);
}

text_mark key_marks::find(std::string path) const {
  for (;;) {
    auto i = marks_.find(path);
    if (i != marks_.end())
      return i->second;
    auto cut = path.find_last_of(".[");
    if (cut == std::string::npos || cut == 0)
      return {};
    path.resize(cut);
  }
}

void diagnostics::error(const std::string& path, std::string message) {
  add(diagnostic::level::error,
      marks_ != nullptr ? marks_->find(path) : text_mark{}, path,
      std::move(message));
}

void diagnostics::warning(const std::string& path, std::string message) {
  add(diagnostic::level::warning,
      marks_ != nullptr ? marks_->find(path) : text_mark{}, path,
      std::move(message));
}

void diagnostics::error_at(text_mark at, const std::string& path,
                           std::string message) {
  add(diagnostic::level::error, at, path, std::move(message));
}

std::size_t diagnostics::errors() const {
  return static_cast<std::size_t>(
    std::count_if(list_.begin(), list_.end(), [](const diagnostic& d) {
      return d.severity == diagnostic::level::error;
    }));
}

void diagnostics::add(diagnostic::level lv, text_mark at,
                      const std::string& path, std::string message) {
  diagnostic d;
  d.severity = lv;
  d.file = file_;
  d.at = at;
  d.path = path;
  d.message = std::move(message);
  list_.push_back(std::move(d));
}

} // namespace calldrill
