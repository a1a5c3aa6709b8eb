// metrics/sii_inputs.hpp's SiiRequest: the SII per ear from signals or a vocal effort.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "formats/listener_spec_parser.hpp"
#include "metrics/sii_inputs.hpp"

namespace earshot {
namespace {

Listener listener(const char* spec) { return parse_listener_spec(spec).value(); }

std::vector<float> noise(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, 0.1f);
  std::vector<float> x(n);
  for (auto& v : x) v = d(rng);
  return x;
}

TEST(SiiRequest, StandardSpeechInQuietForANormalListenerIsNearlyAllAudible) {
  SiiRequest r;
  r.effort = VocalEffort::normal;
  r.listener = listener("normal");
  const auto s = score_sii(r);
  ASSERT_TRUE(s) << describe(s.errors());
  EXPECT_GT(s.value().ears[0].sii, 0.9);
  EXPECT_DOUBLE_EQ(s.value().ears[0].sii, s.value().ears[1].sii);
  EXPECT_DOUBLE_EQ(s.value().speech_level_db_spl, 62.35);
  EXPECT_EQ(s.value().ears[0].band_audibility.size(), s.value().band_centre_hz.size());
  EXPECT_FALSE(s.value().noise_level_db_spl.has_value());
}

TEST(SiiRequest, EachEarItsOwnLoss) {
  SiiRequest r;
  r.effort = VocalEffort::normal;
  r.listener = listener("left=normal,right=N5");
  const auto s = score_sii(r);
  ASSERT_TRUE(s);
  EXPECT_GT(s.value().ears[0].sii, s.value().ears[1].sii + 0.3);
}

TEST(SiiRequest, NoiseTakesTheSpeechsCalibrationOrItsOwnLevel) {
  const double fs = 16000.0;
  const auto n = noise(32000, 3);
  SiiRequest r;
  r.effort = VocalEffort::raised;
  r.listener = listener("normal");
  r.noise = SiiSignal{{n.data()}, n.size(), fs, std::nullopt, std::nullopt, {}};
  const auto missing = score_sii(r);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.errors().front().field, "noise.level_db_spl");
  r.noise->level_db_spl = 60.0;
  const auto quieter = score_sii(r);
  r.noise->level_db_spl = 75.0;
  const auto louder = score_sii(r);
  ASSERT_TRUE(quieter && louder);
  EXPECT_NEAR(*quieter.value().noise_level_db_spl, 60.0, 1e-9);
  EXPECT_GT(quieter.value().ears[0].sii, louder.value().ears[0].sii + 0.2);
}

TEST(SiiRequest, ErrorsNameTheField) {
  SiiRequest implant;
  implant.effort = VocalEffort::normal;
  implant.listener = listener("left=N2,right=ci:nucleus-ace");
  const auto ci = score_sii(implant);
  ASSERT_FALSE(ci);
  EXPECT_EQ(ci.errors().front().field, "listener.right");

  const std::vector<float> silence(16000, 0.0f);
  SiiRequest quiet;
  quiet.listener = listener("normal");
  quiet.speech = SiiSignal{{silence.data()}, silence.size(), 16000.0, 90.0, std::nullopt, {}};
  const auto none = score_sii(quiet);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.errors().front().field, "speech");
}

}  // namespace
}  // namespace earshot
