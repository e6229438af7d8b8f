// "Did you mean": the closest known word to a misspelt one, for option
// names, subcommands, scenario keys, actions and library drills. Header-only
// and free of third-party code so every room on top of model/ can use it.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace calldrill {

/// Edit distance (insertions, deletions, substitutions, and swaps of two
/// neighbouring letters each cost 1), case-insensitive.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1,
                                          std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      auto cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0u : 1u;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2])
          && lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

/// The known word closest to `word`, or "" when none is close enough to be
/// a likely misspelling (at most a third of the word's letters wrong, and at
/// least one). Ties go to the first in `known`.
template <class Words>
std::string closest(std::string_view word, const Words& known) {
  std::string best;
  auto limit = std::max<std::size_t>(1, word.size() / 3);
  auto best_d = limit + 1;
  for (const auto& k : known) {
    std::string_view kv{k};
    auto d = edit_distance(word, kv);
    if (d < best_d) {
      best_d = d;
      best = std::string{kv};
    }
  }
  return best;
}

/// " (did you mean 'x'?)" for the closest known word, or "".
template <class Words>
std::string did_you_mean(std::string_view word, const Words& known) {
  auto c = closest(word, known);
  return c.empty() ? std::string{} : " (did you mean '" + c + "'?)";
}

} // namespace calldrill
