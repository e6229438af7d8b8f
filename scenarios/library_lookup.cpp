// Looking up and summarising the scenario library (see library.hpp).
#include "scenarios/library.hpp"

namespace calldrill {

const library_file* find_library_file(std::string_view name) {
  for (const auto& f : library_files())
    if (f.name == name)
      return &f;
  return nullptr;
}

std::string library_summary(const library_file& f) {
  std::string comment;
  std::size_t at = 0;
  while (at < f.text.size() && f.text[at] == '#') {
    auto end = f.text.find('\n', at);
    if (end == std::string_view::npos)
      end = f.text.size();
    auto line = f.text.substr(at + 1, end - at - 1);
    if (!line.empty() && line.front() == ' ')
      line.remove_prefix(1);
    comment += (comment.empty() ? "" : " ") + std::string{line};
    at = end + 1;
  }
  // The first clause: up to the first sentence end, colon or semicolon.
  for (std::size_t i = 0; i < comment.size(); ++i) {
    char c = comment[i];
    bool end_of_clause = (c == '.' || c == ':' || c == ';')
                         && (i + 1 == comment.size() || comment[i + 1] == ' ');
    if (end_of_clause)
      return comment.substr(0, i);
  }
  return comment;
}

std::vector<std::string> library_names() {
  std::vector<std::string> out;
  for (const auto& f : library_files())
    out.emplace_back(f.name);
  return out;
}

} // namespace calldrill
