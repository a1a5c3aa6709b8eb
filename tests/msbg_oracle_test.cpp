// Comparison with the Cambridge MSBG model (clarity v0.9.0 renders in shared/oracles/msbg): per
// one-third-octave band attenuation (input level - output level, FFT band summation as in the
// oracle README) on real speech for three Bisgaard audiograms. docs/validation.md explains the
// systematic differences; the test bounds them. The table it prints is the one in that document.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "metrics/band_levels.hpp"
#include "audiology/reference_threshold.hpp"
#include "metrics/stoi.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;

// The oracle's audiograms: Bisgaard at 250..6000 Hz (375 Hz left out), 6 kHz repeated at 8 kHz.
const std::map<std::string, std::string> kAudiograms = {
    {"N2", "250:20,500:20,750:22.5,1000:25,1500:30,2000:35,3000:40,4000:45,6000:50,8000:50"},
    {"N4", "250:55,500:55,750:55,1000:55,1500:60,2000:65,3000:70,4000:75,6000:80,8000:80"},
    {"S2", "250:20,500:20,750:22.5,1000:25,1500:35,2000:55,3000:75,4000:95,6000:95,8000:95"},
};

TEST(MsbgOracle, BandAttenuationOnRealSpeechAgreesWithinStatedBounds) {
  const auto dir = oracles_dir();
  if (!dir) GTEST_SKIP() << "shared/oracles not found beside EARSHOT_CORPUS: oracle comparison skipped";
  const fs::path msbg = *dir / "msbg";
  // MSBG rescales its input by msbg_internal_rescale_db and never undoes it; add it back so that
  // the comparison is of the models, not of that level step.
  std::map<std::pair<std::string, std::string>, double> rescale;
  for (const auto& r : read_csv(msbg / "summary.csv")) rescale[{r[0], r[1]}] = std::stod(r[12]);
  std::map<std::pair<std::string, double>, std::vector<double>> ours, theirs;  // (audiogram, band) -> per file
  std::map<std::pair<std::string, double>, std::vector<double>> ours_out, theirs_out;  // output dB SPL
  std::map<std::string, std::vector<float>> rendered;
  for (const auto& r : read_csv(msbg / "band_levels.csv")) {
    const std::string file = r[0], audiogram = r[1];
    const double band = std::stod(r[2]);
    const std::string key = file + "__" + audiogram;
    if (!rendered.count(key)) {
      double fs = 0.0;
      const auto x = read_mono(msbg / "in" / (file + ".wav"), &fs);
      HearingLossParams p;
      p.sample_rate_hz = fs;
      p.calibration_db_spl = 120.0;  // the oracle's calibration: digital RMS 1.0 = 120 dB SPL
      rendered[key] = render(x, listener(kAudiograms.at(audiogram)), p);
      const auto in_bands = third_octave_levels(x.data(), x.size(), fs, 120.0);
      const auto out_bands = third_octave_levels(rendered[key].data(), rendered[key].size(), fs, 120.0);
      for (std::size_t b = 0; b < in_bands.size(); ++b) {
        ours[{audiogram, in_bands[b].nominal_hz}].push_back(in_bands[b].level_db - out_bands[b].level_db);
        ours_out[{audiogram, in_bands[b].nominal_hz}].push_back(out_bands[b].level_db);
      }
    }
    theirs[{audiogram, band}].push_back(std::stod(r[3]) - std::stod(r[4]) + rescale[{file, audiogram}]);
    theirs_out[{audiogram, band}].push_back(std::stod(r[4]) - rescale[{file, audiogram}]);
  }
  ASSERT_FALSE(ours.empty());
  std::printf("| audiogram | band Hz | earshot attenuation dB | MSBG attenuation dB | difference dB | audible to a normal listener in |\n");
  std::printf("|---|---|---|---|---|---|\n");
  std::map<std::string, std::vector<double>> speech_band_diffs;
  for (const auto& [key, mine] : ours) {
    const auto& ref = theirs.at(key);
    ASSERT_EQ(mine.size(), ref.size());
    double a = 0.0, b = 0.0;
    for (std::size_t i = 0; i < mine.size(); ++i) {
      a += mine[i] / mine.size();
      b += ref[i] / ref.size();
    }
    // Audible: the mean output band level is above the normal threshold at the band's centre.
    double mine_out = 0.0, ref_out = 0.0;
    for (double v : ours_out.at(key)) mine_out += v / mine.size();
    for (double v : theirs_out.at(key)) ref_out += v / ref.size();
    const double t0 = reference_threshold_db_spl(key.second, SoundField::free);
    const bool mine_audible = mine_out > t0, ref_audible = ref_out > t0;
    const char* audible = mine_audible && ref_audible ? "both" : mine_audible ? "earshot only" : ref_audible ? "MSBG only" : "neither";
    std::printf("| %s | %.0f | %.1f | %.1f | %+.1f | %s |\n", key.first.c_str(), key.second, a, b, a - b, audible);
    // Where neither render is audible, their attenuations need not agree: both are silence.
    if (key.second >= 250.0 && key.second <= 4000.0 && (mine_audible || ref_audible)) speech_band_diffs[key.first].push_back(a - b);
  }
  for (auto& [audiogram, d] : speech_band_diffs) {
    std::sort(d.begin(), d.end());
    const double median = d[d.size() / 2];
    std::printf("%s: median difference over audible bands 250-4000 Hz %+.1f dB (range %+.1f ... %+.1f, %zu bands)\n",
                audiogram.c_str(), median, d.front(), d.back(), d.size());
    // Stated tolerances (docs/validation.md, "Why they differ"), over the speech bands that at
    // least one render makes audible: median within 6 dB, every such band within 12 dB (MSBG's
    // expansion ignores the normal threshold and its outer-ear correction raises its internal
    // level at 2-4 kHz; its severity classes smear every frequency alike).
    EXPECT_LT(std::fabs(median), 6.0) << audiogram;
    EXPECT_LT(std::max(std::fabs(d.front()), std::fabs(d.back())), 12.0) << audiogram;
  }
}

TEST(MsbgOracle, SpeechIntelligibilityOfRendersAgrees) {
  // STOI of each render against its input (earshot's vs MSBG's, the latter from summary.csv), and
  // STOI of earshot's render against MSBG's render (how alike the two renders are in envelope).
  const auto dir = oracles_dir();
  if (!dir) GTEST_SKIP() << "shared/oracles not found beside EARSHOT_CORPUS: oracle comparison skipped";
  const fs::path msbg = *dir / "msbg";
  std::printf("| file | audiogram | STOI earshot | STOI earshot, no smearing | STOI MSBG | ESTOI earshot | ESTOI MSBG | STOI(MSBG render, earshot render) |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  std::map<std::string, std::vector<double>> stoi_diffs;
  for (const auto& r : read_csv(msbg / "summary.csv")) {
    double fs = 0.0;
    const auto x = read_mono(msbg / "in" / (r[0] + ".wav"), &fs);
    const auto theirs = read_mono(msbg / "out" / (r[0] + "__" + r[1] + ".wav"));
    HearingLossParams p;
    p.sample_rate_hz = fs;
    p.calibration_db_spl = 120.0;
    const auto ours = render(x, listener(kAudiograms.at(r[1])), p);
    const auto mine = stoi(x, ours, fs);
    ASSERT_TRUE(mine.ok()) << describe(mine.errors());
    p.smearing = false;
    const auto unsmeared = stoi(x, render(x, listener(kAudiograms.at(r[1])), p), fs);
    ASSERT_TRUE(unsmeared.ok()) << describe(unsmeared.errors());
    // MSBG's output is zero in its last ~24 ms (see the oracle README); compare renders before it.
    const std::size_t n = x.size() - std::stoul(r[10]);
    const auto between = stoi(std::vector<float>(theirs.begin(), theirs.begin() + n), std::vector<float>(ours.begin(), ours.begin() + n), fs);
    ASSERT_TRUE(between.ok()) << describe(between.errors());
    std::printf("| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", r[0].c_str(), r[1].c_str(), mine.value().stoi,
                unsmeared.value().stoi, std::stod(r[6]), mine.value().estoi, std::stod(r[7]), between.value().stoi);
    stoi_diffs[r[1]].push_back(mine.value().stoi - std::stod(r[6]));
    // Stated tolerances (docs/validation.md): without smearing, earshot's STOI is from 0.03 below
    // to 0.05 above MSBG's (MSBG's own smearing takes off 0.02-0.03): threshold, recruitment and
    // filters agree on intelligibility. With smearing it is lower, never higher by more than
    // 0.02, and within 0.06 (N2, S2) or 0.15 (N4): earshot broadens per frequency up to 4x and
    // keeps the smeared power, MSBG's one severe class loses part of it in its overlap-add.
    const double msbg_stoi = std::stod(r[6]);
    EXPECT_GT(unsmeared.value().stoi, msbg_stoi - 0.03) << r[0] << " " << r[1];
    EXPECT_LT(unsmeared.value().stoi, msbg_stoi + 0.05) << r[0] << " " << r[1];
    EXPECT_LT(mine.value().stoi, msbg_stoi + 0.02) << r[0] << " " << r[1];
    EXPECT_GT(mine.value().stoi, msbg_stoi - (r[1] == "N4" ? 0.15 : 0.06)) << r[0] << " " << r[1];
    EXPECT_GT(between.value().stoi, 0.8) << r[0] << " " << r[1];
  }
  for (const auto& [audiogram, d] : stoi_diffs) {
    double mean = 0.0;
    for (double v : d) mean += v / d.size();
    std::printf("%s: mean STOI difference (earshot - MSBG) %+.3f\n", audiogram.c_str(), mean);
  }
}

}  // namespace
}  // namespace earshot::test
