// Properties of the hearing-loss model on real and synthetic signals: normal hearing is transparent,
// output is aligned and as long as the input, renders are reproducible, and loss does what it should.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "metrics/band_levels.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

std::vector<float> corpus_speech(const char* name, double* fs) {
  auto dir = corpus_dir();
  if (!dir) return {};
  return read_mono(*dir / "speech" / name, fs);
}

#define REQUIRE_CORPUS(x)                                                                             \
  if ((x).empty()) GTEST_SKIP() << "EARSHOT_CORPUS is not set to shared/corpus: real-audio test skipped"

HearingLossParams params(double fs, double cal = 100.0) {
  HearingLossParams p;
  p.sample_rate_hz = fs;
  p.calibration_db_spl = cal;
  return p;
}

TEST(NormalListener, GivesBackRealSpeechWithinOneDecibelPerThirdOctave) {
  for (const char* name : {"vctk_p286_011_M_en.wav", "ljspeech_LJ050-0131_F_en.wav", "harvard_spk1_snt1_F_en.wav",
                           "asterisk_en_dir-intro_F_en-US.wav"}) {
    double fs = 0.0;
    const auto x = corpus_speech(name, &fs);
    REQUIRE_CORPUS(x);
    const auto y = render(x, listener("normal"), params(fs));
    ASSERT_EQ(y.size(), x.size());
    const int top = fs >= 20000 ? 9 : (fs >= 16000 ? 8 : 5);  // bands below Nyquist
    const auto in = third_octave_levels(x.data(), x.size(), fs, 0.0, -9, top);
    const auto out = third_octave_levels(y.data(), y.size(), fs, 0.0, -9, top);
    for (std::size_t b = 0; b < in.size(); ++b) {
      EXPECT_NEAR(out[b].level_db, in[b].level_db, 1.0) << name << " band " << in[b].nominal_hz << " Hz";
    }
  }
}

TEST(NormalListener, IsSampleExactAfterDelayCompensation) {
  // Unit gains and no smearing: the overlap-add reconstructs the input itself.
  std::vector<float> x(44100);
  std::uint32_t s = 1;
  for (auto& v : x) v = static_cast<float>((s = s * 1664525u + 1013904223u) >> 8) / 16777216.0f - 0.5f;
  const auto y = render(x, listener("normal"), params(44100.0));
  double err = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) err = std::max(err, double(std::fabs(y[i] - x[i])));
  EXPECT_LT(err, 1e-5);
}

TEST(Alignment, ImpulseThroughLossStaysAtItsTime) {
  // A click through N3 peaks where it went in (delay removed), and the output is the same length.
  for (double fs : {16000.0, 44100.0, 48000.0}) {
    std::vector<float> x(static_cast<std::size_t>(fs), 0.0f);
    const std::size_t at = x.size() / 2;
    x[at] = 1.0f;
    const auto y = render(x, listener("N3"), params(fs, 120.0));
    ASSERT_EQ(y.size(), x.size());
    std::size_t peak = 0;
    for (std::size_t i = 0; i < y.size(); ++i) if (std::fabs(y[i]) > std::fabs(y[peak])) peak = i;
    EXPECT_LE(std::abs(static_cast<long>(peak) - static_cast<long>(at)), static_cast<long>(fs * 0.0005)) << fs;
  }
}

TEST(Reproducibility, SameInputSpecAndSeedGiveIdenticalOutput) {
  const auto x = tone(1500.0, 70.0, 44100.0, 0.5);
  auto p = params(44100.0);
  const auto a = render(x, listener("N4"), p);
  const auto b = render(x, listener("N4"), p);
  EXPECT_EQ(a, b);
  p.seed = 2;
  const auto c = render(x, listener("N4"), p);
  EXPECT_NE(a, c);  // the seed drives the smeared energy's phases
}

TEST(HearingLoss, SlopingLossMakesSpeechDullerAndQuieter) {
  double fs = 0.0;
  const auto x = corpus_speech("vctk_p286_011_M_en.wav", &fs);
  REQUIRE_CORPUS(x);
  // Present at 65 dB SPL long-term.
  const double cal = 65.0 - level_db(x.data(), x.size());
  const auto y = render(x, listener("N3"), params(fs, cal));
  const auto in = third_octave_levels(x.data(), x.size(), fs, cal);
  const auto out = third_octave_levels(y.data(), y.size(), fs, cal);
  // Attenuation at 4 kHz (60 dB HL) exceeds that at 500 Hz (35 dB HL) by at least 10 dB.
  const double att_500 = in[6].level_db - out[6].level_db, att_4k = in[15].level_db - out[15].level_db;
  EXPECT_GT(att_500, 5.0);
  EXPECT_GT(att_4k - att_500, 10.0);
}

TEST(HearingLoss, RecruitmentDeepensTheEnvelope) {
  // A 1 kHz tone, 100 % amplitude-modulated at 4 Hz, at 80 dB SPL through a flat 60 dB HL loss:
  // expansion makes the quiet phases relatively quieter, so the envelope's dB range grows.
  const double fs = 44100.0;
  std::vector<float> x(static_cast<std::size_t>(2 * fs));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = i / fs;
    x[i] = static_cast<float>(0.5 * (1.2 + std::sin(2 * M_PI * 4 * t)) * std::sin(2 * M_PI * 1000 * t));
  }
  const double cal = 80.0 - level_db(x.data(), x.size());
  const auto y = render(x, listener("250:60,8000:60"), params(fs, cal));
  auto range_db = [&](const std::vector<float>& s) {
    // RMS in 10 ms frames over the middle second; max/min in dB.
    double lo = 1e9, hi = -1e9;
    for (std::size_t i = static_cast<std::size_t>(0.5 * fs); i + 441 < static_cast<std::size_t>(1.5 * fs); i += 441) {
      const double l = level_db(s.data() + i, 441);
      lo = std::min(lo, l);
      hi = std::max(hi, l);
    }
    return hi - lo;
  };
  EXPECT_GT(range_db(y), 1.5 * range_db(x));
}

TEST(HearingLoss, SmearingFillsSpectralGaps) {
  // Two tones an octave apart at 70 dB SPL with a 30 dB catch-up-free loss: with smearing, the level
  // midway between them (in the gap) rises relative to the tones.
  const double fs = 44100.0;
  auto a = tone(1000.0, 70.0, fs, 1.0);
  const auto b = tone(2000.0, 70.0, fs, 1.0);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  auto p = params(fs);
  const auto smeared = render(a, listener("250:55,8000:55"), p);
  p.smearing = false;
  const auto plain = render(a, listener("250:55,8000:55"), p);
  auto gap_re_peak = [&](const std::vector<float>& y) {
    const auto bands = third_octave_levels(y.data() + 4410, y.size() - 8820, fs, 100.0, -1, 4);
    return bands[2].level_db - bands[1].level_db;  // 1.4 kHz band re 1 kHz band
  };
  EXPECT_GT(gap_re_peak(smeared), gap_re_peak(plain) + 6.0);
}

}  // namespace
}  // namespace earshot::test

namespace earshot::test {
namespace {

TEST(HearingLoss, NoJumpsBetweenSeverities) {
  // Speech-shaped noise through flat losses 1 dB apart, 20 ... 80 dB HL: the output level falls
  // steadily, with no step between neighbours much larger than the typical step (MSBG switches
  // filterbank and smearing at 15, 35 and 56 dB HL means; earshot varies them continuously).
  const double fs = 16000.0;
  std::vector<float> x(static_cast<std::size_t>(fs));
  std::uint32_t s = 3;
  float lp = 0.0f;
  for (auto& v : x) {
    lp = 0.9f * lp + 0.1f * (static_cast<float>((s = s * 1664525u + 1013904223u) >> 8) / 8388608.0f - 1.0f);
    v = lp;
  }
  const double cal = 70.0 - level_db(x.data(), x.size());
  std::vector<double> levels;
  for (int hl = 20; hl <= 80; ++hl) {
    HearingLossParams p;
    p.sample_rate_hz = fs;
    p.calibration_db_spl = cal;
    const auto y = render(x, listener("250:" + std::to_string(hl) + ",8000:" + std::to_string(hl)), p);
    levels.push_back(steady_level_db(y, fs, cal, 0.1));
  }
  double largest = 0.0, total = levels.front() - levels.back();
  for (std::size_t i = 1; i < levels.size(); ++i) {
    EXPECT_LT(levels[i], levels[i - 1] + 0.05) << 20 + i << " dB HL";
    largest = std::max(largest, levels[i - 1] - levels[i]);
  }
  EXPECT_LT(largest, 3.0 * total / (levels.size() - 1));
}

TEST(HearingLoss, SmearingKeepsPowerWhereTheLossBegins) {
  // Tones at the catch-up level (no expansion) across the frequencies where an audiogram rising
  // from 10 dB HL (no smearing) to 40 dB HL (smearing) starts to smear: each keeps its level, also
  // on the bins where bins that smear meet bins that do not.
  const double fs = 44100.0;
  HearingLossParams p;
  p.sample_rate_hz = fs;
  p.calibration_db_spl = 100.0;
  for (double f = 1000.0; f <= 1400.0; f += 20.0) {
    const auto y = render(tone(f, 110.0, fs, 0.6), listener("250:10,1000:10,2000:40,8000:40"), p);
    EXPECT_NEAR(steady_level_db(y, fs, 100.0, 0.15), 110.0, 1.0) << f << " Hz";
  }
}

TEST(Engine, StereoInputFeedsEachEarItsOwnChannel) {
  // Left: a loud tone through a normal ear; right: the same tone through N6. The left output keeps
  // its level; the right is far quieter. Swapping the listener's ears swaps the outputs.
  const double fs = 16000.0;
  const auto tone_in = tone(1000.0, 60.0, fs, 1.0);
  EngineSpec spec;
  spec.listener = listener("left=normal,right=N6");
  spec.hearing.sample_rate_hz = fs;
  spec.hearing.calibration_db_spl = 100.0;
  spec.input_channels = 2;
  Engine engine;
  engine.prepare(std::make_shared<const EnginePlan>(design_engine(spec).value()));
  ASSERT_EQ(engine.plan().output_channels, 2);
  std::vector<float> l(tone_in.size()), r(tone_in.size());
  const float* in[2] = {tone_in.data(), tone_in.data()};
  float* out[2] = {l.data(), r.data()};
  engine.process(in, out, static_cast<int>(tone_in.size()));
  EXPECT_NEAR(steady_level_db(l, fs, 100.0), 60.0, 0.5);
  EXPECT_LT(steady_level_db(r, fs, 100.0), 20.0);
}

}  // namespace
}  // namespace earshot::test
