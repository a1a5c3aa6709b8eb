#include <gtest/gtest.h>

#include "audiology/audiogram.hpp"

namespace earshot {
namespace {

TEST(Audiogram, InterpolatesOnLogFrequencyAndHoldsFlatOutside) {
  const Audiogram a{{{1000, 20}, {4000, 60}}};
  EXPECT_DOUBLE_EQ(a.at(2000), 40.0);  // an octave is half of two octaves
  EXPECT_DOUBLE_EQ(a.at(125), 20.0);
  EXPECT_DOUBLE_EQ(a.at(12000), 60.0);
  EXPECT_DOUBLE_EQ(a.at(1000), 20.0);
}

TEST(Audiogram, ParsesFrequencyLevelPairs) {
  const auto p = parse_audiogram("250:20, 500:25,1000:35.5", "listener");
  ASSERT_TRUE(p.errors.empty());
  ASSERT_EQ(p.audiogram.points.size(), 3u);
  EXPECT_DOUBLE_EQ(p.audiogram.points[2].level_db_hl, 35.5);
}

TEST(Audiogram, ReportsEveryProblemWithItsField) {
  const auto p = parse_audiogram("250:20,90:30,90:40,500:130,x", "listener.audiogram");
  ASSERT_EQ(p.errors.size(), 1u);  // 'x'
  EXPECT_EQ(p.errors[0].field, "listener.audiogram[4]");
  const auto errors = validate(p.audiogram, "listener.audiogram");
  // 90 Hz out of range (twice), 90 Hz below 250 (unsorted), 90 repeated, 130 dB HL out of range.
  std::string all = describe(errors);
  EXPECT_NE(all.find("listener.audiogram[1].frequency_hz: 90 Hz is outside"), std::string::npos) << all;
  EXPECT_NE(all.find("increasing order"), std::string::npos) << all;
  EXPECT_NE(all.find("repeated"), std::string::npos) << all;
  EXPECT_NE(all.find("listener.audiogram[3].level_db_hl: 130 dB HL is outside"), std::string::npos) << all;
}

TEST(Audiogram, EmptyIsAnError) { EXPECT_FALSE(validate(Audiogram{}, "a").empty()); }

}  // namespace
}  // namespace earshot
