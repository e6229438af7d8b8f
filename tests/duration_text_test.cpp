// Durations are written the way users write them.
#include "model/duration_text.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace std::chrono;

TEST(DurationText, ParsesUnitsAndCompounds) {
  EXPECT_EQ(*parse_duration("90s"), seconds{90});
  EXPECT_EQ(*parse_duration("5m"), minutes{5});
  EXPECT_EQ(*parse_duration("1h30m"), minutes{90});
  EXPECT_EQ(*parse_duration("250ms"), milliseconds{250});
  EXPECT_EQ(*parse_duration("1.5s"), milliseconds{1500});
}

TEST(DurationText, RejectsNegativeUnitlessAndUnknownUnits) {
  std::string why;
  EXPECT_FALSE(parse_duration("-5s", &why));
  EXPECT_NE(why.find("negative"), std::string::npos);
  EXPECT_FALSE(parse_duration("90", &why));
  EXPECT_NE(why.find("unit"), std::string::npos);
  EXPECT_FALSE(parse_duration("3w", &why));
  EXPECT_FALSE(parse_duration("", &why));
  EXPECT_FALSE(parse_duration("999999d", &why));
}

TEST(DurationText, FormatsCompactly) {
  EXPECT_EQ(format_duration(minutes{90}), "1h30m");
  EXPECT_EQ(format_duration(seconds{45}), "45s");
  EXPECT_EQ(format_duration(milliseconds{250}), "250ms");
}

TEST(DurationText, GrammarIsStrict) {
  std::string why;
  EXPECT_FALSE(parse_duration("1.5.3m", &why));
  EXPECT_NE(why.find("not a number"), std::string::npos) << why;
  EXPECT_FALSE(parse_duration("5m5m", &why));
  EXPECT_NE(why.find("largest to smallest"), std::string::npos) << why;
  EXPECT_FALSE(parse_duration("30s1h", &why));
  EXPECT_FALSE(parse_duration("1s500ms1s", &why));
  EXPECT_FALSE(parse_duration(".5s", &why));
  EXPECT_FALSE(parse_duration("5.s", &why));
  EXPECT_EQ(*parse_duration("1d2h3m4s5ms"),
            hours{26} + minutes{3} + seconds{4} + milliseconds{5});
}
