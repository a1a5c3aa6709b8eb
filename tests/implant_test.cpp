// Cochlear implants: the sound processor (which electrode fires, n-of-m, switched-off electrodes,
// levels), the auralization (envelope fidelity, place, current spread, level), alignment,
// determinism, residual hearing, the channel-count trend on real speech, and bad maps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <map>
#include <numbers>
#include <random>

#include "dsp/butterworth.hpp"
#include "dsp/real_fft.hpp"
#include "dsp/simd_path.hpp"
#include "audiology/cochlear_place.hpp"
#include "implant/electrodogram.hpp"
#include "model/implant_presets.hpp"
#include "formats/listener_spec_parser.hpp"
#include "implant/implant_sound_processor.hpp"
#include "implant/n_of_m_selector.hpp"
#include "audiology/loudness_growth.hpp"
#include "metrics/stoi.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

constexpr double kFs = 16000.0;
constexpr double kCal = 100.0;

ImplantMap preset_map(const char* name) { return implant_preset(name).value().map; }

std::shared_ptr<const ImplantPlan> plan_for(const ImplantMap& map, double fs = kFs, unsigned seed = 1) {
  auto plan = design_implant(map, {fs, kCal, seed});
  EXPECT_TRUE(plan.ok()) << (plan.ok() ? "" : describe(plan.errors()));
  return std::make_shared<const ImplantPlan>(std::move(plan).value());
}

Listener implanted(const ImplantMap& map) {
  EarProfile ear;
  ear.label = "test map";
  ear.air_db_hl = deaf_ear_audiogram();
  ear.implant = map;
  return Listener{ear, ear};
}

std::vector<float> render_implant(const std::vector<float>& x, const ImplantMap& map, unsigned seed = 1, double fs = kFs) {
  HearingLossParams params;
  params.sample_rate_hz = fs;
  params.calibration_db_spl = kCal;
  params.seed = seed;
  return render(x, implanted(map), params);
}

// Every stimulation frame of a signal, through the real-time sound processor.
template <class F>
void for_each_frame(std::shared_ptr<const ImplantPlan> plan, const std::vector<float>& x, F&& f) {
  ImplantSoundProcessor sp;
  sp.prepare(plan);
  for (std::size_t done = 0; done < x.size();) {
    const int n = static_cast<int>(std::min<std::size_t>(sp.frames_to_next_frame(), x.size() - done));
    sp.push(x.data() + done, n);
    done += n;
    if (sp.frames_to_next_frame() == 0) f(sp.analyse());
  }
}

// Gaussian noise band-limited to [lo, hi] Hz at `level_db_spl` RMS (sum of random-phase sines 1 Hz apart).
std::vector<float> noise_band(double lo, double hi, double level_db_spl, double seconds, unsigned seed = 3) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> phase(0.0, 2.0 * std::numbers::pi);
  const std::size_t n = static_cast<std::size_t>(seconds * kFs);
  std::vector<double> y(n, 0.0);
  for (double f = std::ceil(lo); f <= hi; f += 1.0) {
    const double ph = phase(rng), w = 2.0 * std::numbers::pi * f / kFs;
    for (std::size_t i = 0; i < n; ++i) y[i] += std::sin(w * i + ph);
  }
  double ss = 0.0;
  for (double v : y) ss += v * v;
  const double g = std::pow(10.0, (level_db_spl - kCal) / 20.0) / std::sqrt(ss / n);
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(y[i] * g);
  return out;
}

// Average power spectrum (Hann frames of 4096, half overlap) from `skip_s` on.
std::vector<double> power_spectrum(const std::vector<float>& x, double skip_s = 0.3) {
  constexpr int n = 4096;
  std::vector<double> power(n / 2 + 1, 0.0);
  RealFftDouble fft(n);
  double* frame = fft.time();
  const RealFftDouble::Bin* spectrum = fft.spectrum();
  int frames = 0;
  for (std::size_t start = static_cast<std::size_t>(skip_s * kFs); start + n <= x.size(); start += n / 2, ++frames) {
    for (int i = 0; i < n; ++i) frame[i] = x[start + i] * (0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n));
    fft.forward();
    for (int k = 0; k <= n / 2; ++k) power[k] += spectrum[k][0] * spectrum[k][0] + spectrum[k][1] * spectrum[k][1];
  }
  for (double& p : power) p /= std::max(frames, 1);
  return power;
}
double bin_hz(int k) { return k * kFs / 4096.0; }

// Envelope: rectify, low-pass at 50 Hz (fourth order).
std::vector<double> envelope(const std::vector<float>& x) {
  Biquad a = butterworth_lowpass2(50.0, kFs), b = a;
  std::vector<double> e(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) e[i] = b.step(a.step(std::abs(x[i])));
  return e;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b, std::size_t from, std::size_t to) {
  double ma = 0, mb = 0;
  for (std::size_t i = from; i < to; ++i) ma += a[i], mb += b[i];
  ma /= (to - from), mb /= (to - from);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = from; i < to; ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

double level_db(const std::vector<float>& x, double skip_s = 0.3) { return steady_level_db(x, kFs, kCal, skip_s); }

// ---- the sound processor --------------------------------------------------------------------

TEST(ImplantSoundProcessor, ToneInBandKDrivesElectrodeKAndNeverMoreThanNElectrodes) {
  for (const char* name : {"ci:nucleus-ace", "ci:medel-cis", "ci:ab-hires"}) {
    auto plan = plan_for(preset_map(name));
    for (std::size_t k = 0; k < plan->electrodes.size(); ++k) {
      const auto& e = plan->electrodes[k];
      const double f = std::sqrt(e.band_low_hz * std::min(e.band_high_hz, 7900.0));
      const auto x = tone(f, 55.0, kFs, 0.3, kCal);
      int frames = 0, wrong = 0;
      for_each_frame(plan, x, [&](const StimulationFrame& fr) {
        EXPECT_LE(fr.pulse_count, plan->map.maxima);
        if (fr.time_frames < 0.05 * kFs || fr.time_frames > 0.25 * kFs) return;
        ++frames;
        int strongest = -1;
        float current = 0.0f;
        for (int i = 0; i < fr.pulse_count; ++i) {
          if (fr.pulses[i].current_ua > current) current = fr.pulses[i].current_ua, strongest = fr.pulses[i].electrode;
        }
        wrong += strongest != static_cast<int>(k);
      });
      EXPECT_GT(frames, 0);
      EXPECT_EQ(wrong, 0) << name << ": a " << f << " Hz tone did not drive electrode " << e.number << " in " << wrong << " of " << frames << " frames";
    }
  }
}

TEST(ImplantSoundProcessor, NOfMNeverExceedsNOnSpeech) {
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS not set";
  double fs = 0.0;
  const auto speech = read_mono(*dir / "speech/librispeech_198-209-0000_F_en.flac", &fs);
  auto plan = plan_for(preset_map("ci:nucleus-ace"), fs);
  int frames = 0, full = 0;
  for_each_frame(plan, speech, [&](const StimulationFrame& fr) {
    ASSERT_LE(fr.pulse_count, 8);
    ++frames;
    full += fr.pulse_count == 8;
    for (int i = 1; i < fr.pulse_count; ++i) EXPECT_GT(fr.pulses[i - 1].electrode, fr.pulses[i].electrode) << "basal first";
  });
  EXPECT_GT(full, frames / 4) << "speech at 65 dB SPL fills the 8 maxima often";
}

// The CIS filterbank (implant/band_envelope_bank.hpp) runs a copy compiled for AVX2 (four bands
// a group) or AVX-512 (eight) where the CPU has it; each does the baseline copy's IEEE operations
// in the same order (no fused multiply-adds), so every band's envelope and every pulse is bit for
// bit the same on every path.
TEST(ImplantSoundProcessor, CisFilterbankGivesTheSameBitsOnBothInstructionSets) {
  if (!simd_path_available(SimdPath::avx2)) GTEST_SKIP() << "this CPU has no AVX2: only the baseline path runs";
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS not set";
  double fs = 0.0;
  const auto speech = read_mono(*dir / "speech/librispeech_198-209-0000_F_en.flac", &fs);
  for (const char* name : {"ci:medel-cis", "vocoder:noise-8"}) {
    auto plan = plan_for(preset_map(name), fs);
    auto frames_on = [&](SimdPath path) {
      force_simd_path(path);
      std::vector<float> out;
      for_each_frame(plan, speech, [&](const StimulationFrame& fr) {
        out.insert(out.end(), fr.envelopes, fr.envelopes + plan->electrodes.size());
        for (int i = 0; i < fr.pulse_count; ++i) out.push_back(fr.pulses[i].current_ua);
      });
      force_simd_path(std::nullopt);
      return out;
    };
    const auto base = frames_on(SimdPath::baseline);
    EXPECT_GT(base.size(), 1000u) << name;
    for (SimdPath path : {SimdPath::avx2, SimdPath::avx512}) {
      if (!simd_path_available(path)) continue;
      const auto wide = frames_on(path);
      ASSERT_EQ(base.size(), wide.size()) << name << ", " << simd_path_name(path);
      EXPECT_TRUE(std::equal(base.begin(), base.end(), wide.begin())) << name << ", " << simd_path_name(path);
    }
  }
}

// n-of-m selection (implant/n_of_m_selector.hpp) counts the bands above each band instead of
// running a selection algorithm; it must choose what std::nth_element chooses under the stated
// order (larger envelope first, ties to the more apical band), basal first, including ties, zeros,
// negative envelopes (a rectifier's smoothed output can dip below zero) and all-equal frames.
TEST(ImplantSoundProcessor, NOfMSelectorChoosesWhatASelectionAlgorithmChooses) {
  std::mt19937 rng(7);
  for (SimdPath path : {SimdPath::baseline, SimdPath::avx2}) {
    if (!simd_path_available(path)) continue;
    force_simd_path(path);
    for (int bands : {1, 5, 8, 9, 12, 22, 23}) {
      for (int maxima : {1, 4, 8, 12, 22}) {
        NOfMSelector selector;
        selector.prepare(bands, maxima);
        std::uniform_int_distribution<int> level(-3, 6);  // few distinct values: many ties
        for (int trial = 0; trial < 200; ++trial) {
          std::vector<float> env(bands);
          for (float& e : env) e = trial == 0 ? 1.0f : 0.25f * static_cast<float>(level(rng));
          std::vector<int> expected(bands);
          for (int b = 0; b < bands; ++b) expected[b] = b;
          const int n = std::min(maxima, bands);
          std::nth_element(expected.begin(), expected.begin() + n - 1, expected.end(), [&](int a, int b) {
            return env[a] > env[b] || (env[a] == env[b] && a < b);
          });
          expected.resize(n);
          std::sort(expected.begin(), expected.end(), [](int a, int b) { return a > b; });
          std::vector<int> chosen(bands, -1);
          const int count = selector.select(env.data(), chosen.data());
          chosen.resize(count);
          ASSERT_EQ(chosen, expected) << simd_path_name(path) << ", " << maxima << " of " << bands << ", trial " << trial;
        }
      }
    }
  }
  force_simd_path(std::nullopt);
}

// ACE's selection and every carrier's mix in the auralizer run copies compiled for AVX2 where
// the CPU has it (no fused multiply-adds): the implant's sound is bit for bit the same on both.
TEST(ImplantAuralization, EveryCarrierGivesTheSameBitsOnBothInstructionSets) {
  if (!simd_path_available(SimdPath::avx2)) GTEST_SKIP() << "this CPU has no AVX2: only the baseline path runs";
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS not set";
  double fs = 0.0;
  auto speech = read_mono(*dir / "speech/librispeech_198-209-0000_F_en.flac", &fs);
  speech.resize(std::min<std::size_t>(speech.size(), static_cast<std::size_t>(4.0 * fs)));
  for (const char* name : {"ci:nucleus-ace", "ci:medel-cis"}) {
    for (Carrier carrier : {Carrier::noise, Carrier::harmonic, Carrier::sine, Carrier::pulsatile}) {
      ImplantMap map = preset_map(name);
      map.carrier = carrier;
      auto render_on = [&](SimdPath path) {
        force_simd_path(path);
        auto y = render_implant(speech, map, 1, fs);
        force_simd_path(std::nullopt);
        return y;
      };
      const auto base = render_on(SimdPath::baseline), wide = render_on(SimdPath::avx2);
      ASSERT_EQ(base.size(), wide.size()) << name;
      float peak = 0.0f;
      for (float v : base) peak = std::max(peak, std::abs(v));
      EXPECT_GT(peak, 1e-3f) << name << ": the implant is heard";
      EXPECT_TRUE(std::equal(base.begin(), base.end(), wide.begin())) << name << ", carrier " << static_cast<int>(carrier);
    }
  }
}

TEST(ImplantSoundProcessor, SwitchedOffElectrodesNeverFireAndTheirBandsAreRedistributed) {
  ImplantMap map = preset_map("ci:nucleus-ace");
  map.switched_off = {10, 11};
  auto plan = plan_for(map);
  ASSERT_EQ(plan->electrodes.size(), 20u);
  EXPECT_NEAR(plan->electrodes.front().band_low_hz, 187.5, 1e-9);
  EXPECT_NEAR(plan->electrodes.back().band_high_hz, 7937.5, 1e-9);
  // A sweep of loud tones over the whole range.
  std::vector<float> x;
  for (double f = 200.0; f < 7800.0; f *= 1.05) {
    const auto t = tone(f, 60.0, kFs, 0.03, kCal);
    x.insert(x.end(), t.begin(), t.end());
  }
  const auto pulses = electrodogram(plan, x);
  ASSERT_GT(pulses.size(), 1000u);
  std::map<int, int> per_electrode;
  for (const auto& p : pulses) ++per_electrode[p.number];
  EXPECT_EQ(per_electrode.count(10), 0u);
  EXPECT_EQ(per_electrode.count(11), 0u);
  EXPECT_EQ(per_electrode.size(), 20u) << "every active electrode fires for some tone";
}

TEST(ImplantSoundProcessor, LevelsMapThroughTheInputDynamicRange) {
  auto plan = plan_for(preset_map("ci:nucleus-ace"));
  const auto& e = plan->electrodes[10];
  const double f = std::sqrt(e.band_low_hz * e.band_high_hz);
  auto strongest = [&](double level) {
    float top = 0.0f;
    for (const auto& p : electrodogram(plan, tone(f, level, kFs, 0.3, kCal))) {
      if (p.time_s > 0.1) top = std::max(top, p.current_ua);
    }
    return top;
  };
  EXPECT_EQ(strongest(15.0), 0.0f) << "below the 25 dB SPL floor nothing fires";
  const float mid = strongest(45.0), top = strongest(70.0);
  EXPECT_GT(mid, e.threshold_ua);
  EXPECT_LT(mid, e.comfort_ua);
  EXPECT_NEAR(top, e.comfort_ua, 1.0) << "above the 65 dB SPL top: comfort level";
}

TEST(LoudnessGrowth, QTwentyOverFortyDbIsTheNucleusSteepness) {
  // Swanson's Nucleus MATLAB Toolbox: Q = 20 over a 40 dB range gives alpha = 340.83.
  EXPECT_NEAR(loudness_growth_alpha(20.0, 40.0), 340.83, 0.05);
  LoudnessGrowth g{0.01, 1.0, 340.83};
  EXPECT_NEAR(g.proportion(std::pow(10.0, -0.5)), 0.80, 1e-3);
  for (double u : {0.02, 0.1, 0.5, 1.0}) EXPECT_NEAR(g.envelope(g.proportion(u)), u, 1e-9);
  EXPECT_LT(g.proportion(0.005), 0.0);
}

TEST(Butterworth, BandPassIsThreeDbDownAtItsEdgesAndUnityAtItsCentre) {
  const auto bp = butterworth_bandpass(3, 500.0, 1000.0, kFs);
  EXPECT_NEAR(20 * std::log10(magnitude_response(bp, 500.0, kFs)), -3.01, 0.05);
  EXPECT_NEAR(20 * std::log10(magnitude_response(bp, 1000.0, kFs)), -3.01, 0.05);
  EXPECT_LT(20 * std::log10(magnitude_response(bp, 2000.0, kFs)), -30.0);
  const auto wide = butterworth_bandpass(3, 200.0, 7000.0, kFs);  // real poles
  EXPECT_NEAR(20 * std::log10(magnitude_response(wide, 200.0, kFs)), -3.01, 0.1);
  EXPECT_NEAR(20 * std::log10(magnitude_response(wide, 7000.0, kFs)), -3.01, 0.1);
}

// ---- the auralization -----------------------------------------------------------------------

TEST(ImplantAuralization, EnvelopeAtTheElectrodesPlaceFollowsTheInputEnvelope) {
  for (const char* name : {"ci:nucleus-ace", "ci:medel-cis"}) {
    ImplantMap map = preset_map(name);
    auto plan = plan_for(map);
    const auto& e = plan->electrodes[plan->electrodes.size() / 2];
    for (double fm : {4.0, 8.0, 16.0}) {
      auto x = noise_band(e.band_low_hz, e.band_high_hz, 55.0, 2.0);
      std::vector<double> modulator(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        modulator[i] = 1.0 + 0.9 * std::sin(2.0 * std::numbers::pi * fm * i / kFs);
        x[i] = static_cast<float>(x[i] * modulator[i]);
      }
      auto y = render_implant(x, map);
      // What reaches the electrode's own region of the cochlea.
      const double lo = greenwood_frequency_hz(e.region_apical_mm), hi = greenwood_frequency_hz(e.region_basal_mm);
      auto bp = butterworth_bandpass(3, lo, std::min(hi, 7500.0), kFs);
      for (float& v : y) {
        double s = v;
        for (auto& q : bp) s = q.step(s);
        v = static_cast<float>(s);
      }
      const double r = correlation(envelope(y), envelope(x), static_cast<std::size_t>(0.3 * kFs), x.size() - 1000);
      std::printf("%-15s electrode %2d, %2.0f Hz modulation: r = %.3f\n", name, e.number, fm, r);
      EXPECT_GE(r, 0.9) << name << " electrode " << e.number << " at " << fm << " Hz modulation";
    }
  }
}

TEST(ImplantAuralization, InsertionShiftMovesABandToTheGreenwoodFrequencyOfItsNewPlace) {
  for (double shift : {0.0, 3.0, 6.0}) {
    ImplantMap map = preset_map("ci:ab-hires");
    map.insertion_depth_mm = 25.0 - shift;
    auto plan = plan_for(map);
    const int k = 8;
    const auto& e = plan->electrodes[k];
    const auto y = render_implant(noise_band(e.band_low_hz, e.band_high_hz, 60.0, 1.5), map);
    // The place that splits the output power in half.
    const auto power = power_spectrum(y);
    double total = 0.0, running = 0.0, median_hz = 0.0;
    for (double p : power) total += p;
    for (std::size_t b = 0; b < power.size(); ++b) {
      running += power[b];
      if (running >= total / 2) {
        median_hz = bin_hz(static_cast<int>(b));
        break;
      }
    }
    const double expected = greenwood_frequency_hz(25.0 - shift - k * 1.1);
    EXPECT_NEAR(e.place_hz, expected, 1e-6 * expected);
    std::printf("shift %.0f mm: band %d's output centred at %.0f Hz, its new place %.0f Hz\n", shift, k + 1, median_hz, expected);
    EXPECT_LT(std::abs(std::log2(median_hz / expected)), 0.25)
        << "shift " << shift << " mm: output at " << median_hz << " Hz, place " << expected << " Hz";
  }
}

TEST(ImplantAuralization, CurrentSpreadShowsAsItsSlopeInASingleElectrodesSpectrum) {
  for (double spread : {2.0, 4.0, 8.0}) {
    ImplantMap map = preset_map("ci:nucleus-ace");
    map.maxima = 1;  // one electrode only
    map.spread_db_per_mm = spread;
    auto plan = plan_for(map);
    const auto& e = plan->electrodes[12];
    const auto y = render_implant(tone(std::sqrt(e.band_low_hz * e.band_high_hz), 60.0, kFs, 2.0, kCal), map);
    const auto power = power_spectrum(y);
    // Regression of level (dB) on distance beyond the region, 1 to 5 mm, on both sides.
    for (int side : {-1, 1}) {
      double sx = 0, sy = 0, sxx = 0, sxy = 0;
      int n = 0;
      for (std::size_t b = 1; b < power.size() - 1; ++b) {
        const double depth = greenwood_depth_mm(bin_hz(static_cast<int>(b)));
        const double d = side > 0 ? e.region_basal_mm - depth : depth - e.region_apical_mm;
        if (d < 1.0 || d > 5.0 || bin_hz(static_cast<int>(b)) > 7500.0) continue;
        const double level = 10.0 * std::log10(power[b] + 1e-30);
        sx += d, sy += level, sxx += d * d, sxy += d * level;
        ++n;
      }
      ASSERT_GT(n, 10);
      const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
      std::printf("spread %.0f dB/mm: %s slope %.2f dB/mm\n", spread, side > 0 ? "basal " : "apical", -slope);
      EXPECT_NEAR(-slope, spread, 0.2 * spread) << (side > 0 ? "basal" : "apical") << " side, " << spread << " dB/mm";
    }
  }
}

TEST(ImplantAuralization, ADeadRegionExcitesNothing) {
  ImplantMap map = preset_map("ci:nucleus-ace");
  map.maxima = 1;
  auto plan = plan_for(map);
  const auto& e = plan->electrodes[12];
  const double lo = greenwood_frequency_hz(e.region_apical_mm), hi = greenwood_frequency_hz(e.region_basal_mm);
  const auto x = tone(std::sqrt(e.band_low_hz * e.band_high_hz), 60.0, kFs, 1.5, kCal);
  auto in_region = [&](const ImplantMap& m) {
    const auto power = power_spectrum(render_implant(x, m));
    double sum = 0.0;
    for (std::size_t b = 0; b < power.size(); ++b) {
      if (bin_hz(static_cast<int>(b)) > lo + 20.0 && bin_hz(static_cast<int>(b)) < hi - 20.0) sum += power[b];
    }
    return 10.0 * std::log10(sum + 1e-30);
  };
  const double alive = in_region(map);
  map.dead_regions_hz = {{lo, hi}};
  EXPECT_LT(in_region(map), alive - 50.0) << "the electrode's own region is dead";
}

TEST(ImplantSoundProcessor, FrontEndLimiterHoldsLoudSoundsAtItsKnee) {
  for (bool agc : {true, false}) {
    ImplantMap map = preset_map("ci:nucleus-ace");
    map.agc = agc;
    auto plan = plan_for(map);
    const auto& e = plan->electrodes[12];
    float envelope = 0.0f;
    for_each_frame(plan, tone(std::sqrt(e.band_low_hz * e.band_high_hz), 95.0, kFs, 0.5, kCal), [&](const StimulationFrame& f) {
      if (f.time_frames > 0.3 * kFs) envelope = std::max(envelope, f.envelopes[12]);
    });
    // The band reads the tone less Hann-window leakage into its neighbours (about 1 dB here).
    EXPECT_NEAR(20 * std::log10(envelope) + kCal, agc ? map.agc_knee_db_spl : 95.0, 2.0) << (agc ? "limited" : "off");
  }
}

TEST(ImplantSoundProcessor, PreEmphasisIsFirstOrderAndUnityAtOneKilohertz) {
  ImplantMap map = preset_map("ci:nucleus-ace");
  map.pre_emphasis_hz = 1200.0;
  auto plan = plan_for(map);
  ASSERT_TRUE(plan->pre_emphasis);
  const std::vector<Biquad> h{plan->pre_emphasis_filter};
  EXPECT_NEAR(magnitude_response(h, 1000.0, kFs), 1.0, 1e-9);
  // Below the corner it falls 6 dB per octave: 250 -> 125 Hz.
  EXPECT_NEAR(20 * std::log10(magnitude_response(h, 250.0, kFs) / magnitude_response(h, 125.0, kFs)), 6.0, 0.3);
  EXPECT_LT(20 * std::log10(magnitude_response(h, 6000.0, kFs) / magnitude_response(h, 3000.0, kFs)), 1.5);
}

TEST(ImplantAuralization, ABandCentreToneInTheRangeComesOutAtItsLevel) {
  for (Carrier carrier : {Carrier::noise, Carrier::sine, Carrier::harmonic, Carrier::pulsatile}) {
    ImplantMap map = preset_map("ci:nucleus-ace");
    map.carrier = carrier;
    map.spread_db_per_mm = 20.0;  // the level of the electrode's own band
    auto plan = plan_for(map);
    const auto& e = plan->electrodes[12];
    const double f = std::sqrt(e.band_low_hz * e.band_high_hz);
    // A periodic pulse train's power lies on harmonics of the rate, and how many fall inside the
    // electrode's region decides its level: pulsatile is looser.
    const double tolerance = carrier == Carrier::pulsatile ? 4.0 : 2.0;
    const double mid = level_db(render_implant(tone(f, 55.0, kFs, 1.0, kCal), map));
    const double top = level_db(render_implant(tone(f, 72.0, kFs, 1.0, kCal), map));
    std::printf("%-10s 55 dB SPL tone -> %.1f dB SPL; 72 dB SPL -> %.1f dB SPL\n", to_string(carrier), mid, top);
    EXPECT_NEAR(mid, 55.0, tolerance) << to_string(carrier);
    EXPECT_NEAR(top, 65.0, tolerance) << to_string(carrier) << ": saturates at the top of the range";
    const auto quiet = render_implant(tone(f, 15.0, kFs, 1.0, kCal), map);
    EXPECT_EQ(*std::max_element(quiet.begin(), quiet.end()), 0.0f) << "below the floor: silence";
  }
}

TEST(ImplantAuralization, PulsatileCarrierFiresAtTheStimulationRate) {
  ImplantMap map = preset_map("ci:nucleus-ace");
  auto plan = plan_for(map);
  const auto& e = plan->electrodes[5];
  const auto pulses = electrodogram(plan, tone(std::sqrt(e.band_low_hz * e.band_high_hz), 60.0, kFs, 1.0, kCal));
  int on_electrode = 0;
  for (const auto& p : pulses) on_electrode += p.electrode == 5 && p.time_s >= 0.1 && p.time_s < 0.9;
  EXPECT_NEAR(on_electrode / 0.8, 900.0, 900.0 * 0.01);
}

TEST(ImplantAuralization, OutputIsTimeAlignedWithTheInput) {
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS not set";
  double fs = 0.0;
  const auto speech = read_mono(*dir / "speech/cmu_arctic_aew_a0001_M_en.wav", &fs);
  ASSERT_EQ(fs, kFs);
  for (const char* name : {"ci:nucleus-ace", "ci:medel-cis", "ci:ab-hires", "vocoder:noise-8", "vocoder:sine-8"}) {
    for (Carrier carrier : {Carrier::noise, Carrier::pulsatile}) {
      ImplantMap map = preset_map(name);
      if (std::string(name).starts_with("ci:")) map.carrier = carrier;
      const auto y = render_implant(speech, map);
      ASSERT_EQ(y.size(), speech.size());
      const auto ex = envelope(speech), ey = envelope(y);
      int best = 0;
      double best_r = -1.0;
      for (int lag = -320; lag <= 320; lag += 8) {  // +-20 ms
        std::vector<double> shifted(ey.size(), 0.0);
        for (std::size_t i = 0; i < ey.size(); ++i) {
          const long j = static_cast<long>(i) + lag;
          if (j >= 0 && j < static_cast<long>(ey.size())) shifted[i] = ey[j];
        }
        const double r = correlation(ex, shifted, 800, ex.size() - 800);
        if (r > best_r) best_r = r, best = lag;
      }
      // Within half the 8 ms analysis window (the FFT's envelope rises before the window's centre).
      std::printf("%-16s %-9s output envelope delay %+.1f ms\n", name, to_string(carrier), best / 16.0);
      EXPECT_LE(std::abs(best), 64) << name << " " << to_string(carrier) << ": envelope lags by " << best / 16.0 << " ms";
    }
  }
}

TEST(ImplantAuralization, SameSeedSameOutputOtherSeedOtherNoise) {
  const auto x = noise_band(300.0, 4000.0, 60.0, 0.5);
  for (Carrier carrier : {Carrier::noise, Carrier::harmonic, Carrier::pulsatile, Carrier::sine}) {
    ImplantMap map = preset_map("ci:nucleus-ace");
    map.carrier = carrier;
    const auto a = render_implant(x, map, 7), b = render_implant(x, map, 7), c = render_implant(x, map, 8);
    EXPECT_EQ(a, b) << to_string(carrier);
    if (carrier == Carrier::noise || carrier == Carrier::harmonic) {
      EXPECT_NE(a, c) << to_string(carrier);
    }
  }
}

// ---- residual hearing -----------------------------------------------------------------------

TEST(ResidualHearing, BimodalEarsAreAlignedAndTheNormalEarIsUntouched) {
  const auto x = noise_band(200.0, 6000.0, 65.0, 0.5);
  HearingLossParams params;
  params.sample_rate_hz = kFs;
  params.calibration_db_spl = kCal;
  EngineSpec spec;
  spec.listener = listener("left=ci:medel-cis,right=normal");
  spec.hearing = params;
  auto plan = design_engine(spec);
  ASSERT_TRUE(plan.ok());
  const auto out = render_offline(std::make_shared<const EnginePlan>(std::move(plan).value()), {x});
  ASSERT_EQ(out.size(), 2u);
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(out[1][i], x[i], 1e-5) << "normal ear, frame " << i;
  EXPECT_NEAR(level_db(out[0], 0.1), 65.0, 3.0) << "implanted ear hears it at about its level";
}

TEST(ResidualHearing, EasHearsLowTonesAcousticallyAndHighTonesThroughTheImplant) {
  const Listener eas = listener("eas:nucleus-hybrid");
  HearingLossParams params;
  params.sample_rate_hz = kFs;
  params.calibration_db_spl = kCal;
  // 250 Hz at 75 dB SPL: heard acoustically (35 dB HL there), not by the implant (bands from 500 Hz).
  const auto low = render(tone(250.0, 75.0, kFs, 1.0, kCal), eas, params);
  EXPECT_GT(level_db(low), 40.0);
  auto plan = plan_for(eas.left.implant.value());
  EXPECT_TRUE(electrodogram(plan, tone(250.0, 75.0, kFs, 0.5, kCal)).size() < 50u);
  // 3 kHz at 65 dB SPL: 110 dB HL acoustically, so only the implant conveys it.
  const auto high = render(tone(3000.0, 65.0, kFs, 1.0, kCal), eas, params);
  EXPECT_GT(level_db(high), 55.0);
  EarProfile acoustic_only = eas.left;
  acoustic_only.implant.reset();
  EXPECT_LT(level_db(render(tone(3000.0, 65.0, kFs, 1.0, kCal), Listener{acoustic_only, acoustic_only}, params)), 10.0);
}

// ---- real speech: intelligibility against the number of channels ------------------------------

TEST(VocoderSpeech, StoiRisesWithChannelsFromOneToEight) {
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS not set";
  const char* talkers[] = {"speech/librispeech_198-209-0000_F_en.flac", "speech/librispeech_5703-47212-0000_M_en.flac"};
  std::vector<double> mean(kMaxVocoderBands + 1, 0.0);
  std::printf("channels  STOI(noise)  STOI(sine)   (mean over %zu talkers)\n", std::size(talkers));
  std::vector<double> sine(kMaxVocoderBands + 1, 0.0);
  for (const char* t : talkers) {
    double fs = 0.0;
    const auto speech = read_mono(*dir / t, &fs);
    for (int n = 1; n <= 22; ++n) {
      for (int c = 0; c < 2; ++c) {
        const auto map = preset_map((std::string(c ? "vocoder:sine-" : "vocoder:noise-") + std::to_string(n)).c_str());
        HearingLossParams params;
        params.sample_rate_hz = fs;
        params.calibration_db_spl = 65.0 + 20.0;  // speech well inside the range
        const auto y = render(speech, implanted(map), params);
        const double s = stoi(speech, y, fs).value().stoi / std::size(talkers);
        (c ? sine : mean)[n] += s;
      }
    }
  }
  for (int n = 1; n <= 22; ++n) std::printf("%8d  %11.3f  %10.3f\n", n, mean[n], sine[n]);
  for (int n : {2, 4, 8}) EXPECT_GT(mean[n], mean[n / 2] + 0.01) << n << " channels";
  EXPECT_GT(mean[8], mean[1] + 0.1);
}

// ---- bad maps -------------------------------------------------------------------------------

std::string problems(const ImplantMap& map) { return describe(validate(map, "left.implant")); }

TEST(ImplantMapValidation, EachMistakeIsNamedByItsField) {
  ImplantMap m = preset_map("ci:nucleus-ace");
  EXPECT_EQ(problems(m), "");
  ImplantMap overlap = m;
  overlap.band_edges_hz[3] = overlap.band_edges_hz[2];
  EXPECT_NE(problems(overlap).find("left.implant.band_edges_hz[3]: 437.5 Hz is not above the edge before it (437.5 Hz)"), std::string::npos) << problems(overlap);
  ImplantMap maxima = m;
  maxima.maxima = 23;
  EXPECT_NE(problems(maxima).find("left.implant.maxima: 23 maxima"), std::string::npos) << problems(maxima);
  ImplantMap tc = m;
  tc.threshold_ua = {600.0};
  EXPECT_NE(problems(tc).find("left.implant.threshold_ua: threshold 600 uA is not below comfort 550 uA"), std::string::npos) << problems(tc);
  ImplantMap deep = preset_map("ci:medel-cis");
  deep.insertion_depth_mm = 38.0;
  EXPECT_NE(problems(deep).find("left.implant.insertion_depth_mm: 38 mm is deeper than the cochlea (35 mm)"), std::string::npos) << problems(deep);
  ImplantMap rate = m;
  rate.pulse_width_us = 100.0;
  rate.rate_pps = 2400.0;
  EXPECT_NE(problems(rate).find("left.implant.rate_pps: 2400 pps cannot fit"), std::string::npos) << problems(rate);
  ImplantMap off = m;
  off.switched_off = {23};
  EXPECT_NE(problems(off).find("left.implant.switched_off[0]: electrode 23 does not exist"), std::string::npos) << problems(off);
  ImplantMap outside = preset_map("ci:medel-cis");
  outside.insertion_depth_mm = 20.0;
  EXPECT_NE(problems(outside).find("outside the cochlea"), std::string::npos) << problems(outside);
}

TEST(ImplantMapValidation, UnknownImplantPresetIsAnError) {
  auto r = parse_listener_spec("ci:nucleus-xyz");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(describe(r.errors()).find("unknown implant 'ci:nucleus-xyz'"), std::string::npos);
  EXPECT_FALSE(parse_listener_spec("vocoder:noise-25").ok());
  EXPECT_TRUE(parse_listener_spec("vocoder:noise-24").ok());
}

}  // namespace
}  // namespace earshot::test
