// scene/scene_inputs.hpp: a scene's inputs placed on its timeline.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "scene/scene_inputs.hpp"

namespace earshot {
namespace {

TEST(SceneInputs, TimelineRunsAtTheFirstInputsRateToTheLastInputsEnd) {
  const SceneTimeline t = scene_timeline({{48000.0, 48000, 0.0}, {16000.0, 32000, 1.5}}, std::nullopt);
  EXPECT_DOUBLE_EQ(t.sample_rate_hz, 48000.0);
  EXPECT_DOUBLE_EQ(t.duration_s, 3.5);
  EXPECT_EQ(t.frames, 168000);
  const SceneTimeline fixed = scene_timeline({{16000.0, 16000, 0.0}}, 10.0);
  EXPECT_DOUBLE_EQ(fixed.duration_s, 10.0);
  EXPECT_EQ(fixed.frames, 160000);
}

TEST(SceneInputs, MonoGoesToBothEarsStereoToEachWithGainAndStart) {
  const SceneTimeline t = scene_timeline({{8000.0, 8000, 0.0}}, 2.0);
  SceneInputMix mix(t);
  mix.add({std::vector<float>(16000, 0.5f)}, 8000.0, -6.0206, 0.5);  // mono, 2 s, half amplitude, at 0.5 s
  mix.add({std::vector<float>(100, 0.1f), std::vector<float>(100, -0.1f)}, 8000.0, 0.0, 0.0);  // stereo at 0 s
  const auto ears = mix.take();
  ASSERT_EQ(ears[0].size(), 16000u);
  EXPECT_FLOAT_EQ(ears[0][50], 0.1f);
  EXPECT_FLOAT_EQ(ears[1][50], -0.1f);
  EXPECT_FLOAT_EQ(ears[0][3999], 0.0f);
  EXPECT_NEAR(ears[0][4000], 0.25f, 1e-5);
  EXPECT_NEAR(ears[1][4000], 0.25f, 1e-5);
  EXPECT_NEAR(ears[0][15999], 0.25f, 1e-5);  // cut at the timeline's end
}

TEST(SceneInputs, OtherRatesAreResampledToTheTimelines) {
  const SceneTimeline t = scene_timeline({{48000.0, 48000, 0.0}}, 1.0);
  std::vector<float> tone(16000);
  for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = static_cast<float>(std::sin(2.0 * M_PI * 1000.0 * i / 16000.0));
  SceneInputMix mix(t);
  mix.add({tone}, 16000.0, 0.0, 0.0);
  const auto ears = mix.take();
  // Still a 1 kHz tone of amplitude 1 at 48 kHz: compare with the ideal in the middle.
  double worst = 0.0;
  for (std::size_t i = 12000; i < 36000; ++i) {
    worst = std::max(worst, std::abs(ears[0][i] - std::sin(2.0 * M_PI * 1000.0 * i / 48000.0)));
  }
  EXPECT_LT(worst, 0.01);
}

}  // namespace
}  // namespace earshot
