// The checker's id table answers as a map would, whatever the ids: dense
// per-host ids (the model's), ids that share a place, and ids far apart.
#include "checker/id_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

using calldrill::checking::id_table;

namespace {

std::uint64_t handle(std::uint64_t host, std::uint64_t gen, std::uint64_t slot) {
  return (host << 48) | (gen << 24) | slot;
}

/// Every entry of the table, as a sorted map.
std::map<std::uint64_t, int> contents(const id_table<int>& t) {
  std::map<std::uint64_t, int> m;
  t.for_each([&](std::uint64_t id, int v) { EXPECT_TRUE(m.emplace(id, v).second); });
  return m;
}

} // namespace

TEST(IdTable, TwoIdsOfOnePlaceAreKeptApart) {
  id_table<int> t;
  auto a = handle(3, 1, 7), b = handle(3, 2, 7); // one slot, two generations
  EXPECT_TRUE(t.insert(a, 1));
  EXPECT_TRUE(t.insert(b, 2));
  EXPECT_FALSE(t.insert(a, 9)) << "an id that is there is not added again";
  ASSERT_NE(t.find(a), nullptr);
  ASSERT_NE(t.find(b), nullptr);
  EXPECT_EQ(*t.find(a), 1);
  EXPECT_EQ(*t.find(b), 2);
  EXPECT_TRUE(t.erase(a));
  EXPECT_EQ(t.find(a), nullptr);
  EXPECT_EQ(*t.find(b), 2);
  EXPECT_FALSE(t.erase(a));
  EXPECT_EQ(t.size(), 1u);
}

TEST(IdTable, AnswersAsAMapForDenseSparseAndCollidingIds) {
  id_table<int> t;
  std::map<std::uint64_t, int> ref;
  std::mt19937_64 gen{42};
  auto pick = [&]() -> std::uint64_t {
    switch (gen() % 4) {
      case 0: return handle(gen() % 4, gen() % 3, gen() % 64);     // dense
      case 1: return handle(gen() % 4, gen() % 3, gen() % 0xFFFFFF); // far
      case 2: return gen();                                        // anything
      default: return gen() % 16;                                  // tiny
    }
  };
  for (int i = 0; i < 200000; ++i) {
    auto id = pick();
    auto v = static_cast<int>(gen() % 1000);
    switch (gen() % 4) {
      case 0:
        EXPECT_EQ(t.insert(id, v), ref.emplace(id, v).second);
        break;
      case 1:
        t.assign(id, v);
        ref[id] = v;
        break;
      case 2:
        EXPECT_EQ(t.erase(id), ref.erase(id) == 1);
        break;
      default: {
        auto* f = t.find(id);
        auto r = ref.find(id);
        ASSERT_EQ(f != nullptr, r != ref.end());
        if (f != nullptr) {
          EXPECT_EQ(*f, r->second);
        }
      }
    }
    ASSERT_EQ(t.size(), ref.size());
  }
  EXPECT_EQ(contents(t), ref);
}
