// Strict UTF-8 decoding and printable escapes (see utf8.hpp).
#include "scenarios/utf8.hpp"

#include <cstdio>

namespace calldrill::utf8 {

decoded decode(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  auto c = byte(i);
  if (c < 0x80)
    return {c, 1, true};
  std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size())
    return {};
  char32_t code = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) >> 6) != 0x2)
      return {};
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < least[len] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
    return {};
  return {code, len, true};
}

std::string text_problem(std::string_view s, std::string_view allowed) {
  for (std::size_t i = 0; i < s.size();) {
    auto d = decode(s, i);
    if (!d.valid)
      return "is not valid UTF-8 (a surrogate, a code point above U+10FFFF "
             "or a broken sequence)";
    if (is_control(d.code)
        && (d.code >= 0x80 || allowed.find(static_cast<char>(d.code))
                                == std::string_view::npos))
      return "must not contain control characters";
    i += d.length;
  }
  return {};
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char buf[16];
  for (std::size_t i = 0; i < s.size();) {
    auto d = decode(s, i);
    if (!d.valid) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
    } else if (is_control(d.code)) {
      std::snprintf(buf, sizeof buf, d.code < 0x80 ? "\\x%02x" : "\\u%04x",
                    static_cast<unsigned>(d.code));
      out += buf;
    } else {
      out.append(s.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

} // namespace calldrill::utf8
