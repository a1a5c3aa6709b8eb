#include <gtest/gtest.h>

#include <cmath>

#include "dsp/speech_level.hpp"
#include "test_support.hpp"

namespace earshot {
namespace {

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

}  // namespace
}  // namespace earshot
