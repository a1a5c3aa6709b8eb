#include <gtest/gtest.h>

#include "audiology/presets.hpp"
#include "audiology/reference_threshold.hpp"

namespace earshot {
namespace {

TEST(Bisgaard, TablesMatchThePublishedStandardAudiograms) {
  // Bisgaard et al. (2010) Table 2, spot checks against shared/corpus/audiograms too.
  EXPECT_EQ(bisgaard_audiograms().size(), 10u);
  EXPECT_DOUBLE_EQ(bisgaard_audiogram("N3")->audiogram.at(1000), 40.0);
  EXPECT_DOUBLE_EQ(bisgaard_audiogram("n6")->audiogram.at(4000), 100.0);
  EXPECT_DOUBLE_EQ(bisgaard_audiogram("S2")->audiogram.at(2000), 55.0);
  EXPECT_DOUBLE_EQ(bisgaard_audiogram("S2")->audiogram.at(8000), 95.0);  // held from 6 kHz
  EXPECT_FALSE(bisgaard_audiogram("N8").has_value());
}

TEST(Iso7029, MedianAndSpreadMatchStandardValues) {
  // ISO 7029:2017: male, 60 years, 4 kHz median 20.2 dB; 1 kHz upper spread 10.15 dB at 60 years.
  const Audiogram m60 = iso7029_audiogram(60, Sex::male);
  EXPECT_NEAR(m60.at(4000), 20.2, 0.05);
  const Audiogram p = iso7029_audiogram(60, Sex::male, 0.1);  // worse than 90 %
  EXPECT_NEAR(p.at(1000) - m60.at(1000), 1.2816 * 10.153, 0.05);
  // At 18 years the median is 0; thresholds grow with age and are worse for men at 4 kHz.
  EXPECT_NEAR(iso7029_audiogram(18, Sex::female).at(4000), 0.0, 1e-9);
  EXPECT_GT(iso7029_audiogram(70, Sex::male).at(4000), iso7029_audiogram(50, Sex::male).at(4000));
  EXPECT_GT(iso7029_audiogram(70, Sex::male).at(4000), iso7029_audiogram(70, Sex::female).at(4000));
}

TEST(Iso1999, NoiseInducedShiftMatchesStandardExample) {
  // ISO 1999:2013: 90 dB(A), 20 years at 4 kHz -> N50 = 12.9 dB. With an 18-year-old's H = 0,
  // H' = N exactly.
  const Audiogram a = iso1999_audiogram(90, 20, 18, Sex::male);
  EXPECT_NEAR(a.at(4000), 12.9, 0.05);
  EXPECT_NEAR(a.at(250), 0.0, 1e-9);  // no NIPTS below 500 Hz
  // The 4 kHz notch: worse at 4 kHz than at 1 kHz for long exposure.
  const Audiogram b = iso1999_audiogram(95, 25, 50, Sex::male);
  EXPECT_GT(b.at(4000), b.at(1000) + 10.0);
}

TEST(Iso1999, CombinationWithAgeIsLessThanTheSum) {
  const Audiogram age = iso7029_audiogram(60, Sex::male);
  const Audiogram noise_only = iso1999_audiogram(95, 20, 18, Sex::male);
  const Audiogram both = iso1999_audiogram(95, 20, 60, Sex::male);
  const double h = age.at(4000), n = noise_only.at(4000);
  EXPECT_NEAR(both.at(4000), h + n - h * n / 120.0, 1e-9);
}

TEST(ReferenceThreshold, Iso389_7Values) {
  EXPECT_DOUBLE_EQ(reference_threshold_db_spl(1000, SoundField::free), 2.4);
  EXPECT_DOUBLE_EQ(reference_threshold_db_spl(4000, SoundField::free), -5.4);
  EXPECT_DOUBLE_EQ(reference_threshold_db_spl(1000, SoundField::diffuse), 0.8);
  EXPECT_DOUBLE_EQ(reference_threshold_db_spl(125, SoundField::diffuse), 22.1);
}

}  // namespace
}  // namespace earshot
