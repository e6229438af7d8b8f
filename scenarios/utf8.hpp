// Strict UTF-8 and control characters: what scenario text may contain, and
// how a diagnostic shows text that broke the rules without passing it raw to
// a terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace calldrill::utf8 {

/// One code point decoded from text, or an invalid sequence.
struct decoded {
  char32_t code = 0;
  std::size_t length = 1; ///< bytes used (1 for an invalid byte)
  bool valid = false;
};

/// Decodes the sequence at `s[i]`, strictly (RFC 3629): no overlong forms,
/// no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
decoded decode(std::string_view s, std::size_t i);

/// C0 and C1 control characters and DEL.
inline bool is_control(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

/// Why `s` is not acceptable as a name (invalid UTF-8 or a control
/// character, except those in `allowed`), or "".
std::string text_problem(std::string_view s, std::string_view allowed = {});

/// `s` with control characters and invalid bytes written as escapes
/// (`\x1b`, `\u0085`), safe to print.
std::string printable(std::string_view s);

} // namespace calldrill::utf8
