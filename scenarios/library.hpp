// The scenario library: the YAML drills shipped in scenarios/, compiled into
// calldrill so `calldrill list` shows them and `calldrill run NAME` plays one
// from anywhere, the installed binary included.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace calldrill {

/// One library file: its name (the file name without .yaml) and its text.
struct library_file {
  std::string_view name;
  std::string_view text;
};

/// Every file of the library, by name (generated at build time).
const std::vector<library_file>& library_files();

/// The library file called `name`, or nullptr.
const library_file* find_library_file(std::string_view name);

/// The first sentence of the file's leading comment: one line for a list.
std::string library_summary(const library_file& f);

/// Library names, to suggest one for a misspelt name.
std::vector<std::string> library_names();

} // namespace calldrill
