#include "hearing_loss/hearing_loss_processor.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "audiology/auditory_scale.hpp"
#include "dsp/real_fft.hpp"
#include "support/seed.hpp"

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
  fft_ = std::make_unique<RealFft>(n);
  derivative_fft_ = std::make_unique<RealFft>(n);
  input_.assign(n, 0.0f);
  accumulator_.assign(n, 0.0f);
  ready_.assign(plan_->hop, 0.0f);
  bin_power_.assign(plan_->bins, 0.0f);
  spl_power_.assign(plan_->bins, 0.0f);
  band_level_db_.assign(plan_->bands, 0.0f);
  bin_gain_.assign(plan_->bins, 1.0f);
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

float HearingLossProcessor::level_at(float idx) const noexcept {
  // Quadratic interpolation of the excitation in dB across the three nearest places.
  const int last_band = plan_->bands - 1;
  // A place index is only ever a finite number within the bands (run_frame makes it so); a NaN
  // here would make lround (and any cast to int) undefined and index out of bounds.
  if (!(idx >= 0.0f)) idx = 0.0f;
  if (idx > static_cast<float>(last_band)) idx = static_cast<float>(last_band);
  int centre = static_cast<int>(std::lround(idx));
  centre = std::clamp(centre, 1, std::max(1, last_band - 1));
  const float t = idx - centre;
  const float ym = band_level_db_[centre - 1], y0 = band_level_db_[centre], yp = band_level_db_[centre + 1];
  return y0 + 0.5f * t * (yp - ym) + 0.5f * t * t * (yp - 2.0f * y0 + ym);
}

float HearingLossProcessor::interpolate(const float* v, int bands, float idx) noexcept {
  if (!(idx >= 0.0f)) idx = 0.0f;  // NaN or below the first band: no cast of a NaN to int
  if (idx > static_cast<float>(bands - 1)) idx = static_cast<float>(bands - 1);
  const int lo = std::min(static_cast<int>(idx), bands - 2);
  return v[lo] + (idx - lo) * (v[lo + 1] - v[lo]);
}

void HearingLossProcessor::excitation(const HearingLossPlan& q, float* level_db) const noexcept {
  for (int b = 0; b < q.bands; ++b) {
    const float* w = &q.band_weights[q.band_weight_offset[b]];
    const float* s = &spl_power_[q.band_first_bin[b]];
    float e = kTinyPower;
    for (int i = 0, c = q.band_bin_count[b]; i < c; ++i) e += w[i] * s[i];
    level_db[b] = 10.0f * std::log10(e);
  }
}

void HearingLossProcessor::smear(const HearingLossPlan& q, float* out) const noexcept {
  if (!q.smearing_active) {
    std::copy(bin_power_.begin(), bin_power_.end(), out);
    return;
  }
  std::fill(out, out + q.bins, 0.0f);
  for (int j = 0; j < q.bins; ++j) {
    const float pj = bin_power_[j];
    const float* w = &q.smear_weights[q.smear_weight_offset[j]];
    float* dst = out + q.smear_first_bin[j];
    for (int i = 0, c = q.smear_bin_count[j]; i < c; ++i) dst[i] += w[i] * pj;
  }
}

void HearingLossProcessor::run_frame() noexcept {
  const HearingLossPlan& p = *plan_;  // the layout; the loss-dependent parts come from from_/to_
  const int n = p.fft_size;
  const int hop = p.hop;
  const int bins = p.bins;
  const int bands = p.bands;
  float* time = fft_->time();
  float* time_d = derivative_fft_->time();
  RealFft::Bin* spec = fft_->spectrum();
  const RealFft::Bin* spec_d = derivative_fft_->spectrum();
  // One state, or a mix of two (set_blend). A blend at 0 or 1 is exactly that state's model.
  const bool blending = from_ != to_ && alpha_ > 0.0f && alpha_ < 1.0f;
  const HearingLossPlan& a = alpha_ >= 1.0f ? *to_ : *from_;
  const float w1 = blending ? alpha_ : 0.0f, w0 = 1.0f - w1;

  for (int i = 0; i < n; ++i) {
    time[i] = input_[i] * p.analysis_window[i];
    time_d[i] = input_[i] * p.analysis_window_derivative[i];
  }
  fft_->forward();
  derivative_fft_->forward();

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
    const float re = spec[k][0], im = spec[k][1];
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

  // Each component takes the recruitment gain of the excitation at its own place.
  const float hz_per_radian = static_cast<float>(p.sample_rate_hz / (2.0 * std::numbers::pi));
  const float inv_step = static_cast<float>(1.0 / p.band_step_erb);
  const float first = static_cast<float>(p.first_band_erb_number);
  const int last_band = bands - 1;
  const float* t0_db_spl = p.band_normal_threshold_db_spl.data();
  for (int k = 0; k < bins; ++k) {
    float place_hz = p.bin_hz[k];
    const float den = bin_power_[k];
    if (den > 1e-20f) {
      const float num = spec_d[k][1] * spec[k][0] - spec_d[k][0] * spec[k][1];
      place_hz -= num / den * hz_per_radian;
    }
    // The reassigned place is the bin's own frequency where the instantaneous-frequency estimate
    // is not a number: a spectrum that overflowed float (inf / inf) gives NaN, and a NaN place
    // would pass std::clamp unchanged and index out of bounds below.
    if (!std::isfinite(place_hz)) place_hz = p.bin_hz[k];
    place_hz = std::max(place_hz, 1.0f);
    const float idx = std::clamp((static_cast<float>(erb_number(place_hz)) - first) * inv_step, 0.0f,
                                 static_cast<float>(last_band));
    const float level = level_at(idx);
    const float t0 = interpolate(t0_db_spl, bands, idx);
    const float loss = interpolate(loss_db_hl, bands, idx);
    const float gain_db =
        std::max(static_cast<float>(recruitment_gain_db(recruitment_law(t0, loss, p.catch_up_db_spl), level)), kGainFloorDb);
    bin_gain_[k] = std::pow(10.0f, gain_db * 0.05f) * conductive[k];
    // Power smeared into this bin from its source: where the receiving place's loss is worse by
    // more than kSpreadLossMarginDb, the source's component is expanded as that excess loss would
    // expand it, so that excitation spread into clearly worse hearing stays as inaudible as that
    // hearing makes it. It never gets more gain than its source; in a flat or gently sloping loss
    // it gets exactly the source's gain (the broadened skirt of its own excitation).
    if (smearing) {
      const float excess = interpolate(loss_db_hl, bands, p.bin_band_index[k]) - loss - kSpreadLossMarginDb;
      moved_gain_[k] = bin_gain_[k];
      if (excess > 0.0f) {
        const float moved_db = std::max(
            static_cast<float>(recruitment_gain_db(recruitment_law(t0, loss + excess, p.catch_up_db_spl), level)), kGainFloorDb);
        moved_gain_[k] = std::pow(10.0f, std::min(gain_db, moved_db) * 0.05f) * conductive[k];
      }
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
      spec[k][0] *= scale;
      spec[k][1] *= scale;
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
      spec[k][0] *= bin_gain_[k];
      spec[k][1] *= bin_gain_[k];
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
