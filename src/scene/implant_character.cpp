#include "scene/implant_character.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/real_fft.hpp"

namespace earshot {
namespace {

// Mode frequencies of a free-free bar relative to its first (Euler-Bernoulli beam: (beta_n L)^2
// of 4.730, 7.853, 10.996, 14.137): the inharmonic series that makes a sound "metallic".
constexpr double kBarModes[4] = {1.0, 2.7565, 5.4039, 8.9330};
// Spectral envelope: power averaged over +-150 Hz, wide enough to hide the harmonics of voices
// up to about 300 Hz F0, narrow enough to keep formants (about 100-300 Hz wide).
constexpr double kEnvelopeHalfWidthHz = 150.0;
// Formant-shift gains are limited to +-24 dB where the envelope is near empty.
constexpr float kMaxShiftGainDb = 24.0f;
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
  const int hop = std::max(16, static_cast<int>(std::lround(fs / p.monotone_hz)));
  return 4 * hop;
}

void ImplantCharacter::prepare(const ImplantCharacterParams& params, double fs) {
  params_ = params;
  sample_rate_hz_ = fs;
  fft_size_ = latency_frames_for(params, fs);
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
  tilt_db_per_unit_.assign(bins_, 0.0f);
  for (int k = 0; k < bins_; ++k) {
    const double f = k * bin_hz;
    if (f > kTiltStartHz) tilt_db_per_unit_[k] = static_cast<float>(std::min(kTiltMaxDb, kTiltDbPerOctave * std::log2(f / kTiltStartHz)));
  }
  input_.assign(fft_size_, 0.0f);
  accumulator_.assign(fft_size_, 0.0f);
  ready_.assign(hop_, 0.0f);
  resonators_.clear();
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
    resonators_.push_back(s);
  }
  reset();
}

void ImplantCharacter::reset() noexcept {
  std::fill(input_.begin(), input_.end(), 0.0f);
  std::fill(accumulator_.begin(), accumulator_.end(), 0.0f);
  std::fill(ready_.begin(), ready_.end(), 0.0f);
  for (auto& s : resonators_) s.reset();
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
    const double wet = params_.metallic * out_strength / std::max<std::size_t>(1, resonators_.size());
    if (wet == 0.0) {
      for (auto& s : resonators_) s.reset();  // nothing rings before switch-on or once settled
      for (int i = 0; i < take; ++i) {
        const float x = in[done + i];
        out[done + i] = ready_[position_ + i];
        input_[fft_size_ - hop_ + position_ + i] = x;
      }
    } else {
      for (int i = 0; i < take; ++i) {
        const float x = in[done + i];
        const double y = ready_[position_ + i];
        double ring = 0.0;
        for (auto& s : resonators_) ring += s.step(y);
        out[done + i] = static_cast<float>(y + wet * ring);
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
  } else {
    shape_frame(strength);
  }
  std::copy(accumulator_.begin(), accumulator_.begin() + hop, ready_.begin());
  std::copy(accumulator_.begin() + hop, accumulator_.end(), accumulator_.begin());
  std::fill(accumulator_.end() - hop, accumulator_.end(), 0.0f);
  std::copy(input_.begin() + hop, input_.end(), input_.begin());
}

void ImplantCharacter::shape_frame(double strength) noexcept {
  const int n = fft_size_, bins = bins_;
  RealFft& f = *fft_;
  float* time = f.time();
  RealFft::Bin* spec = f.spectrum();
  for (int i = 0; i < n; ++i) time[i] = input_[i] * window_[i];
  f.forward();
  double power_in = 0.0;
  power_prefix_[0] = 0.0;
  for (int k = 0; k < bins; ++k) {
    const double p = double(spec[k][0]) * spec[k][0] + double(spec[k][1]) * spec[k][1];
    power_in += p;
    power_prefix_[k + 1] = power_prefix_[k] + p;
  }
  for (int k = 0; k < bins; ++k) {
    const int lo = std::max(0, k - smoothing_bins_), hi = std::min(bins, k + smoothing_bins_ + 1);
    envelope_[k] = static_cast<float>(std::sqrt((power_prefix_[hi] - power_prefix_[lo]) / (hi - lo)) + 1e-12);
  }
  const double ratio = std::exp2(strength * params_.formant_shift_semitones / 12.0);
  const float tilt = static_cast<float>(strength * params_.harshness);
  const float flat = static_cast<float>(strength * params_.pitch_flattening);
  double power_out = 0.0;
  for (int k = 0; k < bins; ++k) {
    // The envelope that sat at k / ratio now sits at k.
    const double src = k / ratio;
    const int i0 = std::min(static_cast<int>(src), bins - 2);
    const double frac = src - i0;
    const double moved = envelope_[i0] + frac * (envelope_[i0 + 1] - envelope_[i0]);
    const float shift_db = std::clamp(static_cast<float>(20.0 * std::log10(moved / envelope_[k])), -kMaxShiftGainDb, kMaxShiftGainDb);
    const float gain = std::pow(10.0f, (shift_db + tilt * tilt_db_per_unit_[k]) * 0.05f);
    float re = spec[k][0] * gain, im = spec[k][1] * gain;
    // Zero phase, centred in the window ((-1)^k): one pulse per frame, so one period per hop.
    const float magnitude = std::sqrt(re * re + im * im) * ((k & 1) ? -1.0f : 1.0f);
    re = (1.0f - flat) * re + flat * magnitude;
    im = (1.0f - flat) * im;
    spec[k][0] = re;
    spec[k][1] = im;
    power_out += double(re) * re + double(im) * im;
  }
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

}  // namespace earshot
