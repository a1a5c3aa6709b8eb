#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "dsp/speech_level.hpp"
#include "test_support.hpp"

namespace earshot {
namespace {

// P.56 method B as written out in the Recommendation: one hangover counter per threshold, each
// updated at every sample (25 thresholds, 2^-25 ... 2^-1). The meter counts the same active
// samples with a sliding maximum; this is the reference it must agree with, count for count.
struct ReferenceP56Counts {
  std::array<std::int64_t, 25> active{};
  double sum_squares = 0.0;
};
ReferenceP56Counts reference_p56_counts(const std::vector<float>& x, double fs) {
  const double g = std::exp(-1.0 / (fs * 0.03));
  const auto hangover = static_cast<std::int64_t>(std::lround(0.2 * fs));
  std::array<std::int64_t, 25> hang;
  hang.fill(hangover);
  ReferenceP56Counts r;
  double p = 0.0, q = 0.0;
  for (float xf : x) {
    const double v = xf;
    r.sum_squares += v * v;
    p = g * p + (1.0 - g) * std::fabs(v);
    q = g * q + (1.0 - g) * p;
    for (int j = 0; j < 25; ++j) {
      if (q >= std::ldexp(1.0, j - 25)) {
        ++r.active[j];
        hang[j] = 0;
      } else if (hang[j] < hangover) {
        ++r.active[j];
        ++hang[j];
      }
    }
  }
  return r;
}

// The level P.56 derives from the counts (the meter's result(), written from the reference counts).
double reference_active_db(const ReferenceP56Counts& c) {
  auto level = [&](int j) { return 10.0 * std::log10(c.sum_squares / c.active[j]); };
  auto margin = [&](int j) {
    return c.active[j] == 0 ? -1e9 : level(j) - 20.0 * std::log10(std::ldexp(1.0, j - 25)) - 15.9;
  };
  int j = 0;
  while (j < 25 && margin(j) > 0.0) ++j;
  if (j == 0) return level(0);
  if (j == 25) return level(24);
  if (c.active[j] == 0) return level(j - 1);
  const double t = margin(j - 1) / (margin(j - 1) - margin(j));
  return level(j - 1) + t * (level(j) - level(j - 1));
}

TEST(ActiveSpeechLevel, ContinuousToneIsActiveThroughout) {
  const auto x = test::tone(1000.0, 80.0, 16000.0, 2.0, 100.0);  // -20 dB re RMS 1
  ActiveSpeechLevelMeter m(16000.0);
  m.add(x.data(), x.size());
  const SpeechLevel r = m.result();
  EXPECT_FALSE(r.silent);
  EXPECT_NEAR(r.active_db, -20.0, 0.2);
  EXPECT_NEAR(r.long_term_db, -20.0, 0.01);
}

TEST(ActiveSpeechLevel, PausesDoNotCountTowardsTheActiveLevel) {
  // 1 s of tone, 3 s of silence: long-term level drops by 6 dB, the active level barely moves
  // (only the 200 ms hangover and envelope tail are counted as active).
  auto x = test::tone(1000.0, 80.0, 16000.0, 1.0, 100.0);
  x.resize(4 * 16000, 0.0f);
  ActiveSpeechLevelMeter m(16000.0);
  m.add(x.data(), x.size());
  const SpeechLevel r = m.result();
  EXPECT_NEAR(r.long_term_db, -20.0 - 6.02, 0.05);
  EXPECT_NEAR(r.active_db, -20.0, 1.2);
  EXPECT_NEAR(r.activity, 0.25, 0.08);
}

TEST(ActiveSpeechLevel, SilenceIsReportedAsSilent) {
  std::vector<float> x(16000, 0.0f);
  ActiveSpeechLevelMeter m(16000.0);
  m.add(x.data(), x.size());
  EXPECT_TRUE(m.result().silent);
}

TEST(ActiveSpeechLevel, RealSpeechIsAboveItsLongTermLevel) {
  auto dir = test::corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS is not set to shared/corpus: real-audio test skipped";
  double fs = 0.0;
  const auto x = test::read_mono(*dir / "speech" / "librispeech_198-209-0000_F_en.flac", &fs);
  ActiveSpeechLevelMeter m(fs);
  m.add(x.data(), x.size());
  const SpeechLevel r = m.result();
  // Read speech is active 60-95 % of the time: active level 0.2-2.2 dB above long-term.
  EXPECT_GT(r.active_db - r.long_term_db, 0.2);
  EXPECT_LT(r.active_db - r.long_term_db, 2.5);
}

TEST(ActiveSpeechLevel, SlidingMaximumCountsExactlyWhatThePerThresholdCountersCount) {
  // The meter's constant-cost form against P.56's per-threshold hangover counters, on corpus speech
  // of three rates and on speech with long pauses and level steps (the hangover matters there),
  // fed in blocks of odd sizes: the same active level to the last bit (tolerance 0 dB).
  auto dir = test::corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS is not set to shared/corpus: real-audio test skipped";
  for (const char* name : {"librispeech_198-209-0000_F_en.flac", "clarity_T010_G0N_02468_F_en.wav",
                           "harvard_spk1_snt1_F_en.wav", "cmu_arctic_aew_a0001_M_en.wav"}) {
    double fs = 0.0;
    auto x = test::read_mono(*dir / "speech" / name, &fs);
    // Then the same speech 30 dB down after 1 s of silence, 0.15 s of silence, and a quiet tail.
    std::vector<float> y = x;
    y.resize(y.size() + static_cast<std::size_t>(fs), 0.0f);
    for (float v : x) y.push_back(v * 0.0316f);
    y.resize(y.size() + static_cast<std::size_t>(0.15 * fs), 0.0f);
    for (float v : x) y.push_back(v * 1e-4f);
    for (const auto* signal : {&x, &y}) {
      ActiveSpeechLevelMeter m(fs);
      std::size_t done = 0, block = 1;
      while (done < signal->size()) {
        const std::size_t take = std::min(block, signal->size() - done);
        m.add(signal->data() + done, take);
        done += take;
        block = block * 7 % 4099 + 1;
      }
      const SpeechLevel r = m.result();
      const double expected = reference_active_db(reference_p56_counts(*signal, fs));
      EXPECT_EQ(r.active_db, expected) << name;
    }
  }
}

}  // namespace
}  // namespace earshot
