#include "scene/implant_character.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/fast_math.hpp"
#include "dsp/fast_math_lanes.hpp"
#include "dsp/fft_size.hpp"
#include "dsp/real_fft.hpp"
#include "dsp/simd_path.hpp"

// GCC's and clang's target attribute: a second copy of the frame's spectral shaping for AVX2 + FMA
// (as dsp/fir_filter.cpp); it was a tenth of a scene's time in baseline x86-64 code.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_IMPLANT_CHARACTER_AVX2 1
#endif

namespace earshot {
namespace {

// Mode frequencies of a free-free bar relative to its first (Euler-Bernoulli beam: (beta_n L)^2
// of 4.730, 7.853, 10.996, 14.137): the inharmonic series that makes a sound "metallic".
constexpr double kBarModes[4] = {1.0, 2.7565, 5.4039, 8.9330};
// Spectral envelope: power averaged over +-150 Hz, wide enough to hide the harmonics of voices
// up to about 300 Hz F0, narrow enough to keep formants (about 100-300 Hz wide).
constexpr double kEnvelopeHalfWidthHz = 150.0;
// Formant-shift gains are limited to +-24 dB where the envelope is near empty (10^(24/20)).
constexpr float kMaxShiftGain = 15.848931924611134f;
// Harshness: +6 dB per octave above 1 kHz, at most +12 dB, at full harshness.
constexpr double kTiltStartHz = 1000.0, kTiltDbPerOctave = 6.0, kTiltMaxDb = 12.0;
// Switch-on rises over 50 ms, so the strength itself never steps.
constexpr double kOnsetS = 0.05;
// Below this (-80 dB) the character has settled: it is off and costs nothing.
constexpr double kSettled = 1e-4;

}  // namespace

ImplantCharacter::ImplantCharacter() = default;
ImplantCharacter::~ImplantCharacter() = default;
ImplantCharacter::ImplantCharacter(ImplantCharacter&&) noexcept = default;
ImplantCharacter& ImplantCharacter::operator=(ImplantCharacter&&) noexcept = default;

SpecErrors validate(const ImplantCharacterParams& p, double fs, const std::string& field) {
  SpecErrors e;
  auto in = [&](const char* key, double v, double lo, double hi, const char* unit) {
    if (!(v >= lo && v <= hi)) {
      e.push_back({field + "." + key, format_number(v) + unit + " is outside " + format_number(lo) + "..." + format_number(hi) + unit});
    }
  };
  in("start_s", p.start_s, 0.0, 1e6, " s");
  in("acclimatisation_s", p.acclimatisation_s, 0.1, 1e6, " s");
  in("formant_shift_semitones", p.formant_shift_semitones, -12.0, 12.0, " semitones");
  in("pitch_flattening", p.pitch_flattening, 0.0, 1.0, "");
  in("harshness", p.harshness, 0.0, 1.0, "");
  in("metallic", p.metallic, 0.0, 1.0, "");
  in("monotone_hz", p.monotone_hz, 60.0, 400.0, " Hz");
  in("metallic_hz", p.metallic_hz, 200.0, std::min(4000.0, 0.4 * fs), " Hz");
  in("ring_ms", p.ring_ms, 10.0, 1000.0, " ms");
  return e;
}

double implant_character_strength(const ImplantCharacterParams& p, double t) {
  if (t < p.start_s) return 0.0;
  const double since = t - p.start_s;
  const double s = std::min(1.0, since / kOnsetS) * std::exp(-since / p.acclimatisation_s);
  return s < kSettled ? 0.0 : s;
}

int ImplantCharacter::latency_frames_for(const ImplantCharacterParams& p, double fs) {
  // The hop is one period of the monotone: zero-phase frames, one per hop, sound at fs / hop.
  // The hop is the period's nearest whole number of frames whose window (4 hops) FFTW transforms
  // with codelets alone (dsp/fft_size.hpp: a larger prime factor makes FFTW allocate on every
  // transform). The monotone sounds within 1.5 % of its setting from 60 to 200 Hz at 44.1 to
  // 192 kHz (110 Hz: 110.25 Hz at 44.1 kHz, 109.1 Hz at 48 kHz), within 2.3 % up to 400 Hz, and
  // within 4.6 % at 8 to 32 kHz.
  return 4 * nearest_thirteen_smooth(fs / p.monotone_hz, 4, 16);
}

void ImplantCharacter::prepare(const ImplantCharacterParams& params, double fs) {
  params_ = params;
  sample_rate_hz_ = fs;
  fft_size_ = latency_frames_for(params, fs);
  avx2_ = simd_path() == SimdPath::avx2;
  hop_ = fft_size_ / 4;
  bins_ = fft_size_ / 2 + 1;
  fft_ = std::make_unique<RealFft>(fft_size_);
  window_.resize(fft_size_);
  synthesis_window_.resize(fft_size_);
  for (int i = 0; i < fft_size_; ++i) {
    const double hann = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / fft_size_);
    window_[i] = static_cast<float>(hann);
    // Hann analysis and synthesis at a quarter-window hop overlap-add to 3/2; FFTW's inverse is unscaled.
    synthesis_window_[i] = static_cast<float>(hann * (2.0 / 3.0) / fft_size_);
  }
  const double bin_hz = fs / fft_size_;
  smoothing_bins_ = std::max(1, static_cast<int>(std::lround(kEnvelopeHalfWidthHz / bin_hz)));
  power_prefix_.assign(bins_ + 1, 0.0);
  envelope_.assign(bins_, 0.0f);
  // Padded to whole lanes (the tilt's loop runs over lanes; the pad's gains are never used).
  const int padded = (bins_ + kFloatLanes - 1) / kFloatLanes * kFloatLanes;
  tilt_db_per_unit_.assign(padded, 0.0f);
  gain_.assign(padded, 1.0f);
  for (int k = 0; k < bins_; ++k) {
    const double f = k * bin_hz;
    if (f > kTiltStartHz) tilt_db_per_unit_[k] = static_cast<float>(std::min(kTiltMaxDb, kTiltDbPerOctave * std::log2(f / kTiltStartHz)));
  }
  input_.assign(fft_size_, 0.0f);
  accumulator_.assign(fft_size_, 0.0f);
  ready_.assign(hop_, 0.0f);
  resonators_ = {};
  // Two-pole resonators, radius from the 60 dB ring time, each scaled to unit gain at its mode.
  const double r = std::pow(10.0, -3.0 / (params.ring_ms * 1e-3 * fs));
  for (double ratio : kBarModes) {
    const double f = params.metallic_hz * ratio;
    if (f >= 0.45 * fs) break;
    Biquad s;
    s.b0 = 1.0;
    s.b1 = s.b2 = 0.0;
    s.a1 = -2.0 * r * std::cos(2.0 * std::numbers::pi * f / fs);
    s.a2 = r * r;
    s.b0 = 1.0 / magnitude_response({s}, f, fs);
    const int m = resonators_.count++;
    resonators_.b0[m] = s.b0;
    resonators_.a1[m] = s.a1;
    resonators_.a2[m] = s.a2;
  }
  reset();
}

void ImplantCharacter::reset() noexcept {
  std::fill(input_.begin(), input_.end(), 0.0f);
  std::fill(accumulator_.begin(), accumulator_.end(), 0.0f);
  std::fill(ready_.begin(), ready_.end(), 0.0f);
  resonators_.reset();
  position_ = 0;
}

void ImplantCharacter::process(const float* in, float* out, int frames, std::int64_t first_frame) noexcept {
  const double fs = sample_rate_hz_;
  const double latency_s = fft_size_ / fs;
  int done = 0;
  while (done < frames) {
    const int take = std::min(hop_ - position_, frames - done);
    // The output leaving now was taken in fft_size frames ago: its strength is the one at that
    // time, taken once per hop (at the hop's first frame) whatever the calls' sizes.
    const std::int64_t hop_start = first_frame + done - position_;
    const double out_strength = implant_character_strength(params_, double(hop_start) / fs - latency_s);
    const double wet = params_.metallic * out_strength / std::max(1, resonators_.count);
    if (wet == 0.0) {
      resonators_.reset();  // nothing rings before switch-on or once settled
      for (int i = 0; i < take; ++i) {
        const float x = in[done + i];
        out[done + i] = ready_[position_ + i];
        input_[fft_size_ - hop_ + position_ + i] = x;
      }
    } else {
      for (int i = 0; i < take; ++i) {
        const float x = in[done + i];
        const double y = ready_[position_ + i];
        out[done + i] = static_cast<float>(y + wet * resonators_.step(y));
        input_[fft_size_ - hop_ + position_ + i] = x;
      }
    }
    position_ += take;
    done += take;
    if (position_ == hop_) {
      // The frame's centre is half a window before the newest frame taken in.
      run_frame(implant_character_strength(params_, double(first_frame + done) / fs - 0.5 * latency_s));
      position_ = 0;
    }
  }
}

void ImplantCharacter::run_frame(double strength) noexcept {
  const int n = fft_size_, hop = hop_;
  if (strength == 0.0) {
    // Off: the windowed frame goes straight to the overlap-add (what the unscaled FFT round trip
    // would give: n times the frame), a pure delay.
    const float scale = static_cast<float>(n);
    for (int i = 0; i < n; ++i) accumulator_[i] += input_[i] * window_[i] * synthesis_window_[i] * scale;
  } else if (std::any_of(input_.begin(), input_.end(), [](float x) { return x != 0.0f; })) {
#if defined(EARSHOT_IMPLANT_CHARACTER_AVX2)
    if (avx2_) {
      shape_frame_avx2(strength);
    } else {
      shape_frame_baseline(strength);
    }
#else
    shape_frame_baseline(strength);
#endif
  }
  // (A silent frame shapes to silence: nothing to add. A deaf listener's character costs nothing.)
  std::copy(accumulator_.begin(), accumulator_.begin() + hop, ready_.begin());
  std::copy(accumulator_.begin() + hop, accumulator_.end(), accumulator_.begin());
  std::fill(accumulator_.end() - hop, accumulator_.end(), 0.0f);
  std::copy(input_.begin() + hop, input_.end(), input_.begin());
}

[[gnu::always_inline]] inline void ImplantCharacter::shape_frame(double strength) noexcept {
  const int n = fft_size_, bins = bins_;
  RealFft& f = *fft_;
  float* time = f.time();
  RealFft::Bin* spec = f.spectrum();
  for (int i = 0; i < n; ++i) time[i] = input_[i] * window_[i];
  f.forward();
  power_prefix_[0] = 0.0;
  for (int k = 0; k < bins; ++k) {
    const double p = double(spec[k][0]) * spec[k][0] + double(spec[k][1]) * spec[k][1];
    power_prefix_[k + 1] = power_prefix_[k] + p;
  }
  const double power_in = power_prefix_[bins];
  // The envelope: +-smoothing_bins_ around each bin, fewer at the ends (the middle run has one
  // count, so its loop has no clamps and vectorises).
  const int s = smoothing_bins_;
  auto envelope_at = [&](int k) {
    const int lo = std::max(0, k - s), hi = std::min(bins, k + s + 1);
    envelope_[k] = static_cast<float>(std::sqrt((power_prefix_[hi] - power_prefix_[lo]) / (hi - lo)) + 1e-12);
  };
  const int middle_begin = std::min(s, bins), middle_end = std::max(middle_begin, bins - s - 1);
  for (int k = 0; k < middle_begin; ++k) envelope_at(k);
  const double middle_count = 2 * s + 1;
  const double* prefix = power_prefix_.data();
  float* envelope = envelope_.data();
  for (int k = middle_begin; k < middle_end; ++k) {
    envelope[k] = static_cast<float>(std::sqrt((prefix[k + s + 1] - prefix[k - s]) / middle_count) + 1e-12);
  }
  for (int k = middle_end; k < bins; ++k) envelope_at(k);

  // Gains per bin: the formant shift's (the moved envelope over the envelope's own, within
  // +-kMaxShiftGainDb) times the harshness tilt's, 10^(tilt_db / 20). Both as amplitude ratios:
  // no logarithm, and the tilt through fast_exp2 (relative error <= 3e-7, dsp/fast_math.hpp).
  const double ratio = std::exp2(strength * params_.formant_shift_semitones / 12.0);
  const auto inverse_ratio = static_cast<float>(1.0 / ratio);
  const float tilt_log2_per_unit = static_cast<float>(strength * params_.harshness) * kLog2PerDbAmplitude;
  const float flat = static_cast<float>(strength * params_.pitch_flattening);
  const float max_gain = kMaxShiftGain, min_gain = 1.0f / kMaxShiftGain;
  float* gain = gain_.data();
  for (int k = 0; k < bins; ++k) {
    // The envelope that sat at k / ratio now sits at k.
    // In float (a position within 1e-4 of a bin; the envelope is float): no conversions, and a
    // float division, which the AVX2 copy does eight at a time.
    const float src = static_cast<float>(k) * inverse_ratio;
    const int i0 = std::min(static_cast<int>(src), bins - 2);
    const float frac = src - static_cast<float>(i0);
    const float moved = envelope[i0] + frac * (envelope[i0 + 1] - envelope[i0]);
    gain[k] = std::clamp(moved / envelope[k], min_gain, max_gain);
  }
  const float* tilt_db = tilt_db_per_unit_.data();
  for (int k = 0; k < bins; k += kFloatLanes) {  // gain_ and tilt_db_per_unit_ are padded to whole lanes
    FloatLanes t, g, e;
    load_lanes(tilt_db + k, t);
    load_lanes(gain + k, g);
    fast_exp2_lanes(t * tilt_log2_per_unit, e);
    store_lanes(g * e, gain + k);
  }
  for (int k = 0; k < bins; ++k) {
    float re = spec[k][0] * gain[k], im = spec[k][1] * gain[k];
    // Zero phase, centred in the window ((-1)^k): one pulse per frame, so one period per hop.
    const float magnitude = std::sqrt(re * re + im * im) * ((k & 1) ? -1.0f : 1.0f);
    spec[k][0] = (1.0f - flat) * re + flat * magnitude;
    spec[k][1] = (1.0f - flat) * im;
  }
  // The shaped power in four partial sums (a single running sum is a serial chain of adds).
  double partial[4] = {0.0, 0.0, 0.0, 0.0};
  int k = 0;
  for (; k + 4 <= bins; k += 4) {
    for (int j = 0; j < 4; ++j) partial[j] += double(spec[k + j][0]) * spec[k + j][0] + double(spec[k + j][1]) * spec[k + j][1];
  }
  for (; k < bins; ++k) partial[0] += double(spec[k][0]) * spec[k][0] + double(spec[k][1]) * spec[k][1];
  const double power_out = (partial[0] + partial[1]) + (partial[2] + partial[3]);
  const float keep = power_out > 0.0 ? static_cast<float>(std::sqrt(power_in / power_out)) : 1.0f;
  for (int k = 0; k < bins; ++k) {
    spec[k][0] *= keep;
    spec[k][1] *= keep;
  }
  spec[0][1] = 0.0f;
  spec[bins - 1][1] = 0.0f;

  f.inverse();
  for (int i = 0; i < n; ++i) accumulator_[i] += time[i] * synthesis_window_[i];
}

void ImplantCharacter::shape_frame_baseline(double strength) noexcept { shape_frame(strength); }
#if defined(EARSHOT_IMPLANT_CHARACTER_AVX2)
[[gnu::target("avx2,fma")]] void ImplantCharacter::shape_frame_avx2(double strength) noexcept { shape_frame(strength); }
#else
void ImplantCharacter::shape_frame_avx2(double strength) noexcept { shape_frame(strength); }
#endif

}  // namespace earshot
