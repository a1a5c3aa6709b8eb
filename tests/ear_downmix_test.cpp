// The library's rules for an input with more channels than ears (ITU-R BS.775 downmix) and for
// --audible's per-ear gain.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/audible_gain.hpp"
#include "engine/ear_downmix.hpp"

namespace earshot {
namespace {

std::vector<float> downmix(const EarDownmix& d, const std::vector<float>& frame) {
  std::vector<float> out(static_cast<std::size_t>(d.output_channels));
  apply_ear_downmix(d, frame.data(), 1, out.data());
  return out;
}

TEST(EarDownmix, MonoAndStereoPassAsTheyAre) {
  for (int ch : {1, 2}) {
    const auto d = ear_downmix(ch);
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(d.value().passthrough);
    EXPECT_EQ(d.value().output_channels, ch);
    EXPECT_EQ(d.value().description, "");
  }
}

TEST(EarDownmix, FivePointOneFollowsBs775) {
  const auto r = ear_downmix(6);
  ASSERT_TRUE(r.ok());
  const EarDownmix& d = r.value();
  EXPECT_EQ(d.output_channels, 2);
  const float g = 0.70710678f;
  // L R C LFE Ls Rs, one at a time.
  EXPECT_EQ(downmix(d, {1, 0, 0, 0, 0, 0}), (std::vector<float>{1, 0}));
  EXPECT_EQ(downmix(d, {0, 1, 0, 0, 0, 0}), (std::vector<float>{0, 1}));
  EXPECT_EQ(downmix(d, {0, 0, 1, 0, 0, 0}), (std::vector<float>{g, g}));
  EXPECT_EQ(downmix(d, {0, 0, 0, 1, 0, 0}), (std::vector<float>{0, 0})) << "LFE dropped";
  EXPECT_EQ(downmix(d, {0, 0, 0, 0, 1, 0}), (std::vector<float>{g, 0}));
  EXPECT_EQ(downmix(d, {0, 0, 0, 0, 0, 1}), (std::vector<float>{0, g}));
  EXPECT_NEAR(20.0 * std::log10(g), -3.0103, 1e-4);
  // A NaN in the dropped LFE still reaches the input check.
  EXPECT_TRUE(std::isnan(downmix(d, {0, 0, 0, NAN, 0, 0})[0]));
}

TEST(EarDownmix, SevenPointOneTakesSideAndBackSurroundsAlike) {
  const auto r = ear_downmix(8);
  ASSERT_TRUE(r.ok());
  const float g = 0.70710678f;
  // L R C LFE Lb Rb Ls Rs
  EXPECT_EQ(downmix(r.value(), {0, 0, 0, 0, 1, 0, 0, 0}), (std::vector<float>{g, 0}));
  EXPECT_EQ(downmix(r.value(), {0, 0, 0, 0, 0, 1, 0, 0}), (std::vector<float>{0, g}));
  EXPECT_EQ(downmix(r.value(), {0, 0, 0, 0, 0, 0, 1, 0}), (std::vector<float>{g, 0}));
  EXPECT_EQ(downmix(r.value(), {0, 0, 0, 0, 0, 0, 0, 1}), (std::vector<float>{0, g}));
}

TEST(EarDownmix, AFileThatNamesItsSpeakersIsDownmixedByThem) {
  using S = Speaker;
  // 5.1 in another order (C first, as some film formats have it).
  const auto r = ear_downmix(6, {S::centre, S::left, S::right, S::left_surround, S::right_surround, S::lfe});
  ASSERT_TRUE(r.ok());
  const float g = 0.70710678f;
  EXPECT_EQ(downmix(r.value(), {1, 0, 0, 0, 0, 0}), (std::vector<float>{g, g}));
  EXPECT_EQ(downmix(r.value(), {0, 0, 0, 0, 0, 1}), (std::vector<float>{0, 0}));
  // Six channels that are not 5.1 (a height channel instead of the LFE) are refused.
  const auto bad = ear_downmix(6, {S::left, S::right, S::centre, S::other, S::left_surround, S::right_surround});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors().front().field, "speakers");
}

TEST(EarDownmix, OtherChannelCountsAreRefusedWithTheRule) {
  for (int ch : {3, 4, 5, 7, 9}) {
    const auto r = ear_downmix(ch);
    ASSERT_FALSE(r.ok()) << ch;
    EXPECT_EQ(r.errors().front().field, "channels");
    EXPECT_NE(r.errors().front().message.find("5.1 or 7.1"), std::string::npos);
  }
}

TEST(AudibleGain, MatchesActiveLevelsOrLongTermOnesAndLeavesSilenceAlone) {
  const SpeechLevel in{false, -20.0, -25.0, 0.5}, out{false, -86.0, -90.0, 0.4};
  EXPECT_DOUBLE_EQ(audible_gain(in, out).gain_db, 66.0);
  EXPECT_TRUE(audible_gain(in, out).by_active_level);
  const SpeechLevel no_activity{true, -300.0, -95.0, 0.0};
  EXPECT_DOUBLE_EQ(audible_gain(in, no_activity).gain_db, 70.0);
  EXPECT_FALSE(audible_gain(in, no_activity).by_active_level);
  EXPECT_DOUBLE_EQ(audible_gain(in, SpeechLevel{}).gain_db, 0.0) << "a deaf ear's silence stays silent";
  const SpeechLevel floor{false, -250.0, -260.0, 0.1};
  EXPECT_DOUBLE_EQ(audible_gain(in, floor).gain_db, kMaxAudibleGainDb);
}

}  // namespace
}  // namespace earshot
