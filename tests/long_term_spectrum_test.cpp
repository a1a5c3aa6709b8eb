// metrics/long_term_spectrum.hpp: the Welch-averaged long-term band powers the SII's speech and
// noise spectra come from, against the whole-signal periodogram (band_powers) they replace there.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <vector>

#include "metrics/band_levels.hpp"
#include "metrics/long_term_spectrum.hpp"
#include "metrics/sii.hpp"
#include "test_support.hpp"

namespace earshot {
namespace {

double db(double p) { return 10.0 * std::log10(std::max(p, 1e-300)); }

double mean_square(const std::vector<float>& x) {
  double s = 0.0;
  for (float v : x) s += double(v) * v;
  return s / x.size();
}

TEST(LongTermSpectrum, SegmentBinsAreAtMostOneAndAHalfHertzApart) {
  EXPECT_EQ(long_term_segment_frames(44100.0), 32768);
  EXPECT_EQ(long_term_segment_frames(48000.0), 32768);
  EXPECT_EQ(long_term_segment_frames(16000.0), 16384);
  for (double fs : {8000.0, 22050.0, 96000.0, 192000.0}) EXPECT_LE(fs / long_term_segment_frames(fs), 1.5) << fs;
}

// Bands that tile 0 Hz ... above Nyquist hold every bin once, so they sum to the mean square, at
// lengths that are prime, shorter than a segment, or a segment plus one.
TEST(LongTermSpectrum, BandsThatTileTheSpectrumSumToTheMeanSquare) {
  const double fs = 44100.0;
  std::vector<double> lo, hi;
  for (double f = 0.0; f < fs / 2 + 100.0; f += 250.0) {
    lo.push_back(f);
    hi.push_back(f + 250.0);
  }
  std::mt19937 rng(7);
  std::normal_distribution<float> g(0.0f, 0.1f);
  for (std::size_t n : {std::size_t(1), std::size_t(1000), std::size_t(16385), std::size_t(441001), std::size_t(2646007)}) {
    std::vector<float> x(n);
    for (auto& v : x) v = g(rng);
    const auto p = long_term_band_powers(x.data(), x.size(), fs, lo, hi);
    double sum = 0.0;
    for (double v : p) sum += v;
    EXPECT_NEAR(sum / mean_square(x), 1.0, 1e-9) << n << " samples";
  }
}

// A steady tone's power is in its own one-third-octave band; the window's leakage leaves the
// adjacent bands more than 80 dB down and those two away more than 100 dB. (The tone fades in and out over 50 ms: an abrupt start
// would spread its own power across the spectrum, whatever the analysis.)
TEST(LongTermSpectrum, ATonesPowerIsInItsBand) {
  const double fs = 44100.0;
  std::vector<float> x(441007);
  const std::size_t ramp = 2205;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t edge = std::min(i, x.size() - 1 - i);
    const double fade = edge < ramp ? 0.5 - 0.5 * std::cos(std::numbers::pi * edge / ramp) : 1.0;
    x[i] = float(0.5 * fade * std::sin(2.0 * std::numbers::pi * 1000.0 * i / fs));
  }
  std::vector<double> lo, hi;
  for (int k = -3; k <= 3; ++k) {
    const double fc = 1000.0 * std::pow(10.0, k / 10.0);
    lo.push_back(fc * std::pow(10.0, -1.0 / 20.0));
    hi.push_back(fc * std::pow(10.0, 1.0 / 20.0));
  }
  const auto p = long_term_band_powers(x.data(), x.size(), fs, lo, hi);
  const double power = mean_square(x);
  EXPECT_NEAR(db(p[3]), db(power), 0.01);
  EXPECT_LT(db(p[2]), db(power) - 80.0);
  EXPECT_LT(db(p[4]), db(power) - 80.0);
  EXPECT_LT(db(p[1]), db(power) - 100.0);
  EXPECT_LT(db(p[5]), db(power) - 100.0);
}

// White noise: each SII band holds its share of the power, width / (fs / 2).
TEST(LongTermSpectrum, WhiteNoiseFillsEachBandByItsWidth) {
  const double fs = 16000.0;
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.0f, 0.1f);
  std::vector<float> x(static_cast<std::size_t>(fs * 30) + 11);
  for (auto& v : x) v = g(rng);
  const SiiBandTable& t = sii_band_table(SiiProcedure::third_octave);
  const auto p = long_term_band_powers(x.data(), x.size(), fs, t.lower_hz, t.upper_hz);
  const double ms = mean_square(x);
  for (std::size_t b = 0; b < p.size(); ++b) {
    if (t.upper_hz[b] > fs / 2) continue;
    EXPECT_NEAR(db(p[b]), db(ms * (t.upper_hz[b] - t.lower_hz[b]) / (fs / 2)), 0.5) << t.centre_hz[b] << " Hz";
  }
}

// Real speech, every SII procedure's bands: the Welch spectrum's band levels against the
// whole-signal periodogram's, and the SII an N3-like sloping loss gets from each.
TEST(LongTermSpectrum, SpeechBandLevelsAndSiiAgreeWithTheWholeSignalPeriodogram) {
  const auto corpus = test::corpus_dir();
  if (!corpus) GTEST_SKIP() << "EARSHOT_CORPUS is not set: no real speech to measure";
  const char* files[] = {"speech/clarity_T010_G0N_02468_F_en.wav", "speech/slr83_som_04766_05_M_en.wav",
                         "speech/librispeech_198-209-0000_F_en.flac", "speech/cmu_arctic_aew_a0001_M_en.wav",
                         "speech/vctk_p286_011_M_en.wav", "speech/harvard_spk1_snt1_F_en.wav",
                         "speech/asterisk_ru_demo-moreinfo_F_ru-RU.wav"};
  const SiiProcedure procedures[] = {SiiProcedure::critical_band, SiiProcedure::equally_contributing, SiiProcedure::third_octave,
                                     SiiProcedure::octave};
  // Every procedure's bands in one call of each (the whole-signal FFT is the slow part).
  std::vector<double> lo, hi;
  for (SiiProcedure proc : procedures) {
    const SiiBandTable& t = sii_band_table(proc);
    lo.insert(lo.end(), t.lower_hz.begin(), t.lower_hz.end());
    hi.insert(hi.end(), t.upper_hz.begin(), t.upper_hz.end());
  }
  double worst_db = 0.0, worst_sii = 0.0;
  for (const char* f : files) {
    double fs = 0.0;
    const auto x = test::read_mono(*corpus / f, &fs);
    const auto welch_all = long_term_band_powers(x.data(), x.size(), fs, lo, hi);
    const auto whole_all = band_powers(x.data(), x.size(), fs, lo, hi);
    std::size_t offset = 0;
    for (SiiProcedure proc : procedures) {
      const SiiBandTable& t = sii_band_table(proc);
      const std::vector<double> welch(welch_all.begin() + offset, welch_all.begin() + offset + t.centre_hz.size());
      const std::vector<double> whole(whole_all.begin() + offset, whole_all.begin() + offset + t.centre_hz.size());
      offset += t.centre_hz.size();
      double loudest = -1e300;
      for (double p : whole) loudest = std::max(loudest, db(p));
      SiiInput a, b;
      a.procedure = b.procedure = proc;
      for (std::size_t k = 0; k < welch.size(); ++k) {
        if (t.upper_hz[k] > fs / 2) continue;
        if (db(whole[k]) > loudest - 40.0) {
          const double d = std::fabs(db(welch[k]) - db(whole[k]));
          worst_db = std::max(worst_db, d);
          EXPECT_LT(d, 0.5) << f << " " << to_string(proc) << " " << t.centre_hz[k] << " Hz";
        }
      }
      // Speech at 65 dB SPL overall, per-Hz levels; thresholds of a sloping loss (20 dB HL at 250 Hz
      // to 70 dB HL at 8 kHz), where audibility is partial in many bands.
      const double cal = 65.0 - db(mean_square(x));
      for (std::size_t k = 0; k < welch.size(); ++k) {
        const double width = t.upper_hz[k] - t.lower_hz[k];
        a.speech_spectrum_db.push_back(db(welch[k] / width) + cal);
        b.speech_spectrum_db.push_back(db(whole[k] / width) + cal);
        const double octaves = std::log2(std::max(t.centre_hz[k], 250.0) / 250.0);
        a.threshold_db_hl.push_back(20.0 + 10.0 * octaves);
      }
      b.threshold_db_hl = a.threshold_db_hl;
      const double sa = sii(a).value().sii, sb = sii(b).value().sii;
      worst_sii = std::max(worst_sii, std::fabs(sa - sb));
      EXPECT_NEAR(sa, sb, 0.002) << f << " " << to_string(proc);
    }
  }
  std::printf("worst band difference %.3f dB, worst SII difference %.5f\n", worst_db, worst_sii);
}

}  // namespace
}  // namespace earshot
