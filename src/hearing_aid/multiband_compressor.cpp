#include "hearing_aid/multiband_compressor.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/fast_math.hpp"

namespace earshot {
namespace {
// 10 log10(x) = kDbPerLog2 * log2(x) (power); 10^(dB / 20) = 2^(dB * kLog2PerDb) (amplitude).
constexpr float kDbPerLog2 = 3.0102999566f;
constexpr float kLog2PerDb = 0.1660964047f;
// Added to a power before its logarithm: far below any level of interest (-300 dB re full scale).
constexpr float kTinyPower = 1e-30f;
}  // namespace

void MultibandCompressor::prepare(const MultibandCompressorPlan& plan) {
  plan_ = &plan;
  bands_.clear();
  bands_.resize(plan.bands.size());
  // A tone of RMS r has analytic magnitude r sqrt 2: its dB SPL is 10 log10 |z|^2 - 3.01 dB plus the
  // calibration, less the band filter's own gain to refer it to the input.
  const double to_tone_db = -10.0 * std::log10(2.0);
  for (std::size_t k = 0; k < plan.bands.size(); ++k) {
    const CompressorBand& b = plan.bands[k];
    Band& band = bands_[k];
    band.in_phase.prepare(b.taps.in_phase);
    band.quadrature.prepare(b.taps.quadrature);
    band.gain.attack = static_cast<float>(one_pole_coefficient(b.timing.attack_tau_s, plan.sample_rate_hz));
    band.gain.release = static_cast<float>(one_pole_coefficient(b.timing.release_tau_s, plan.sample_rate_hz));
    band.level_offset_db = static_cast<float>(plan.calibration_db_spl + to_tone_db - b.filter_gain_db);
    band.curve = &b.curve;
    band.gain_at_65_db = static_cast<float>(b.gain_at_65_db);
  }
  re_.assign(plan.bands.size() * kBlock, 0.0f);
  im_.assign(plan.bands.size() * kBlock, 0.0f);
  output_offset_db_ = static_cast<float>(plan.calibration_db_spl + to_tone_db);
  mpo_db_spl_ = static_cast<float>(plan.mpo_db_spl);
  limiter_release_ = static_cast<float>(one_pole_coefficient(kLimiterReleaseMs * 1e-3, plan.sample_rate_hz));
  reset();
}

void MultibandCompressor::reset() noexcept {
  for (Band& band : bands_) {
    band.in_phase.reset();
    band.quadrature.reset();
    // From silence: the gain a quiet input gets (the curve's lowest point), as if long settled.
    band.gain.gain_db = static_cast<float>(band.curve->points.front().gain_db) - band.gain_at_65_db;
  }
  limiter_gain_db_ = 0.0f;
}

void MultibandCompressor::process(const float* in, float* out, int frames) noexcept {
  const std::size_t n_bands = bands_.size();
  for (int done = 0; done < frames;) {
    const int n = std::min(kBlock, frames - done);
    // Every band filters the block before any output is written: in may equal out.
    for (std::size_t k = 0; k < n_bands; ++k) {
      bands_[k].in_phase.process(in + done, re_.data() + k * kBlock, n);
      bands_[k].quadrature.process(in + done, im_.data() + k * kBlock, n);
    }
    for (int i = 0; i < n; ++i) {
      float zr = 0.0f, zi = 0.0f;
      for (std::size_t k = 0; k < n_bands; ++k) {
        Band& band = bands_[k];
        const float re = re_[k * kBlock + static_cast<std::size_t>(i)], im = im_[k * kBlock + static_cast<std::size_t>(i)];
        const float level_db = kDbPerLog2 * fast_log2(re * re + im * im + kTinyPower) + band.level_offset_db;
        const float target_db = static_cast<float>(band.curve->gain_db(level_db)) - band.gain_at_65_db;
        const float g = fast_exp2(kLog2PerDb * band.gain.step(target_db));
        zr += g * re;
        zi += g * im;
      }
      // The limiter: instant down to the MPO, released slowly (see the design's header).
      const float output_db = kDbPerLog2 * fast_log2(zr * zr + zi * zi + kTinyPower) + output_offset_db_;
      const float over_db = std::min(0.0f, mpo_db_spl_ - output_db);
      limiter_gain_db_ = std::min(over_db, limiter_gain_db_ - limiter_release_ * limiter_gain_db_);
      out[done + i] = zr * fast_exp2(kLog2PerDb * limiter_gain_db_);
    }
    done += n;
  }
}

}  // namespace earshot
