// Prescriptions against their published formulas and against pyclarity's NAL-R (../shared/oracles/nalr).
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "audiology/prescription.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

std::vector<double> numbers(const std::string& text) {
  std::istringstream in(text);
  std::vector<double> v;
  for (double x; in >> x;) v.push_back(x);
  return v;
}

Audiogram audiogram(const std::vector<double>& hz, const std::vector<double>& db_hl) {
  Audiogram a;
  for (std::size_t i = 0; i < hz.size(); ++i) a.points.push_back({hz[i], db_hl[i]});
  return a;
}

// Every audiogram of the oracle (214 real ears, the 10 Bisgaard audiograms, one without loss).
// pyclarity's NAL-R is the 1986 formula where H500 + H1000 + H2000 <= 180 (3FA <= 60 dB HL); above
// that it uses NAL-RP's severe-loss X (Byrne, Parkinson & Newall 1990; 0.116 for 0.35/3 per dB of
// the sum, oracle README section 7), so those 11 rows are compared with our NAL-RP. pyclarity
// leaves out NAL-RP's correction for H(2000) >= 95 dB HL, which one of them (Bisgaard N7, 105 dB HL
// at 2 kHz) reaches: there the oracle plus Fig. 9's row for 105 dB HL (+8, +5, 0, -5, -5, -5 dB at
// 250, 500, 1000, 2000, 4000, 6000 Hz, Byrne et al. 1991) is the target. Tolerance 0.5 dB (the issue's).
TEST(Prescription, NalREqualsPyclarityOnEveryOracleAudiogram) {
  const auto oracles = oracles_dir();
  if (!oracles) GTEST_SKIP() << "set EARSHOT_CORPUS (or EARSHOT_ORACLES) to compare with ../shared/oracles/nalr";
  const auto rows = read_csv(*oracles / "nalr" / "gains.csv");
  ASSERT_EQ(rows.size(), 225u);
  int above_180 = 0;
  double largest_difference_db = 0.0;
  for (const auto& row : rows) {
    const auto hz = numbers(row[3]), db_hl = numbers(row[4]);
    auto expected = numbers(row[7]);
    const Audiogram a = audiogram(hz, db_hl);
    const bool severe = row[5] == "sum>180";
    above_180 += severe;
    std::vector<double> profound(hz.size(), 0.0);
    if (severe && a.at(2000) >= 95.0) {
      ASSERT_EQ(a.at(2000), 105.0) << row[0];
      ASSERT_EQ(hz, (std::vector<double>{250, 500, 1000, 2000, 4000, 6000}));
      profound = {8, 5, 0, -5, -5, -5};
    }
    const Prescription p = prescribe(severe ? PrescriptionRule::nal_rp : PrescriptionRule::nal_r, a);
    for (std::size_t i = 0; i < hz.size(); ++i) {
      expected[i] += profound[i];
      const double got = p.gain_db(0, hz[i]);
      EXPECT_NEAR(got, expected[i], 0.5) << row[0] << " " << row[1] << " at " << hz[i] << " Hz";
      largest_difference_db = std::max(largest_difference_db, std::abs(got - expected[i]));
    }
  }
  EXPECT_EQ(above_180, 11);
  // The formulas are the same; only 0.116 against 0.35/3 differs (0.083 dB for N7, 3FA = 102).
  EXPECT_LT(largest_difference_db, 0.1);
  RecordProperty("largest_difference_db", std::to_string(largest_difference_db));
}

// Byrne & Dillon (1986) as published, worked by hand for a flat 40 dB HL loss: X = 0.15 * 40 = 6,
// IG = 6 + 12.4 + k = 18.4 + (-17, -8, -3, 1, 1, -1, -2, -2, -2).
TEST(Prescription, NalRFollowsByrneAndDillon1986ForAFlatLoss) {
  const Prescription p = prescribe(PrescriptionRule::nal_r, audiogram({250, 8000}, {40, 40}));
  const std::vector<double> expected = {1.4, 10.4, 15.4, 19.4, 19.4, 17.4, 16.4, 16.4, 16.4};
  ASSERT_EQ(p.frequencies_hz.size(), expected.size());
  ASSERT_TRUE(p.linear());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(p.insertion_gain_db[0][i], expected[i], 1e-9) << p.frequencies_hz[i];
}

// NAL-RP for a profound loss, from the published formula worked by hand (the 1990/1991 papers'
// own tables could not be retrieved here; Fig. 9's values for H(2000) >= 95 dB HL are as Byrne
// et al. 1991 give them and as openMHA's NalRP.m, Leijon 2006, tabulates them). Flat 100 dB HL:
// 3FA = 100, X = 0.15*100 + 0.2*(100-60) = 23; 0.31*100 = 31; Fig. 9's row for 100 dB HL adds
// 6, 4, 0, -2, -3, -3, -3, -3 at 250, 500, 1000, 1500, 2000, 3000, 4000, 6000 Hz.
TEST(Prescription, NalRpAddsSevereAndProfoundCorrections) {
  const Prescription p = prescribe(PrescriptionRule::nal_rp, audiogram({250, 8000}, {100, 100}));
  const std::vector<double> constant = {-17, -8, 1, 1, -1, -2, -2, -2}, profound = {6, 4, 0, -2, -3, -3, -3, -3};
  ASSERT_EQ(p.frequencies_hz.size(), constant.size());
  for (std::size_t i = 0; i < constant.size(); ++i) {
    EXPECT_NEAR(p.insertion_gain_db[0][i], 23.0 + 31.0 + constant[i] + profound[i], 1e-9) << p.frequencies_hz[i];
  }
  // Halfway between the 95 and 100 dB HL rows at 250 Hz: (4 + 6) / 2 = 5.
  const Prescription half = prescribe(PrescriptionRule::nal_rp, audiogram({250, 8000}, {97.5, 97.5}));
  const double x = 0.15 * 97.5 + 0.2 * 37.5;
  EXPECT_NEAR(half.insertion_gain_db[0][0], x + 0.31 * 97.5 - 17.0 + 5.0, 1e-9);
  // Below 60 dB HL 3FA NAL-RP is NAL-R.
  const Audiogram mild = audiogram({250, 1000, 4000}, {20, 35, 60});
  const Prescription r = prescribe(PrescriptionRule::nal_r, mild), rp = prescribe(PrescriptionRule::nal_rp, mild);
  for (double f : {250.0, 500.0, 1000.0, 2000.0, 4000.0, 6000.0}) EXPECT_NEAR(rp.gain_db(0, f), r.gain_db(0, f), 1e-9) << f;
}

// Fig6 (Killion & Fikret-Pasa 1993), from its published formulas (the paper's figure could not be
// retrieved here), worked by hand at 30, 60 and 80 dB HL:
//   40 dB SPL:  H-20 (H <= 60), H-20-0.5(H-60) above    -> 10, 40, 50
//   65 dB SPL:  0.6(H-20) (H <= 60), 0.8H-23 above      -> 6, 24, 41
//   95 dB SPL:  0 (H <= 40), 0.1(H-40)^1.4 above        -> 0, 6.629, 17.494
TEST(Prescription, Fig6GivesItsThreeInputLevels) {
  const double expected[3][3] = {{10, 40, 50}, {6, 24, 41}, {0, 0.1 * std::pow(20.0, 1.4), 0.1 * std::pow(40.0, 1.4)}};
  int column = 0;
  for (double h : {30.0, 60.0, 80.0}) {
    const Prescription p = prescribe(PrescriptionRule::fig6, audiogram({250, 8000}, {h, h}));
    ASSERT_EQ(p.input_levels_db_spl, (std::vector<double>{40, 65, 95}));
    ASSERT_FALSE(p.linear());
    for (int l = 0; l < 3; ++l) EXPECT_NEAR(p.gain_db(l, 1000), expected[l][column], 1e-9) << h << " dB HL, row " << l;
    ++column;
  }
  EXPECT_NEAR(0.1 * std::pow(20.0, 1.4), 6.629, 1e-3);
  // Gain falls as the input rises: the rule is compressive at every loss.
  const Prescription p = prescribe(PrescriptionRule::fig6, audiogram({250, 8000}, {50, 50}));
  EXPECT_GT(p.gain_db(0, 2000), p.gain_db(1, 2000));
  EXPECT_GT(p.gain_db(1, 2000), p.gain_db(2, 2000));
}

TEST(Prescription, HalfGainAndPogo) {
  const Audiogram a = audiogram({250, 500, 1000, 2000, 4000}, {40, 50, 60, 70, 80});
  const Prescription half = prescribe(PrescriptionRule::half_gain, a), pogo = prescribe(PrescriptionRule::pogo, a);
  EXPECT_NEAR(half.gain_db(0, 1000), 30.0, 1e-9);
  EXPECT_NEAR(half.gain_db(0, 4000), 40.0, 1e-9);
  EXPECT_NEAR(pogo.gain_db(0, 250), 20.0 - 10.0, 1e-9);
  EXPECT_NEAR(pogo.gain_db(0, 500), 25.0 - 5.0, 1e-9);
  EXPECT_NEAR(pogo.gain_db(0, 2000), 35.0, 1e-9);
}

TEST(Prescription, NoLossNoGainAndNoNegativeGain) {
  for (PrescriptionRule r : {PrescriptionRule::nal_r, PrescriptionRule::nal_rp, PrescriptionRule::fig6, PrescriptionRule::half_gain,
                             PrescriptionRule::pogo}) {
    const Prescription p = prescribe(r, audiogram({250, 8000}, {0, 0}));
    for (const auto& row : p.insertion_gain_db) {
      for (double g : row) EXPECT_EQ(g, 0.0) << prescription_name(r);
    }
    const Prescription mild = prescribe(r, audiogram({250, 8000}, {15, 30}));
    for (const auto& row : mild.insertion_gain_db) {
      for (double g : row) EXPECT_GE(g, 0.0) << prescription_name(r);
    }
    EXPECT_EQ(parse_prescription_rule(prescription_name(r)), r);
  }
  EXPECT_FALSE(parse_prescription_rule("nal-nl2").has_value());
}

}  // namespace
}  // namespace earshot::test
