// A small strict JSON reader for tests: enough to check that dashboards are
// valid JSON, collect their queries and read Prometheus API answers.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace calldrill::testing {

struct json {
  enum class kind { null, boolean, number, string, array, object };
  kind k = kind::null;
  bool b = false;
  double n = 0;
  std::string s;
  std::vector<json> items;
  std::vector<std::pair<std::string, json>> members; ///< in document order

  const json* find(const std::string& key) const {
    for (const auto& [k2, v] : members)
      if (k2 == key)
        return &v;
    return nullptr;
  }
};

class json_reader {
public:
  /// Parses `text`; throws std::runtime_error with the offset on bad input.
  static json parse(const std::string& text) {
    json_reader r{text};
    r.ws();
    auto v = r.value(0);
    r.ws();
    if (r.i_ != text.size())
      r.fail("trailing characters");
    return v;
  }

private:
  explicit json_reader(const std::string& t) : t_(t) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("JSON: " + why + " at offset "
                             + std::to_string(i_));
  }
  void ws() {
    while (i_ < t_.size()
           && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r'
               || t_[i_] == '\t'))
      ++i_;
  }
  bool eat(char c) {
    ws();
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c))
      fail(std::string{"expected '"} + c + "'");
  }
  bool word(const char* w) {
    std::string s{w};
    if (t_.compare(i_, s.size(), s) != 0)
      return false;
    i_ += s.size();
    return true;
  }

  json value(int depth) {
    if (depth > 64)
      fail("nesting too deep");
    ws();
    if (i_ >= t_.size())
      fail("unexpected end");
    json v;
    char c = t_[i_];
    if (c == '{') {
      ++i_;
      v.k = json::kind::object;
      if (eat('}'))
        return v;
      do {
        ws();
        auto key = str();
        expect(':');
        v.members.emplace_back(key, value(depth + 1));
      } while (eat(','));
      expect('}');
    } else if (c == '[') {
      ++i_;
      v.k = json::kind::array;
      if (eat(']'))
        return v;
      do
        v.items.push_back(value(depth + 1));
      while (eat(','));
      expect(']');
    } else if (c == '"') {
      v.k = json::kind::string;
      v.s = str();
    } else if (word("true")) {
      v.k = json::kind::boolean;
      v.b = true;
    } else if (word("false")) {
      v.k = json::kind::boolean;
    } else if (word("null")) {
      v.k = json::kind::null;
    } else {
      v.k = json::kind::number;
      v.n = number();
    }
    return v;
  }

  double number() {
    auto start = i_;
    if (i_ < t_.size() && t_[i_] == '-')
      ++i_;
    auto digits = [&] {
      auto d = i_;
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9')
        ++i_;
      return i_ > d;
    };
    if (!digits())
      fail("bad value");
    if (i_ < t_.size() && t_[i_] == '.') {
      ++i_;
      if (!digits())
        fail("bad number");
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-'))
        ++i_;
      if (!digits())
        fail("bad exponent");
    }
    return std::stod(t_.substr(start, i_ - start));
  }

  std::string str() {
    if (i_ >= t_.size() || t_[i_] != '"')
      fail("expected a string");
    ++i_;
    std::string out;
    while (i_ < t_.size() && t_[i_] != '"') {
      char c = t_[i_++];
      if (static_cast<unsigned char>(c) < 0x20)
        fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= t_.size())
        fail("bad escape");
      char e = t_[i_++];
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (i_ + 4 > t_.size())
            fail("bad \\u escape");
          auto cp = std::stoul(t_.substr(i_, 4), nullptr, 16);
          i_ += 4;
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default:
          fail("bad escape");
      }
    }
    if (i_ >= t_.size())
      fail("unterminated string");
    ++i_;
    return out;
  }

  const std::string& t_;
  std::size_t i_ = 0;
};

/// Every string value under the key `key`, anywhere in `v`, in order.
inline void collect(const json& v, const std::string& key,
                    std::vector<std::string>& out) {
  for (const auto& [k, m] : v.members) {
    if (k == key && m.k == json::kind::string)
      out.push_back(m.s);
    collect(m, key, out);
  }
  for (const auto& i : v.items)
    collect(i, key, out);
}

} // namespace calldrill::testing
