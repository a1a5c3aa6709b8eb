// metrics/sii_inputs.hpp's SiiRequest: the SII per ear from signals or a vocal effort.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
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

TEST(SiiRequest, AcousticEarsOnlyScoresTheAcousticEarAndLeavesTheImplantedOneUnscored) {
  // A bimodal listener: the acoustic ear's SII is what that ear alone would get (ANSI S3.5 has no
  // binaural term), and the implanted ear, electric or electric-acoustic, has none.
  for (const char* implant : {"ci:nucleus-ace", "eas:nucleus-hybrid"}) {
    SiiRequest bimodal;
    bimodal.effort = VocalEffort::raised;
    bimodal.listener = listener((std::string("left=N3,right=") + implant).c_str());
    bimodal.acoustic_ears_only = true;
    const auto s = score_sii(bimodal);
    ASSERT_TRUE(s) << describe(s.errors());
    SiiRequest acoustic;
    acoustic.effort = VocalEffort::raised;
    acoustic.listener = listener("N3");
    const auto n3 = score_sii(acoustic);
    ASSERT_TRUE(n3);
    EXPECT_TRUE(s.value().ears[0].applies);
    EXPECT_DOUBLE_EQ(s.value().ears[0].sii, n3.value().ears[0].sii);
    EXPECT_GT(s.value().ears[0].sii, 0.1);
    EXPECT_FALSE(s.value().ears[1].applies) << implant;
    EXPECT_EQ(s.value().ears[1].sii, 0.0);
    EXPECT_TRUE(s.value().ears[1].band_audibility.empty());
    // The speech still reaches that ear: its spectrum is there for the audiogram's speech range.
    EXPECT_EQ(s.value().ears[1].speech_spectrum_db, s.value().ears[0].speech_spectrum_db);
    EXPECT_FALSE(sii_applies(bimodal.listener.right));
    EXPECT_TRUE(sii_applies(bimodal.listener.left));
  }
  // Both ears implanted: nothing to score, and no error either.
  SiiRequest both;
  both.effort = VocalEffort::normal;
  both.listener = listener("ci:medel-cis");
  both.acoustic_ears_only = true;
  const auto none = score_sii(both);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none.value().ears[0].applies || none.value().ears[1].applies);
}

}  // namespace
}  // namespace earshot
