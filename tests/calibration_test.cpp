// engine/calibration.hpp: the one rule for turning a digital signal into dB SPL.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/calibration.hpp"

namespace earshot {
namespace {

// A 1 kHz tone in bursts: 1 s on at amplitude `a`, 1 s off (pauses longer than P.56's 200 ms hangover).
std::vector<float> bursts(double fs, double seconds, double a) {
  std::vector<float> x(static_cast<std::size_t>(fs * seconds));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool on = static_cast<int>(i / (1.0 * fs)) % 2 == 0;
    x[i] = on ? static_cast<float>(a * std::sin(2.0 * M_PI * 1000.0 * i / fs)) : 0.0f;
  }
  return x;
}

TEST(Calibration, LevelModePresentsTheActiveSpeechLevelAtTheLevelAskedFor) {
  const double fs = 16000.0;
  const auto x = bursts(fs, 4.0, 0.1);
  ActiveSpeechLevelMeter meter(fs);
  meter.add(x.data(), x.size());
  const SpeechLevel measured = meter.result();
  const auto c = calibrate({70.0, std::nullopt}, {x.data()}, x.size(), fs);
  ASSERT_TRUE(c) << describe(c.errors());
  EXPECT_EQ(c.value().mode, CalibrationMode::level);
  EXPECT_STREQ(to_string(c.value().mode), "level");
  EXPECT_DOUBLE_EQ(c.value().level_db_spl, 70.0);
  EXPECT_NEAR(c.value().active_db_spl, 70.0, 1e-9);
  EXPECT_NEAR(c.value().calibration_db_spl, 70.0 - measured.active_db, 1e-9);
  // The pauses count in the long-term level, not in the active one.
  EXPECT_NEAR(c.value().long_term_db_spl, 70.0 + measured.long_term_db - measured.active_db, 1e-9);
  EXPECT_LT(c.value().long_term_db_spl, c.value().active_db_spl);
}

TEST(Calibration, DefaultLevelIsConversationalSpeech) {
  const double fs = 16000.0;
  const auto x = bursts(fs, 2.0, 0.3);
  const auto c = calibrate({}, {x.data()}, x.size(), fs);
  ASSERT_TRUE(c);
  EXPECT_NEAR(c.value().active_db_spl, kDefaultSpeechLevelDbSpl, 1e-9);
  EXPECT_DOUBLE_EQ(c.value().level_db_spl, 65.0);
}

TEST(Calibration, FixedCalibrationReportsTheInputsLevels) {
  const double fs = 16000.0;
  std::vector<float> sine(32000);
  for (std::size_t i = 0; i < sine.size(); ++i) sine[i] = static_cast<float>(std::sin(2.0 * M_PI * 1000.0 * i / fs));
  const auto c = calibrate({std::nullopt, 100.0}, {sine.data()}, sine.size(), fs);
  ASSERT_TRUE(c);
  EXPECT_EQ(c.value().mode, CalibrationMode::calibration);
  EXPECT_DOUBLE_EQ(c.value().calibration_db_spl, 100.0);
  EXPECT_NEAR(c.value().long_term_db_spl, 100.0 - 3.01, 0.01);  // a full-scale sine's RMS is -3 dB
  EXPECT_NEAR(c.value().active_db_spl, 100.0 - 3.01, 0.1);      // and it is active throughout
}

TEST(Calibration, StreamingVariantMatchesWholeBuffers) {
  const double fs = 22050.0;
  const auto x = bursts(fs, 3.0, 0.05);
  ActiveSpeechLevelMeter meter(fs);
  for (std::size_t i = 0; i < x.size(); i += 1000) meter.add(x.data() + i, std::min<std::size_t>(1000, x.size() - i));
  const auto streamed = calibrate({60.0, std::nullopt}, combine_channels({meter.result()}));
  const auto whole = calibrate({60.0, std::nullopt}, {x.data()}, x.size(), fs);
  ASSERT_TRUE(streamed && whole);
  EXPECT_DOUBLE_EQ(streamed.value().calibration_db_spl, whole.value().calibration_db_spl);
}

TEST(Calibration, ErrorsNameTheField) {
  const double fs = 16000.0;
  const auto x = bursts(fs, 1.0, 0.1);
  const auto both = calibrate({60.0, 100.0}, {x.data()}, x.size(), fs);
  ASSERT_FALSE(both);
  EXPECT_EQ(both.errors().front().field, "level_db_spl");
  EXPECT_NE(both.errors().front().message.find("not both"), std::string::npos);

  const auto loud = validate(CalibrationRequest{140.0, std::nullopt});
  ASSERT_EQ(loud.size(), 1u);
  EXPECT_EQ(loud.front().field, "level_db_spl");
  EXPECT_EQ(loud.front().message, "140 dB SPL is outside 0...130 dB SPL");

  const std::vector<float> silence(16000, 0.0f);
  const auto none = calibrate({}, {silence.data()}, silence.size(), fs);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.errors().front().field, "input");
  EXPECT_NE(none.errors().front().message.find("ITU-T P.56"), std::string::npos);
  // A fixed calibration needs no speech in the input.
  EXPECT_TRUE(calibrate({std::nullopt, 90.0}, {silence.data()}, silence.size(), fs));
}

TEST(Calibration, RangeCheckRefusesAbsurdDerivedCalibrations) {
  const double fs = 16000.0;
  const auto x = bursts(fs, 2.0, 1e-7);  // -140 dB: presenting it at 65 dB SPL needs ~208 dB SPL
  EXPECT_TRUE(calibrate({}, {x.data()}, x.size(), fs));
  const auto c = calibrate({}, {x.data()}, x.size(), fs, {.check_range = true});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.errors().front().field, "calibration_db_spl");
}

TEST(Calibration, TwoEarsCombineAsTheEnergyMeanOfTheirActiveLevels) {
  const double fs = 16000.0;
  const auto a = bursts(fs, 2.0, 0.1), b = bursts(fs, 2.0, 0.2);
  const auto both = calibrate({}, {a.data(), b.data()}, a.size(), fs);
  const auto left = calibrate({}, {a.data()}, a.size(), fs), right = calibrate({}, {b.data()}, b.size(), fs);
  ASSERT_TRUE(both && left && right);
  const double l = 65.0 - left.value().calibration_db_spl, r = 65.0 - right.value().calibration_db_spl;
  const double mean = 10.0 * std::log10((std::pow(10.0, l / 10.0) + std::pow(10.0, r / 10.0)) / 2.0);
  EXPECT_NEAR(both.value().calibration_db_spl, 65.0 - mean, 1e-9);
}

}  // namespace
}  // namespace earshot
