// "Did you mean": close misspellings find their word, distant ones nothing.
#include "scenarios/suggest.hpp"

#include <gtest/gtest.h>

using namespace calldrill;

TEST(Suggest, FindsTheClosestWordOrNothing) {
  std::vector<std::string> words{"workers", "speed", "seed", "scheduler"};
  EXPECT_EQ(closest("wrokers", words), "workers"); // swapped letters
  EXPECT_EQ(closest("sped", words), "speed");
  EXPECT_EQ(closest("SEED", words), "seed");
  EXPECT_EQ(closest("banana", words), "");
  EXPECT_EQ(did_you_mean("schedular", words), " (did you mean 'scheduler'?)");
  EXPECT_EQ(did_you_mean("zzz", words), "");
}
