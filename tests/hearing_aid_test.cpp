// The linear hearing aid: its insertion gain against the prescription, its place in the engine
// (aligned output, the aid's delay counted) and what it does for speech audibility (SII).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "dsp/fir_filter.hpp"
#include "dsp/linear_phase_fir.hpp"
#include "dsp/simd_path.hpp"
#include "dsp/speech_level.hpp"
#include "engine/live_engine.hpp"
#include "formats/aid_spec_parser.hpp"
#include "hearing_aid/hearing_aid_processor.hpp"
#include "metrics/sii_inputs.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

double rms_db(const std::vector<float>& x, std::size_t from) {
  double sum = 0.0;
  for (std::size_t i = from; i < x.size(); ++i) sum += double(x[i]) * x[i];
  return 10.0 * std::log10(sum / double(x.size() - from));
}

// The gain of the streaming aid on a steady tone, measured from its output (after the filter
// has filled), dB.
double measured_gain_db(const HearingAidPlan& plan, double frequency_hz) {
  HearingAidProcessor aid;
  aid.prepare(std::make_shared<const HearingAidPlan>(plan));
  const std::vector<float> in = tone(frequency_hz, 60.0, plan.sample_rate_hz, 0.2);
  std::vector<float> out(in.size());
  aid.process(in.data(), out.data(), static_cast<int>(in.size()));
  const std::size_t settled = plan.equaliser_taps.size() + static_cast<std::size_t>(0.02 * plan.sample_rate_hz);
  return rms_db(out, settled) - rms_db(in, settled);
}

// Insertion gain measured on tones at every prescribed frequency, for every Bisgaard audiogram and
// every rule, at two rates: within 1 dB of the prescription (the tolerance).
TEST(HearingAid, InsertionGainOnTonesEqualsThePrescriptionWithin1Db) {
  double worst_db = 0.0;
  for (const char* who : {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "S1", "S2", "S3"}) {
    const Listener l = listener(who);
    for (PrescriptionRule rule : {PrescriptionRule::nal_r, PrescriptionRule::nal_rp, PrescriptionRule::fig6,
                                  PrescriptionRule::half_gain, PrescriptionRule::pogo}) {
      for (double fs : {16000.0, 44100.0}) {
        const HearingAidPlan plan = design_hearing_aid(AidSettings{rule}, l.left.air_db_hl, fs);
        const std::size_t row = rule == PrescriptionRule::fig6 ? 1 : 0;  // fig6's 65 dB SPL row
        ASSERT_EQ(plan.prescription.input_levels_db_spl[row], 65.0);
        for (std::size_t i = 0; i < plan.prescription.frequencies_hz.size(); ++i) {
          const double f = plan.prescription.frequencies_hz[i];
          if (f >= 0.45 * fs) continue;
          const double want = plan.prescription.insertion_gain_db[row][i], got = measured_gain_db(plan, f);
          EXPECT_NEAR(got, want, 1.0) << who << " " << prescription_name(rule) << " at " << f << " Hz, " << fs << " Hz";
          worst_db = std::max(worst_db, std::abs(got - want));
        }
      }
    }
  }
  RecordProperty("worst_insertion_gain_error_db", std::to_string(worst_db));
}

// The streaming filter is the designed one (its DTFT), and its delay is half its length.
TEST(HearingAid, TheEqualiserIsLinearPhaseWithTheReportedDelay) {
  const HearingAidPlan plan = design_hearing_aid(AidSettings{PrescriptionRule::nal_r}, listener("N3").left.air_db_hl, 44100.0);
  const auto& h = plan.equaliser_taps;
  ASSERT_EQ(h.size() % 2, 1u);
  for (std::size_t n = 0; n < h.size(); ++n) EXPECT_FLOAT_EQ(h[n], h[h.size() - 1 - n]);
  EXPECT_EQ(plan.latency_frames, static_cast<int>(h.size() / 2));
  EXPECT_NEAR(1000.0 * plan.latency_frames / 44100.0, kAidFilterMs / 2.0, 0.05);
  // An impulse comes out as the taps, the centre tap `latency_frames` late.
  FirFilter fir;
  fir.prepare(h);
  std::vector<float> x(h.size() + 10, 0.0f), y(x.size());
  x[0] = 1.0f;
  fir.process(x.data(), y.data(), 3);  // in uneven blocks
  fir.process(x.data() + 3, y.data() + 3, static_cast<int>(x.size() - 3));
  for (std::size_t n = 0; n < h.size(); ++n) EXPECT_FLOAT_EQ(y[n], h[n]);
  EXPECT_NEAR(fir_gain_db(h, 4000.0, 44100.0), plan.prescription.gain_db(0, 4000.0), 1.0);
}

// The engine removes the aid's delay with the model's: the aided output lines up with the unaided
// one (the lag of their cross-correlation peak is 0) and is louder by about the aid's gain.
TEST(HearingAid, AidedRenderStaysAlignedWithTheInput) {
  const double fs = 16000.0;
  std::vector<float> clicks(static_cast<std::size_t>(fs), 0.0f);
  for (std::size_t i = 2000; i < clicks.size(); i += 3001) clicks[i] = 0.5f;
  HearingLossParams params;
  params.sample_rate_hz = fs;
  params.calibration_db_spl = 100.0;
  const Listener unaided = listener("N3");
  const auto aided = with_aids(unaided, parse_aid_spec("nal-r").value());
  ASSERT_TRUE(aided);
  const std::vector<float> a = render(clicks, aided.value(), params), u = render(clicks, unaided, params);
  ASSERT_EQ(a.size(), clicks.size());
  int best_lag = 999;
  double best = -1.0;
  for (int lag = -200; lag <= 200; ++lag) {
    double c = 0.0;
    for (std::size_t i = 300; i + 300 < a.size(); ++i) c += double(a[i]) * u[static_cast<std::size_t>(int(i) + lag)];
    if (c > best) best = c, best_lag = lag;
  }
  EXPECT_EQ(best_lag, 0);
  EXPECT_GT(rms_db(a, 0), rms_db(u, 0) + 5.0);
}

// Aided against unaided for N3, corpus speech at 55 dB SPL (soft speech): the aid raises the SII.
TEST(HearingAid, AidedSpeechAt55DbSplHasAHigherSii) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "set EARSHOT_CORPUS to score corpus speech";
  double fs = 0.0;
  const std::vector<float> speech = read_mono(*corpus / "speech" / "cmu_arctic_aew_a0001_M_en.wav", &fs);
  ActiveSpeechLevelMeter meter(fs);
  meter.add(speech.data(), speech.size());
  const double calibration_db_spl = 55.0 - meter.result().active_db;  // active speech at 55 dB SPL
  const Listener n3 = listener("N3");
  for (PrescriptionRule rule : {PrescriptionRule::nal_r, PrescriptionRule::fig6}) {
    HearingAidProcessor aid;
    aid.prepare(std::make_shared<const HearingAidPlan>(design_hearing_aid(AidSettings{rule}, n3.left.air_db_hl, fs)));
    std::vector<float> aided(speech.size());
    aid.process(speech.data(), aided.data(), static_cast<int>(speech.size()));
    SiiRequest r;
    r.listener = n3;
    r.speech = SiiSignal{{speech.data()}, speech.size(), fs, calibration_db_spl, std::nullopt, {}};
    const auto unaided_sii = score_sii(r);
    r.speech = SiiSignal{{aided.data()}, aided.size(), fs, calibration_db_spl, std::nullopt, {}};
    const auto aided_sii = score_sii(r);
    ASSERT_TRUE(unaided_sii && aided_sii);
    const double u = unaided_sii.value().ears[0].sii, a = aided_sii.value().ears[0].sii;
    EXPECT_GT(a, u + 0.1) << prescription_name(rule) << ": unaided " << u << ", aided " << a;
    RecordProperty(rule == PrescriptionRule::nal_r ? "sii_55db_nal_r" : "sii_55db_fig6", std::to_string(u) + " -> " + std::to_string(a));
  }
}

// A live engine's latency is fixed for listeners without an aid (README, limits): an aided
// listener is refused with the latency it would need, not rendered misaligned.
TEST(HearingAid, ALiveEngineRefusesAnAidItsLatencyCannotHold) {
  LiveEngineSpec spec;
  spec.hearing.sample_rate_hz = 44100.0;
  LiveEngine live;
  ASSERT_TRUE(live.prepare(spec, listener("N3")).empty());
  Listener aided = listener("N3");
  aided.left.aid = aided.right.aid = AidSettings{};
  const SpecErrors refused = live.set_listener(aided, 0.0);
  ASSERT_FALSE(refused.empty());
  EXPECT_NE(refused.front().message.find("latency"), std::string::npos) << describe(refused);
}

TEST(HearingAid, AidSpecGrammar) {
  const auto both = parse_aid_spec("fig6");
  ASSERT_TRUE(both);
  EXPECT_EQ(both.value().left->prescription, PrescriptionRule::fig6);
  EXPECT_EQ(both.value().right->prescription, PrescriptionRule::fig6);
  const auto left = parse_aid_spec("left=nal-r");
  ASSERT_TRUE(left);
  EXPECT_TRUE(left.value().left.has_value());
  EXPECT_FALSE(left.value().right.has_value());
  for (const char* bad : {"", "nal-nl2", "left=nal-r,left=pogo", "middle=nal-r", "left=nal-r,pogo"}) {
    const auto r = parse_aid_spec(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.errors().front().field, "aid") << bad;
  }
  // A bimodal listener: the aid on the acoustic ear only; on the implanted ear it is an error.
  const Listener bimodal = listener("left=N3,right=ci:nucleus-ace");
  EXPECT_TRUE(with_aids(bimodal, left.value()));
  const auto wrong = with_aids(bimodal, both.value());
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.errors().front().field, "right.aid");
}

}  // namespace
}  // namespace earshot::test

namespace earshot::test {
namespace {

// The equaliser's AVX2 + FMA copy (dsp/simd_path.hpp) gives the baseline's output to float
// rounding (FMA rounds once where the baseline rounds twice).
TEST(HearingAid, EqualiserSimdPathsAgree) {
  if (!simd_path_available(SimdPath::avx2)) GTEST_SKIP() << "this CPU has no AVX2 + FMA";
  const HearingAidPlan plan = design_hearing_aid(AidSettings{PrescriptionRule::nal_r}, listener("S2").left.air_db_hl, 44100.0);
  const std::vector<float> in = tone(3000.0, 80.0, 44100.0, 0.1);
  std::vector<float> out[2];
  int i = 0;
  for (SimdPath path : {SimdPath::baseline, SimdPath::avx2}) {
    force_simd_path(path);
    FirFilter fir;
    fir.prepare(plan.equaliser_taps);
    force_simd_path(std::nullopt);
    out[i].resize(in.size());
    fir.process(in.data(), out[i].data(), static_cast<int>(in.size()));
    ++i;
  }
  double largest = 0.0, peak = 0.0;
  for (std::size_t n = 0; n < in.size(); ++n) {
    largest = std::max(largest, double(std::abs(out[0][n] - out[1][n])));
    peak = std::max(peak, double(std::abs(out[0][n])));
  }
  EXPECT_GT(peak, 0.1);
  EXPECT_LT(largest, 1e-5 * peak);
}

}  // namespace
}  // namespace earshot::test
