#include "hearing_loss/hearing_loss_processor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "audiology/auditory_scale.hpp"
#include "dsp/fast_math.hpp"
#include "dsp/real_fft.hpp"
#include "dsp/simd_path.hpp"
#include "support/seed.hpp"

// The per-frame loops are compiled twice: for the target's baseline and for AVX2 + FMA, picked at
// run time (prepare). x86-64 with GCC or Clang only; elsewhere the baseline copy alone.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_HL_AVX2 1
#endif
// The helpers inline into each copy so that each copy's loops are compiled for its instruction set.
#define EARSHOT_HL_INLINE [[gnu::always_inline]] inline

namespace earshot {
namespace {
// Power floor: keeps logarithms finite in digital silence (about -300 dB).
constexpr float kTinyPower = 1e-30f;
// No component is attenuated by more than this (dB); below it the output is silence anyway.
constexpr float kGainFloorDb = -200.0f;
// Smeared power landing where the loss is worse than at its source by up to this much counts as
// the source's own broadened excitation (one audiometric step on a steep slope, e.g. S2's 20 dB
// per half octave, is about this).
constexpr float kSpreadLossMarginDb = 10.0f;

// Unit phasors for random phases (a table keeps the inner loop free of sin/cos).
struct PhasorTable {
  static constexpr int kSize = 4096;
  float re[kSize], im[kSize];
  PhasorTable() {
    for (int i = 0; i < kSize; ++i) {
      re[i] = static_cast<float>(std::cos(2.0 * std::numbers::pi * i / kSize));
      im[i] = static_cast<float>(std::sin(2.0 * std::numbers::pi * i / kSize));
    }
  }
};
const PhasorTable kPhasors;

// A random-phase frame spreads its energy evenly over the frame; after the Hann synthesis window
// (sum of squares over the overlapping frames: 2/3 with its 2/3 scale) its power is 1/4 of what the
// same spectral energy carries for a stationary signal under the Hann analysis window (8/3): x2.
constexpr float kIncoherentAmplitude = 2.0f;
}  // namespace

HearingLossProcessor::HearingLossProcessor() = default;
HearingLossProcessor::~HearingLossProcessor() = default;
HearingLossProcessor::HearingLossProcessor(HearingLossProcessor&&) noexcept = default;
HearingLossProcessor& HearingLossProcessor::operator=(HearingLossProcessor&&) noexcept = default;

void HearingLossProcessor::prepare(std::shared_ptr<const HearingLossPlan> plan) {
  plan_ = std::move(plan);
  from_ = to_ = plan_.get();
  alpha_ = 0.0f;
  const int n = plan_->fft_size;
  avx2_ = simd_path() == SimdPath::avx2;
  fft_ = std::make_unique<RealFft>(n);
  windowed_.assign(2 * plan_->bins, 0.0f);
  derivative_difference_.assign(2 * plan_->bins, 0.0f);
  place_index_.assign(plan_->bins, 0.0f);
  place_level_db_.assign(plan_->bins, 0.0f);
  place_threshold_db_spl_.assign(plan_->bins, 0.0f);
  place_loss_db_hl_.assign(plan_->bins, 0.0f);
  own_loss_db_hl_.assign(plan_->bins, 0.0f);
  input_.assign(n, 0.0f);
  accumulator_.assign(n, 0.0f);
  ready_.assign(plan_->hop, 0.0f);
  bin_power_.assign(plan_->bins, 0.0f);
  spl_power_.assign(plan_->bins, 0.0f);
  band_level_db_.assign(plan_->bands, 0.0f);
  bin_gain_.assign(plan_->bins, 1.0f);
  gain_db_.assign(plan_->bins, 0.0f);
  moved_gain_.assign(plan_->bins, 1.0f);
  smeared_.assign(plan_->bins, 0.0f);
  blend_band_level_db_.assign(plan_->bands, 0.0f);
  blend_loss_db_hl_.assign(plan_->bands, 0.0f);
  blend_conductive_.assign(plan_->bins, 1.0f);
  blend_smeared_.assign(plan_->bins, 0.0f);
  reset();
}

void HearingLossProcessor::reset() noexcept {
  std::fill(input_.begin(), input_.end(), 0.0f);
  std::fill(accumulator_.begin(), accumulator_.end(), 0.0f);
  std::fill(ready_.begin(), ready_.end(), 0.0f);
  position_ = 0;
  random_.set_state(derive_seed(plan_->seed, {kSeedSmearing}));
}

void HearingLossProcessor::set_blend(const HearingLossPlan* from, const HearingLossPlan* to, float alpha) noexcept {
  from_ = from;
  to_ = to;
  alpha_ = std::clamp(alpha, 0.0f, 1.0f);
}

int HearingLossProcessor::latency_frames() const noexcept { return plan_ ? plan_->latency_frames : 0; }

void HearingLossProcessor::process(const float* in, float* out, int frames) noexcept {
  const int n = plan_->fft_size;
  const int hop = plan_->hop;
  int done = 0;
  while (done < frames) {
    const int take = std::min(hop - position_, frames - done);
    // Read finished output before writing (in may alias out).
    for (int i = 0; i < take; ++i) {
      const float x = in[done + i];
      out[done + i] = ready_[position_ + i];
      input_[n - hop + position_ + i] = x;
    }
    position_ += take;
    done += take;
    if (position_ == hop) {
      run_frame();
      position_ = 0;
    }
  }
}

EARSHOT_HL_INLINE float HearingLossProcessor::level_at(float idx) const noexcept {
  // Quadratic interpolation of the excitation in dB across the three nearest places.
  const int last_band = plan_->bands - 1;
  // A place index is only ever a finite number within the bands (run_frame makes it so); a NaN
  // here would make lround (and any cast to int) undefined and index out of bounds.
  if (!(idx >= 0.0f)) idx = 0.0f;
  if (idx > static_cast<float>(last_band)) idx = static_cast<float>(last_band);
  int centre = static_cast<int>(idx + 0.5f);  // idx >= 0: rounds half up, as lround
  centre = std::clamp(centre, 1, std::max(1, last_band - 1));
  const float t = idx - centre;
  const float ym = band_level_db_[centre - 1], y0 = band_level_db_[centre], yp = band_level_db_[centre + 1];
  return y0 + 0.5f * t * (yp - ym) + 0.5f * t * t * (yp - 2.0f * y0 + ym);
}

EARSHOT_HL_INLINE float HearingLossProcessor::interpolate(const float* v, int bands, float idx) noexcept {
  if (!(idx >= 0.0f)) idx = 0.0f;  // NaN or below the first band: no cast of a NaN to int
  if (idx > static_cast<float>(bands - 1)) idx = static_cast<float>(bands - 1);
  const int lo = std::min(static_cast<int>(idx), bands - 2);
  return v[lo] + (idx - lo) * (v[lo + 1] - v[lo]);
}

namespace {
// Eight lanes of a vector (GCC/Clang vector extension: one AVX register, or two SSE2 registers on
// the baseline), loaded from any float address.
typedef float Floats8 __attribute__((vector_size(32), aligned(4), may_alias));

// start + sum of w[k] s[k] over k < c, with eight partial sums (lane l takes k = l mod 8): no chain
// of dependent adds. The order of the adds is written out, so every instruction set sums in the
// same order. The weight runs are padded with zeros to a multiple of eight (hearing_loss_design),
// so the scalar tail is normally empty. Four blocks of eight a pass: the same adds in the same
// order as one block a pass, with a quarter of the loop's counting and branching (issue #12).
EARSHOT_HL_INLINE float padded_dot(const float* w, const float* s, int c, float start) noexcept {
  Floats8 lanes = {};
  int k = 0;
  auto block = [&](int at) __attribute__((always_inline)) {
    lanes += *reinterpret_cast<const Floats8*>(w + at) * *reinterpret_cast<const Floats8*>(s + at);
  };
  for (; k + 32 <= c; k += 32) {
    block(k);
    block(k + 8);
    block(k + 16);
    block(k + 24);
  }
  for (; k + 8 <= c; k += 8) block(k);
  float sum = start;
  for (; k < c; ++k) sum += w[k] * s[k];
  return sum + (((lanes[0] + lanes[4]) + (lanes[1] + lanes[5])) + ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7])));
}
}  // namespace

EARSHOT_HL_INLINE void HearingLossProcessor::excitation(const HearingLossPlan& q, float* level_db) const noexcept {
  for (int b = 0; b < q.bands; ++b) {
    const float* w = &q.band_weights[q.band_weight_offset[b]];
    const float* s = &spl_power_[q.band_first_bin[b]];
    const int c = q.band_bin_count[b];
    level_db[b] = fast_power_to_db(padded_dot(w, s, c, kTinyPower));
  }
}

EARSHOT_HL_INLINE void HearingLossProcessor::smear(const HearingLossPlan& q, float* out) const noexcept {
  if (!q.smearing_active) {
    std::copy(bin_power_.begin(), bin_power_.end(), out);
    return;
  }
  for (int i = 0; i < q.bins; ++i) {
    const float* w = &q.smear_weights[q.smear_weight_offset[i]];
    const float* s = &bin_power_[q.smear_first_bin[i]];
    const int c = q.smear_bin_count[i];
    out[i] = padded_dot(w, s, c, 0.0f);
  }
}

void HearingLossProcessor::run_frame() noexcept {
#if defined(EARSHOT_HL_AVX2)
  if (avx2_) {
    run_frame_avx2();
    return;
  }
#endif
  run_frame_baseline();
}

void HearingLossProcessor::run_frame_baseline() noexcept { frame_body(); }

#if defined(EARSHOT_HL_AVX2)
[[gnu::target("avx2,fma")]] void HearingLossProcessor::run_frame_avx2() noexcept { frame_body(); }
#else
void HearingLossProcessor::run_frame_avx2() noexcept { frame_body(); }
#endif

EARSHOT_HL_INLINE void HearingLossProcessor::frame_body() noexcept {
  const HearingLossPlan& p = *plan_;  // the layout; the loss-dependent parts come from from_/to_
  const int n = p.fft_size;
  const int hop = p.hop;
  const int bins = p.bins;
  const int bands = p.bands;
  float* time = fft_->time();
  RealFft::Bin* spec = fft_->spectrum();
  // One state, or a mix of two (set_blend). A blend at 0 or 1 is exactly that state's model.
  const bool blending = from_ != to_ && alpha_ > 0.0f && alpha_ < 1.0f;
  const HearingLossPlan& a = alpha_ >= 1.0f ? *to_ : *from_;
  const float w1 = blending ? alpha_ : 0.0f, w0 = 1.0f - w1;

  // One FFT of the unwindowed frame, X. The periodic Hann window is 1/2 - 1/4 e^{+i th n} - 1/4
  // e^{-i th n} (th = 2 pi / N) and its derivative (pi/N) sin(th n) = (pi/N)(e^{+i th n} - e^{-i th n})/2i,
  // and multiplying by e^{+-i th n} shifts the spectrum by one bin, so
  //   windowed[k]   = X[k]/2 - (X[k-1] + X[k+1])/4,
  //   derivative[k] = (pi/N) (X[k-1] - X[k+1]) / 2i,
  // with X[-1] = conj X[1] and X[N/2+1] = conj X[N/2-1] (a real frame's spectrum).
  std::copy(input_.begin(), input_.end(), time);
  fft_->forward();
  {
    const float* x = &spec[0][0];
    float* wd = windowed_.data();
    float* dd = derivative_difference_.data();
    for (int f = 2; f < 2 * (bins - 1); ++f) {
      wd[f] = 0.5f * x[f] - 0.25f * (x[f - 2] + x[f + 2]);
      dd[f] = x[f - 2] - x[f + 2];
    }
    const int h = bins - 1;  // N/2
    wd[0] = 0.5f * x[0] - 0.5f * x[2];
    wd[1] = 0.0f;
    dd[0] = 0.0f;
    dd[1] = -2.0f * x[3];
    wd[2 * h] = 0.5f * x[2 * h] - 0.5f * x[2 * h - 2];
    wd[2 * h + 1] = 0.0f;
    dd[2 * h] = 0.0f;
    dd[2 * h + 1] = 2.0f * x[2 * h - 1];
  }
  const float* windowed = windowed_.data();
  const float* difference = derivative_difference_.data();

  // The state's conductive attenuation (per bin) and sensorineural loss (per place); a blend
  // mixes both in dB.
  const float* conductive = a.conductive_gain.data();
  const float* loss_db_hl = a.band_loss_db_hl.data();
  if (blending) {
    const HearingLossPlan& b = *to_;
    for (int k = 0; k < bins; ++k) {
      blend_conductive_[k] = std::pow(a.conductive_gain[k], w0) * std::pow(b.conductive_gain[k], w1);
    }
    for (int i = 0; i < bands; ++i) blend_loss_db_hl_[i] = w0 * a.band_loss_db_hl[i] + w1 * b.band_loss_db_hl[i];
    conductive = blend_conductive_.data();
    loss_db_hl = blend_loss_db_hl_.data();
  }

  // Calibrated power spectrum after the conductive attenuation.
  for (int k = 0; k < bins; ++k) {
    const float re = windowed[2 * k], im = windowed[2 * k + 1];
    bin_power_[k] = re * re + im * im;
    const float c = conductive[k];
    spl_power_[k] = bin_power_[k] * p.power_to_spl * c * c + kTinyPower;
  }

  // Excitation level at each place (roex filters broadened by the loss; a blend mixes the levels
  // through both states' filters in dB).
  excitation(a, band_level_db_.data());
  if (blending) {
    excitation(*to_, blend_band_level_db_.data());
    for (int i = 0; i < bands; ++i) band_level_db_[i] = w0 * band_level_db_[i] + w1 * blend_band_level_db_[i];
  }
  const bool smearing = a.smearing_active || (blending && to_->smearing_active);

  // Each component's place: its instantaneous frequency (Auger & Flandrin 1995), f_k - Im(D conj(W))
  // / |W|^2 in radians per sample, as a fractional band index on the ERB-number scale. Branch-free,
  // so that it vectorises: the estimate is used only where the power is above 1e-20 and the place is
  // a finite number (a spectrum that overflowed float gives inf / inf = NaN, which would pass a
  // clamp unchanged and index out of bounds below); elsewhere the bin's own frequency.
  // Im(D conj(W)) = (pi/N)/2 * -(Re(dd) Re(W) + Im(dd) Im(W)), dd = X[k-1] - X[k+1].
  const float shift_scale = static_cast<float>(std::numbers::pi / (2.0 * n) * p.sample_rate_hz / (2.0 * std::numbers::pi));
  const float inv_step = static_cast<float>(1.0 / p.band_step_erb);
  const float first = static_cast<float>(p.first_band_erb_number);
  const float last_band_index = static_cast<float>(bands - 1);
  // erb_number(f) = 21.4 log10(4.37 f / 1000 + 1), in log2 and in band steps.
  const float erb_per_log2 = static_cast<float>(kErbNumberPerDecade * std::numbers::ln2 / std::numbers::ln10) * inv_step;
  const float erb_per_hz = static_cast<float>(kErbNumberPerHz);
  const float first_index = first * inv_step;
  for (int k = 0; k < bins; ++k) {
    const float wre = windowed[2 * k], wim = windowed[2 * k + 1];
    const float den = bin_power_[k];
    const float num = difference[2 * k] * wre + difference[2 * k + 1] * wim;
    const float bin_hz = p.bin_hz[k];
    float place_hz = bin_hz + num / den * shift_scale;
    place_hz = den > 1e-20f && std::fabs(place_hz) <= std::numeric_limits<float>::max() ? place_hz : bin_hz;
    place_hz = place_hz > 1.0f ? place_hz : 1.0f;
    const float idx = erb_per_log2 * fast_log2(erb_per_hz * place_hz + 1.0f) - first_index;
    place_index_[k] = idx < 0.0f ? 0.0f : (idx > last_band_index ? last_band_index : idx);
  }
  // The excitation, normal threshold and loss at each component's place (lookups between places).
  const float* t0_db_spl = p.band_normal_threshold_db_spl.data();
  for (int k = 0; k < bins; ++k) {
    const float idx = place_index_[k];
    place_level_db_[k] = level_at(idx);
    place_threshold_db_spl_[k] = interpolate(t0_db_spl, bands, idx);
    place_loss_db_hl_[k] = interpolate(loss_db_hl, bands, idx);
  }
  if (smearing) {
    for (int k = 0; k < bins; ++k) own_loss_db_hl_[k] = interpolate(loss_db_hl, bands, p.bin_band_index[k]);
  }

  // Each component takes the recruitment gain of the excitation at its own place.
  // Power smeared into a bin from its source: where the receiving place's loss is worse by more
  // than kSpreadLossMarginDb, the source's component is expanded as that excess loss would expand
  // it, so that excitation spread into clearly worse hearing stays as inaudible as that hearing
  // makes it. It never gets more gain than its source; in a flat or gently sloping loss it gets
  // exactly the source's gain (the broadened skirt of its own excitation).
  const float catch_up = static_cast<float>(p.catch_up_db_spl);
  for (int k = 0; k < bins; ++k) {
    const float t0 = place_threshold_db_spl_[k], loss = place_loss_db_hl_[k], level = place_level_db_[k];
    const float gain_db = std::max(recruitment_gain_db(t0, loss, catch_up, level), kGainFloorDb);
    gain_db_[k] = gain_db;
    bin_gain_[k] = fast_db_to_amplitude(gain_db) * conductive[k];
  }
  if (smearing) {
    for (int k = 0; k < bins; ++k) {
      const float t0 = place_threshold_db_spl_[k], loss = place_loss_db_hl_[k], level = place_level_db_[k];
      const float gain_db = gain_db_[k];  // the loop above's, for this bin's own place
      const float excess = own_loss_db_hl_[k] - loss - kSpreadLossMarginDb;
      const float moved_db = std::max(recruitment_gain_db(t0, loss + excess, catch_up, level), kGainFloorDb);
      const float moved = fast_db_to_amplitude(std::min(gain_db, moved_db)) * conductive[k];
      moved_gain_[k] = excess > 0.0f ? moved : bin_gain_[k];
    }
  }

  if (smearing) {
    // Smearing first, then the recruitment gains (Nejime & Moore 1997's order): the power a bin
    // keeps takes its own gain, the power moved into it the gain for moved power above. A blend
    // mixes the two states' smeared spectra.
    smear(a, smeared_.data());
    if (blending) {
      smear(*to_, blend_smeared_.data());
      for (int k = 0; k < bins; ++k) smeared_[k] = w0 * smeared_[k] + w1 * blend_smeared_[k];
    }
    for (int k = 0; k < bins; ++k) {
      const float kept = std::min(smeared_[k], bin_power_[k]);
      const float scale = bin_gain_[k] * std::sqrt(kept / (bin_power_[k] + kTinyPower));
      spec[k][0] = windowed[2 * k] * scale;
      spec[k][1] = windowed[2 * k + 1] * scale;
      const float moved_in = smeared_[k] - kept;
      if (moved_in > 0.0f) {
        const auto r = static_cast<int>(random_.next() >> 52);  // 12 bits
        const float m = kIncoherentAmplitude * moved_gain_[k] * std::sqrt(moved_in);
        spec[k][0] += m * kPhasors.re[r];
        spec[k][1] += m * kPhasors.im[r];
      }
    }
    // DC and Nyquist must stay real for the inverse real FFT.
    spec[0][1] = 0.0f;
    spec[bins - 1][1] = 0.0f;
  } else {
    for (int k = 0; k < bins; ++k) {
      spec[k][0] = windowed[2 * k] * bin_gain_[k];
      spec[k][1] = windowed[2 * k + 1] * bin_gain_[k];
    }
  }

  fft_->inverse();
  for (int i = 0; i < n; ++i) accumulator_[i] += time[i] * p.synthesis_window[i];
  std::copy(accumulator_.begin(), accumulator_.begin() + hop, ready_.begin());
  std::copy(accumulator_.begin() + hop, accumulator_.end(), accumulator_.begin());
  std::fill(accumulator_.end() - hop, accumulator_.end(), 0.0f);
  std::copy(input_.begin() + hop, input_.end(), input_.begin());
}

}  // namespace earshot
