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

#include "core/band_levels.hpp"
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

struct OracleRow {
  std::string file, audiogram;
  double band_hz, input_db, output_db;
};

std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::ifstream f(p);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(f, line);  // header
  while (std::getline(f, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

TEST(MsbgOracle, BandAttenuationOnRealSpeechAgreesWithinStatedBounds) {
  const auto dir = oracles_dir();
  if (!dir) GTEST_SKIP() << "shared/oracles not found beside EARSHOT_CORPUS: oracle comparison skipped";
  const fs::path msbg = *dir / "msbg";
  // MSBG rescales its input by msbg_internal_rescale_db and never undoes it; add it back so that
  // the comparison is of the models, not of that level step.
  std::map<std::pair<std::string, std::string>, double> rescale;
  for (const auto& r : read_csv(msbg / "summary.csv")) rescale[{r[0], r[1]}] = std::stod(r[12]);
  std::map<std::pair<std::string, double>, std::vector<double>> ours, theirs;  // (audiogram, band) -> per file
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
      }
    }
    theirs[{audiogram, band}].push_back(std::stod(r[3]) - std::stod(r[4]) + rescale[{file, audiogram}]);
  }
  ASSERT_FALSE(ours.empty());
  std::printf("| audiogram | band Hz | earshot attenuation dB | MSBG attenuation dB | difference dB |\n");
  std::printf("|---|---|---|---|---|\n");
  std::map<std::string, std::vector<double>> speech_band_diffs;
  for (const auto& [key, mine] : ours) {
    const auto& ref = theirs.at(key);
    ASSERT_EQ(mine.size(), ref.size());
    double a = 0.0, b = 0.0;
    for (std::size_t i = 0; i < mine.size(); ++i) {
      a += mine[i] / mine.size();
      b += ref[i] / ref.size();
    }
    std::printf("| %s | %.0f | %.1f | %.1f | %+.1f |\n", key.first.c_str(), key.second, a, b, a - b);
    if (key.second >= 250.0 && key.second <= 4000.0) speech_band_diffs[key.first].push_back(a - b);
  }
  for (auto& [audiogram, d] : speech_band_diffs) {
    std::sort(d.begin(), d.end());
    const double median = d[d.size() / 2];
    std::printf("%s: median difference 250-4000 Hz %+.1f dB (range %+.1f ... %+.1f)\n", audiogram.c_str(), median,
                d.front(), d.back());
    // Stated tolerances (docs/validation.md, "Why they differ"). Mild and steep losses (MSBG's
    // MODERATE class here): median within 3 dB, every speech band within 6 dB. N4 (MSBG's SEVERE
    // class): MSBG's expansion ratio CU/(CU - HL) ignores the normal threshold and its severe
    // class broadens all filters 3x, so it attenuates more above 1.5 kHz: median within 8 dB,
    // every speech band within 15 dB.
    const bool severe = audiogram == "N4";
    EXPECT_LT(std::fabs(median), severe ? 8.0 : 3.0) << audiogram;
    EXPECT_LT(std::max(std::fabs(d.front()), std::fabs(d.back())), severe ? 15.0 : 6.0) << audiogram;
  }
}

}  // namespace
}  // namespace earshot::test
