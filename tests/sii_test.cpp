// SII (ANSI S3.5-1997) against the published test vectors in shared/oracles/sii: within 1e-3 of the
// published value and 1e-5 of the reference value, every procedure; and its audible properties.
#include <gtest/gtest.h>

#include <sstream>

#include "metrics/sii.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

std::vector<double> numbers(const std::string& s) {
  std::vector<double> v;
  std::stringstream ss(s);
  for (double x; ss >> x;) v.push_back(x);
  return v;
}

TEST(Sii, ReproducesEveryPublishedTestVector) {
  const auto dir = oracles_dir();
  if (!dir) GTEST_SKIP() << "shared/oracles not found beside EARSHOT_CORPUS: oracle comparison skipped";
  const auto rows = read_csv(*dir / "sii" / "vectors.csv");
  ASSERT_EQ(rows.size(), 9u);
  for (const auto& r : rows) {
    SiiInput in;
    ASSERT_TRUE(parse_sii_procedure(r[1], in.procedure)) << r[1];
    EXPECT_EQ(numbers(r[2]), sii_band_table(in.procedure).centre_hz) << r[0];
    in.speech_spectrum_db = numbers(r[3]);
    in.noise_spectrum_db = numbers(r[4]);
    in.threshold_db_hl = numbers(r[5]);
    in.importance = numbers(r[6]);
    const auto result = sii(in);
    ASSERT_TRUE(result.ok()) << describe(result.errors());
    EXPECT_NEAR(result.value().sii, std::stod(r[7]), 1e-3) << r[0];
    EXPECT_NEAR(result.value().sii, std::stod(r[8]), 1e-5) << r[0];
  }
}

TEST(Sii, StandardImportanceFunctionsSumToOne) {
  for (SiiProcedure p : {SiiProcedure::critical_band, SiiProcedure::third_octave, SiiProcedure::octave}) {
    double sum = 0.0;
    for (double i : sii_band_table(p).importance) sum += i;
    EXPECT_NEAR(sum, 1.0, 1e-3) << to_string(p);
  }
}

TEST(Sii, FallsAsNoiseRisesAndAsHearingWorsens) {
  for (SiiProcedure p : {SiiProcedure::critical_band, SiiProcedure::equally_contributing, SiiProcedure::third_octave,
                         SiiProcedure::octave}) {
    SiiInput in;
    in.procedure = p;
    in.speech_spectrum_db = standard_speech_spectrum(p, VocalEffort::normal).value();
    const double quiet = sii(in).value().sii;
    EXPECT_GT(quiet, 0.95) << to_string(p) << ": normal hearing, normal effort, in quiet";
    double previous = quiet;
    for (double noise : {0.0, 10.0, 20.0, 30.0}) {
      in.noise_spectrum_db.assign(in.speech_spectrum_db.size(), noise);
      const double s = sii(in).value().sii;
      EXPECT_LT(s, previous) << to_string(p) << " noise " << noise;
      previous = s;
    }
    in.noise_spectrum_db.clear();
    previous = quiet;
    for (double hl : {20.0, 40.0, 60.0}) {
      in.threshold_db_hl.assign(in.speech_spectrum_db.size(), hl);
      const double s = sii(in).value().sii;
      EXPECT_LT(s, previous) << to_string(p) << " " << hl << " dB HL";
      previous = s;
    }
  }
}

TEST(Sii, LouderEffortsAreTabulatedForThirdOctaves) {
  const auto shout = standard_speech_spectrum(SiiProcedure::third_octave, VocalEffort::shout);
  ASSERT_TRUE(shout.ok());
  EXPECT_GT(shout.value()[8], standard_speech_spectrum(SiiProcedure::third_octave, VocalEffort::normal).value()[8]);
  EXPECT_FALSE(standard_speech_spectrum(SiiProcedure::octave, VocalEffort::loud).ok());
}

TEST(Sii, MismatchedBandsAreNamed) {
  SiiInput in;
  in.procedure = SiiProcedure::octave;
  in.speech_spectrum_db = {40, 40, 40};
  const auto r = sii(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].field, "speech_spectrum_db");
}

}  // namespace
}  // namespace earshot::test
