// scene/scene_inputs.hpp: a scene's inputs placed on its timeline.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "dsp/rational_resampler.hpp"
#include "scene/scene_inputs.hpp"

namespace earshot {
namespace {

std::unique_ptr<SceneInputSource> samples(std::vector<std::vector<float>> channels, double sample_rate_hz) {
  return std::make_unique<SceneInputSamples>(std::move(channels), sample_rate_hz);
}

// The whole timeline, read in blocks of `block` frames.
std::array<std::vector<float>, 2> read_all(SceneInputMix& mix, std::int64_t frames, int block = 1000) {
  std::array<std::vector<float>, 2> ears;
  for (auto& e : ears) e.assign(static_cast<std::size_t>(frames), -1.0f);
  for (std::int64_t at = 0; at < frames; at += block) {
    const int n = static_cast<int>(std::min<std::int64_t>(block, frames - at));
    mix.read({ears[0].data() + at, ears[1].data() + at}, n);
  }
  return ears;
}

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
  mix.add(samples({std::vector<float>(16000, 0.5f)}, 8000.0), -6.0206, 0.5);  // mono, 2 s, half amplitude, at 0.5 s
  mix.add(samples({std::vector<float>(100, 0.1f), std::vector<float>(100, -0.1f)}, 8000.0), 0.0, 0.0);  // stereo at 0 s
  const auto ears = read_all(mix, t.frames);
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
  mix.add(samples({tone}, 16000.0), 0.0, 0.0);
  const auto ears = read_all(mix, t.frames);
  // Still a 1 kHz tone of amplitude 1 at 48 kHz: compare with the ideal in the middle.
  double worst = 0.0;
  for (std::size_t i = 12000; i < 36000; ++i) {
    worst = std::max(worst, std::abs(ears[0][i] - std::sin(2.0 * M_PI * 1000.0 * i / 48000.0)));
  }
  EXPECT_LT(worst, 0.01);
}

// Streamed resampling gives resample_rational's samples bit for bit, whatever the blocks: scenes
// resample their inputs block by block now, and a scene's render must keep its bytes.
TEST(SceneInputs, StreamedResamplingIsTheWholeSignalsBitForBit) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 0.3f);
  for (const auto& [up, down] : std::vector<std::pair<long, long>>{{44100, 48000}, {48000, 16000}, {16000, 44100}, {8000, 192000}, {3, 3}}) {
    std::vector<float> x(20011);
    for (float& v : x) v = noise(rng);
    const std::vector<double> whole = resample_rational(std::vector<double>(x.begin(), x.end()), up, down);
    for (const std::int64_t block : {1, 997, 8192}) {
      RationalResamplerStream stream;
      stream.prepare(up, down, static_cast<std::int64_t>(x.size()));
      ASSERT_EQ(stream.output_frames(), static_cast<std::int64_t>(whole.size()));
      std::vector<double> y(whole.size());
      std::int64_t pushed = 0;
      for (std::int64_t at = 0; at < stream.output_frames(); at += block) {
        const std::int64_t n = std::min(block, stream.output_frames() - at);
        const std::int64_t need = stream.input_needed(at + n);
        stream.push(x.data() + pushed, need - pushed);
        pushed = need;
        stream.pull(y.data() + at, n);
      }
      EXPECT_EQ(pushed, static_cast<std::int64_t>(x.size())) << up << "/" << down;
      std::size_t differing = 0;
      for (std::size_t i = 0; i < y.size(); ++i) differing += y[i] != whole[i];
      EXPECT_EQ(differing, 0u) << up << "/" << down << " in blocks of " << block;
    }
  }
}

// A mix read in any block size is the same mix: inputs at other rates, offsets and gains.
TEST(SceneInputs, TheMixDoesNotDependOnTheBlockSize) {
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, 0.3f);
  auto input = [&](std::size_t frames, int channels) {
    std::vector<std::vector<float>> c(static_cast<std::size_t>(channels), std::vector<float>(frames));
    for (auto& ch : c) for (float& v : ch) v = noise(rng);
    return c;
  };
  const auto a = input(30000, 1), b = input(9000, 2), c = input(12000, 1);
  const SceneTimeline t = scene_timeline({{44100.0, 30000, 0.0}, {16000.0, 9000, 0.1}, {48000.0, 12000, 0.45}}, 0.6);
  auto mixed = [&](int block) {
    SceneInputMix mix(t);
    mix.add(samples(a, 44100.0), -3.0, 0.0);
    mix.add(samples(b, 16000.0), 2.0, 0.1);
    mix.add(samples(c, 48000.0), 0.0, 0.45);
    return read_all(mix, t.frames, block);
  };
  const auto reference = mixed(t.frames);
  for (const int block : {1, 128, 8192}) {
    const auto ears = mixed(block);
    for (int e = 0; e < 2; ++e) {
      std::size_t differing = 0;
      for (std::size_t i = 0; i < ears[e].size(); ++i) differing += ears[e][i] != reference[e][i];
      EXPECT_EQ(differing, 0u) << "ear " << e << ", blocks of " << block;
    }
  }
  EXPECT_NE(reference[0][t.frames - 1], 0.0f);  // the last input reaches the end, cut there
  EXPECT_NE(reference[0][10000], reference[1][10000]);  // the stereo input differs between ears
}

}  // namespace
}  // namespace earshot
