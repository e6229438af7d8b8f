// Numbers for people: grouped digits and three significant figures.
#include "cli/human_format.hpp"

#include <gtest/gtest.h>

using namespace calldrill;

TEST(HumanFormat, SecondsInAFittingUnitWithThreeFigures) {
  EXPECT_EQ(human_seconds(9.95093), "9.95 s");
  EXPECT_EQ(human_seconds(0.00043208), "432 us");
  EXPECT_EQ(human_seconds(0.0123), "12.3 ms");
  EXPECT_EQ(human_seconds(123.4), "123 s");
  EXPECT_EQ(human_seconds(4000), "1h06m40s");
  EXPECT_EQ(human_seconds(0), "0 s");
}

TEST(HumanFormat, CountsAndBytes) {
  EXPECT_EQ(human_count(0), "0");
  EXPECT_EQ(human_count(999), "999");
  EXPECT_EQ(human_count(1234567), "1,234,567");
  EXPECT_EQ(human_bytes(12.0 * 1024 * 1024), "12.0 MiB");
  EXPECT_EQ(human_bytes(512), "512 B");
}
