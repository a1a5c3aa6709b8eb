// The C API and the facade through the built shared library (libearshot.so), with synthetic
// sound, so they are tested without the corpus too (tests/consumer compares with the CLI on
// corpus speech). Live with a fixed listener, latency removed, must give the offline render's
// samples for any block size, in place or not.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <string>
#include <vector>

#include "earshot/earshot.h"
#include "earshot/earshot.hpp"

namespace {

constexpr double kRate = 22050.0;

// Two seconds of something speech-like for the P.56 meter: harmonics of 150 Hz, syllables at
// 4 Hz, a pause in the middle.
std::vector<float> speechlike() {
  std::vector<float> x(static_cast<std::size_t>(2.0 * kRate));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = i / kRate;
    double s = 0.0;
    for (int h = 1; h <= 12; ++h) s += std::sin(2.0 * std::numbers::pi * 150.0 * h * t) / h;
    const double syllable = std::max(0.0, std::sin(2.0 * std::numbers::pi * 4.0 * t));
    x[i] = static_cast<float>((t > 0.9 && t < 1.1 ? 0.0 : 0.1) * syllable * s);
  }
  return x;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(double(a[i]) - b[i]));
  return worst;
}

// The live engine over the whole input in blocks, latency removed; in_place processes in the
// output buffers themselves.
std::vector<std::vector<float>> live(const char* listener, const std::vector<float>& input, int outputs,
                                     double calibration_db_spl, int block, bool in_place) {
  char error[256];
  earshot_engine* engine = earshot_engine_create(listener, kRate, 1, outputs, calibration_db_spl, error, sizeof error);
  EXPECT_NE(engine, nullptr) << error;
  if (!engine) return {};
  const int latency = earshot_engine_latency_frames(engine);
  const std::size_t total = input.size() + latency;
  std::vector<std::vector<float>> out(outputs);
  std::vector<float> in_block(block);
  std::vector<std::vector<float>> out_block(outputs, std::vector<float>(block));
  for (std::size_t done = 0; done < total; done += block) {
    const int n = static_cast<int>(std::min<std::size_t>(block, total - done));
    for (int i = 0; i < n; ++i) in_block[i] = done + i < input.size() ? input[done + i] : 0.0f;
    float* outs[2] = {out_block[0].data(), outputs > 1 ? out_block[1].data() : nullptr};
    if (in_place) {
      std::copy(in_block.begin(), in_block.begin() + n, out_block[0].begin());
      const float* ins[1] = {out_block[0].data()};
      earshot_engine_process(engine, ins, outs, n);
    } else {
      const float* ins[1] = {in_block.data()};
      earshot_engine_process(engine, ins, outs, n);
    }
    for (int c = 0; c < outputs; ++c)
      for (int i = 0; i < n; ++i)
        if (done + i >= static_cast<std::size_t>(latency)) out[c].push_back(out_block[c][i]);
  }
  earshot_engine_destroy(engine);
  return out;
}

TEST(CApi, OfflineRenderEqualsTheFacade) {
  const auto x = speechlike();
  earshot::RenderOptions options;
  options.level_db_spl = 70.0;
  auto expected = earshot::render({x}, kRate, "N4", options);
  ASSERT_TRUE(expected) << earshot::describe(expected.errors());
  ASSERT_EQ(expected.value().channels.size(), 1u);
  std::vector<float> out(x.size()), out2(x.size());
  const float* in[1] = {x.data()};
  float* outs[2] = {out.data(), out2.data()};
  char error[256];
  double calibration = 0.0;
  ASSERT_EQ(earshot_render("N4", EARSHOT_SPEECH_LEVEL, 70.0, in, 1, x.size(), kRate, outs, 2, &calibration, error,
                           sizeof error), 0) << error;
  EXPECT_STREQ(error, "");
  EXPECT_EQ(calibration, expected.value().calibration.calibration_db_spl);
  EXPECT_EQ(max_abs_diff(out, expected.value().channels[0]), 0.0);
  EXPECT_EQ(max_abs_diff(out2, out), 0.0) << "a second output of a mono render gets the same samples";
}

TEST(CApi, LiveWithAFixedListenerIsTheOfflineRenderForAnyBlockInPlaceOrNot) {
  const auto x = speechlike();
  for (const char* listener : {"N4", "left=N2,right=ci:nucleus-ace"}) {
    earshot::RenderOptions options;
    options.calibration_db_spl = 95.0;
    auto expected = earshot::render({x}, kRate, listener, options);
    ASSERT_TRUE(expected) << earshot::describe(expected.errors());
    const int outputs = static_cast<int>(expected.value().channels.size());
    for (int block : {37, 512}) {
      for (bool in_place : {false, true}) {
        const auto got = live(listener, x, outputs, 95.0, block, in_place);
        ASSERT_EQ(static_cast<int>(got.size()), outputs);
        for (int c = 0; c < outputs; ++c) {
          EXPECT_EQ(max_abs_diff(got[c], expected.value().channels[c]), 0.0)
              << listener << ", blocks of " << block << (in_place ? ", in place" : "") << ", output " << c;
        }
      }
    }
  }
}

TEST(CApi, StereoInputOfflineAndLiveEqualTheFacade) {
  const auto left = speechlike();
  std::vector<float> right(left.rbegin(), left.rend());  // another signal, same length
  earshot::RenderOptions options;
  options.level_db_spl = 65.0;
  auto expected = earshot::render({left, right}, kRate, "left=N2,right=N5", options);
  ASSERT_TRUE(expected) << earshot::describe(expected.errors());
  ASSERT_EQ(expected.value().channels.size(), 2u);
  char error[256];
  EXPECT_EQ(earshot_render_channels("N3", 2, error, sizeof error), 2) << "stereo input: two outputs";
  std::vector<float> out_l(left.size()), out_r(left.size());
  const float* in[2] = {left.data(), right.data()};
  float* outs[2] = {out_l.data(), out_r.data()};
  double calibration = 0.0;
  ASSERT_EQ(earshot_render("left=N2,right=N5", EARSHOT_SPEECH_LEVEL, 65.0, in, 2, left.size(), kRate, outs, 2,
                           &calibration, error, sizeof error), 0) << error;
  EXPECT_EQ(max_abs_diff(out_l, expected.value().channels[0]), 0.0);
  EXPECT_EQ(max_abs_diff(out_r, expected.value().channels[1]), 0.0);

  earshot_engine* engine = earshot_engine_create("left=N2,right=N5", kRate, 2, 2, calibration, error, sizeof error);
  ASSERT_NE(engine, nullptr) << error;
  const int latency = earshot_engine_latency_frames(engine);
  std::vector<float> pl(left.size() + latency, 0.0f), pr(left.size() + latency, 0.0f);
  std::copy(left.begin(), left.end(), pl.begin());
  std::copy(right.begin(), right.end(), pr.begin());
  std::vector<float> yl(pl.size()), yr(pl.size());
  for (std::size_t at = 0; at < pl.size(); at += 300) {
    const int n = static_cast<int>(std::min<std::size_t>(300, pl.size() - at));
    const float* bin[2] = {pl.data() + at, pr.data() + at};
    float* bout[2] = {yl.data() + at, yr.data() + at};
    earshot_engine_process(engine, bin, bout, n);
  }
  earshot_engine_destroy(engine);
  yl.erase(yl.begin(), yl.begin() + latency);
  yr.erase(yr.begin(), yr.begin() + latency);
  EXPECT_EQ(max_abs_diff(yl, expected.value().channels[0]), 0.0);
  EXPECT_EQ(max_abs_diff(yr, expected.value().channels[1]), 0.0);
}

TEST(CApi, NullInputIsSilence) {
  char error[256];
  earshot_engine* a = earshot_engine_create("N3", kRate, 1, 1, 100.0, error, sizeof error);
  earshot_engine* b = earshot_engine_create("N3", kRate, 1, 1, 100.0, error, sizeof error);
  ASSERT_TRUE(a && b) << error;
  const auto x = speechlike();
  std::vector<float> ya(3000), yb(3000), zeros(3000, 0.0f);
  const float* in[1] = {x.data()};
  float* oa[1] = {ya.data()};
  float* ob[1] = {yb.data()};
  earshot_engine_process(a, in, oa, 1000);
  earshot_engine_process(b, in, ob, 1000);
  const float* z[1] = {zeros.data()};
  earshot_engine_process(a, z, oa, 3000);      // silence given
  earshot_engine_process(b, nullptr, ob, 3000);  // silence by NULL (more than its 1024-frame buffer)
  EXPECT_EQ(max_abs_diff(ya, yb), 0.0);
  earshot_engine_destroy(a);
  earshot_engine_destroy(b);
}

TEST(CApi, ErrorsNameTheFieldAndFitTheBuffer) {
  char error[64];
  std::memset(error, 'x', sizeof error);
  EXPECT_EQ(earshot_engine_create("N3", kRate, 3, 1, 100.0, error, sizeof error), nullptr);
  EXPECT_NE(std::string(error).find("channels"), std::string::npos) << error;
  EXPECT_LT(std::strlen(error), sizeof error);
  EXPECT_EQ(earshot_engine_create("N3", kRate, 3, 1, 100.0, error, 1), nullptr);
  EXPECT_STREQ(error, "") << "error_size 1 holds only the terminating NUL";
  EXPECT_EQ(earshot_render_channels("left=N2,right=N5", 1, error, sizeof error), 2);
  EXPECT_EQ(earshot_render_channels("N5", 2, error, sizeof error), 2);
  EXPECT_EQ(earshot_render_channels("N5", 0, error, sizeof error), -1);
  EXPECT_NE(std::string(error).find("input_channels"), std::string::npos) << error;
  EXPECT_EQ(earshot_render_channels(nullptr, 1, error, sizeof error), -1);
  const auto x = speechlike();
  std::vector<float> out(x.size());
  const float* in[1] = {x.data()};
  float* outs[1] = {out.data()};
  EXPECT_NE(earshot_render("N3", EARSHOT_SPEECH_LEVEL, 140.0, in, 1, x.size(), kRate, outs, 1, nullptr, error,
                           sizeof error), 0);
  EXPECT_NE(std::string(error).find("level_db_spl"), std::string::npos) << error;
  EXPECT_NE(earshot_render("N3", static_cast<earshot_level_mode>(7), 65.0, in, 1, x.size(), kRate, outs, 1, nullptr,
                           error, sizeof error), 0);
  EXPECT_NE(std::string(error).find("mode"), std::string::npos) << error;
  std::vector<float> silence(1000, 0.0f);
  const float* quiet[1] = {silence.data()};
  EXPECT_NE(earshot_render("N3", EARSHOT_CALIBRATION, 100.0, quiet, 1, silence.size(), kRate, outs, 1, nullptr, error,
                           sizeof error), 0);
  EXPECT_NE(std::string(error).find("silence"), std::string::npos) << error;
  EXPECT_NE(earshot_render("N3", EARSHOT_CALIBRATION, 100.0, in, 1, x.size(), 4000.0, outs, 1, nullptr, error,
                           sizeof error), 0);
  EXPECT_NE(std::string(error).find("sample_rate_hz"), std::string::npos) << error;
}

}  // namespace
