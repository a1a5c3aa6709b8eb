// engine/input_check.hpp: what every front end accepts as input audio.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "engine/input_check.hpp"

namespace earshot {
namespace {

std::vector<float> tone(std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(0.3 * std::sin(0.1 * i));
  return x;
}

TEST(InputCheck, AcceptsMonoAndStereoAtEveryRateInRange) {
  for (double fs : {8000.0, 44100.0, 192000.0}) {
    EXPECT_TRUE(check_input({tone(1000)}, fs).empty()) << fs;
    EXPECT_TRUE(check_input({tone(1000), tone(1000)}, fs).empty()) << fs;
  }
}

TEST(InputCheck, RateAndLayoutErrorsNameFieldAndValue) {
  const auto slow = check_input_format(7999.0, 1);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_EQ(slow.front().field, "sample_rate_hz");
  EXPECT_NE(slow.front().message.find("7999"), std::string::npos);
  EXPECT_NE(slow.front().message.find("8000...192000"), std::string::npos);
  const auto many = check_input_format(48000.0, 6);
  ASSERT_EQ(many.size(), 1u);
  EXPECT_EQ(many.front().field, "channels");
  EXPECT_EQ(many.front().message.rfind("6", 0), 0u);
  EXPECT_EQ(check_input_format(200000.0, 3).size(), 2u);  // every problem at once
}

TEST(InputCheck, FindsTheFirstNonFiniteSampleWithFrameAndChannel) {
  auto left = tone(5000), right = tone(5000);
  right[4321] = std::numeric_limits<float>::quiet_NaN();
  left[4500] = std::numeric_limits<float>::infinity();
  const auto e = check_input({left, right}, 16000.0);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.front().field, "samples");
  EXPECT_EQ(e.front().message, "has a NaN or infinite sample at frame 4321 (channel 2)");
}

TEST(InputCheck, RefusesAbsurdFiniteMagnitudes) {
  auto x = tone(2000);
  x[100] = 3e7f;  // finite, but its square overflows the model's power sums
  const auto e = check_input({x}, 16000.0);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.front().field, "samples");
  EXPECT_NE(e.front().message.find("3e+07"), std::string::npos) << e.front().message;
  EXPECT_NE(e.front().message.find("frame 100"), std::string::npos) << e.front().message;
  x[100] = 900.0f;  // loud but sane (a float file over full scale): allowed
  EXPECT_TRUE(check_input({x}, 16000.0).empty());
}

TEST(InputCheck, SilenceAndEmptyInput) {
  const auto silent = check_input({std::vector<float>(4000, 0.0f), std::vector<float>(4000, 0.0f)}, 16000.0);
  ASSERT_EQ(silent.size(), 1u);
  EXPECT_EQ(silent.front().message, "is digital silence");
  // One silent ear beside a sounding one is not silence.
  EXPECT_TRUE(check_input({std::vector<float>(4000, 0.0f), tone(4000)}, 16000.0).empty());
  const auto empty = check_input({std::vector<float>{}}, 16000.0);
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty.front().field, "frames");
}

TEST(InputCheck, StreamingCountsFramesAcrossBlocks) {
  InputChecker checker(2);
  std::vector<float> block(2 * 100, 0.25f);
  EXPECT_TRUE(checker.add(block.data(), 100).empty());
  block[2 * 37 + 1] = std::nanf("");
  const auto e = checker.add(block.data(), 100);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.front().message, "has a NaN or infinite sample at frame 137 (channel 2)");
  InputChecker ok(1);
  std::vector<float> mono(64, 0.5f);
  EXPECT_TRUE(ok.add(mono.data(), 64).empty());
  EXPECT_TRUE(ok.finish().empty());
  EXPECT_EQ(ok.frames(), 64);
}

}  // namespace
}  // namespace earshot
