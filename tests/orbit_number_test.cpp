// Orbit numbers and ranges follow Set-CsCallParkOrbit's rules.
#include "model/orbit_number.hpp"

#include <gtest/gtest.h>

using namespace calldrill;

TEST(OrbitNumber, AcceptsPrefixedAndPlainNumbers) {
  auto a = parse_orbit_number("*1000");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->prefix, '*');
  EXPECT_EQ(a->value, 1000u);
  EXPECT_EQ(a->digits, 4);
  EXPECT_EQ(a->text(), "*1000");
  EXPECT_TRUE(parse_orbit_number("#12345678"));
  EXPECT_TRUE(parse_orbit_number("123456789"));
}

TEST(OrbitNumber, RejectsWhatThePatternRejects) {
  std::string why;
  EXPECT_FALSE(parse_orbit_number("0123", &why));
  EXPECT_NE(why.find("start with 0"), std::string::npos);
  EXPECT_FALSE(parse_orbit_number("*123456789", &why)); // 9 digits after *
  EXPECT_FALSE(parse_orbit_number("1234567890", &why)); // 10 digits
  EXPECT_FALSE(parse_orbit_number("12a4", &why));
  EXPECT_FALSE(parse_orbit_number("*", &why));
  EXPECT_FALSE(parse_orbit_number("", &why));
  EXPECT_FALSE(parse_orbit_number("**12", &why));
}

TEST(OrbitRange, EndsMustMatchInPrefixLengthAndOrder) {
  auto n = [](const char* s) { return *parse_orbit_number(s); };
  EXPECT_EQ(check_orbit_range(n("*100"), n("*199")), "");
  EXPECT_NE(check_orbit_range(n("*100"), n("#199")), "");
  EXPECT_NE(check_orbit_range(n("100"), n("1999")), "");
  EXPECT_NE(check_orbit_range(n("500"), n("400")), "");
}

TEST(OrbitRange, OverlapNeedsSamePrefixAndLength) {
  auto n = [](const char* s) { return *parse_orbit_number(s); };
  EXPECT_TRUE(overlaps(n("*100"), n("*199"), n("*150"), n("*250")));
  EXPECT_FALSE(overlaps(n("*100"), n("*199"), n("*200"), n("*299")));
  EXPECT_FALSE(overlaps(n("*100"), n("*199"), n("#100"), n("#199")));
  EXPECT_FALSE(overlaps(n("100"), n("199"), n("1000"), n("1999")));
}
