#include "hearing_aid/multiband_compressor.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/attack_release_smoother.hpp"
#include "dsp/fast_math.hpp"

namespace earshot {
namespace {
// 10 log10(x) = kDbPerLog2 * log2(x) (power); 10^(dB / 20) = 2^(dB * kLog2PerDb) (amplitude).
constexpr float kDbPerLog2 = 3.0102999566f;
constexpr float kLog2PerDb = 0.1660964047f;
// Added to a power before its logarithm: far below any level of interest (-300 dB re full scale).
constexpr float kTinyPower = 1e-30f;
constexpr int kLanes = 8;
}  // namespace

void MultibandCompressor::prepare(const MultibandCompressorPlan& plan) {
  plan_ = &plan;
  bands_ = static_cast<int>(plan.bands.size());
  lanes_ = (bands_ + kLanes - 1) / kLanes * kLanes;
  const auto lanes = static_cast<std::size_t>(lanes_);
  // A tone of RMS r has analytic magnitude r sqrt 2: its dB SPL is 10 log10 |z|^2 - 3.01 dB plus the
  // calibration, less the band filter's own gain to refer it to the input.
  const double to_tone_db = -10.0 * std::log10(2.0);
  segments_ = 0;
  for (const CompressorBand& b : plan.bands) segments_ = std::max(segments_, static_cast<int>(b.curve.points.size()) - 1);
  const auto segments = static_cast<std::size_t>(segments_);
  level_offset_db_.assign(lanes, 0.0f);
  curve_base_db_.assign(lanes, 0.0f);
  segment_start_db_.assign(segments * lanes, 0.0f);
  segment_width_db_.assign(segments * lanes, 0.0f);
  segment_slope_.assign(segments * lanes, 0.0f);
  attack_.assign(lanes, 1.0f);
  release_.assign(lanes, 1.0f);
  quiet_gain_db_.assign(lanes, 0.0f);
  gain_db_.assign(lanes, 0.0f);
  for (std::size_t k = 0; k < plan.bands.size(); ++k) {
    const CompressorBand& b = plan.bands[k];
    attack_[k] = static_cast<float>(one_pole_coefficient(b.timing.attack_tau_s, plan.sample_rate_hz));
    release_[k] = static_cast<float>(one_pole_coefficient(b.timing.release_tau_s, plan.sample_rate_hz));
    level_offset_db_[k] = static_cast<float>(plan.calibration_db_spl + to_tone_db - b.filter_gain_db);
    const auto& points = b.curve.points;
    curve_base_db_[k] = static_cast<float>(points.front().gain_db - b.gain_at_65_db);
    for (std::size_t s = 0; s + 1 < points.size(); ++s) {
      const double width = points[s + 1].input_db_spl - points[s].input_db_spl;
      segment_start_db_[s * lanes + k] = static_cast<float>(points[s].input_db_spl);
      segment_width_db_[s * lanes + k] = static_cast<float>(width);
      segment_slope_[s * lanes + k] = static_cast<float>((points[s + 1].gain_db - points[s].gain_db) / width);
    }
    // From silence: the gain a quiet input gets (the curve's lowest point), as if long settled.
    quiet_gain_db_[k] = curve_base_db_[k];
  }
  re_.assign(lanes, 0.0f);
  im_.assign(lanes, 0.0f);
  yr_.assign(lanes, 0.0f);
  yi_.assign(lanes, 0.0f);
  level_db_.assign(lanes, 0.0f);
  target_db_.assign(lanes, 0.0f);
  std::vector<std::vector<float>> taps;
  for (const CompressorBand& b : plan.bands) taps.push_back(b.taps.in_phase);
  for (const CompressorBand& b : plan.bands) taps.push_back(b.taps.quadrature);
  filters_.prepare(taps, convolution_partition_frames(static_cast<int>(plan.bands.front().taps.in_phase.size())));
  filtered_.assign(taps.size() * kBlock, 0.0f);
  output_offset_db_ = static_cast<float>(plan.calibration_db_spl + to_tone_db);
  mpo_db_spl_ = static_cast<float>(plan.mpo_db_spl);
  limiter_release_ = static_cast<float>(one_pole_coefficient(kLimiterReleaseMs * 1e-3, plan.sample_rate_hz));
  reset();
}

void MultibandCompressor::reset() noexcept {
  filters_.reset();
  std::copy(quiet_gain_db_.begin(), quiet_gain_db_.end(), gain_db_.begin());
  limiter_gain_db_ = 0.0f;
}

void MultibandCompressor::process(const float* in, float* out, int frames) noexcept {
  const auto bands = static_cast<std::size_t>(bands_);
  const auto lanes = static_cast<std::size_t>(lanes_);
  float* __restrict re = re_.data();
  float* __restrict im = im_.data();
  float* __restrict yr = yr_.data();
  float* __restrict yi = yi_.data();
  float* __restrict gain = gain_db_.data();
  float* __restrict level = level_db_.data();
  float* __restrict target = target_db_.data();
  const auto segments = static_cast<std::size_t>(segments_);
  const float* __restrict offset = level_offset_db_.data();
  const float* __restrict base = curve_base_db_.data();
  const float* __restrict attack = attack_.data();
  const float* __restrict release = release_.data();
  for (int done = 0; done < frames;) {
    const int n = std::min(kBlock, frames - done);
    // Every band filters the block before any output is written: in may equal out.
    filters_.process(in + done, filtered_.data(), 2 * bands_, n);
    for (int i = 0; i < n; ++i) {
      const float* frame = filtered_.data() + static_cast<std::size_t>(i) * 2 * bands;
      std::copy(frame, frame + bands, re);
      std::copy(frame + bands, frame + 2 * bands, im);
      // Three passes over the bands, each a loop the compiler vectorises: the level and the curve's
      // base, the curve's segments, then the attack/release one-pole (as
      // dsp/attack_release_smoother.hpp) and the gain.
      for (std::size_t k = 0; k < lanes; ++k) {
        level[k] = kDbPerLog2 * fast_log2(re[k] * re[k] + im[k] * im[k] + kTinyPower) + offset[k];
        target[k] = base[k];
      }
      for (std::size_t s = 0; s < segments; ++s) {
        const float* __restrict start = segment_start_db_.data() + s * lanes;
        const float* __restrict width = segment_width_db_.data() + s * lanes;
        const float* __restrict slope = segment_slope_.data() + s * lanes;
        for (std::size_t k = 0; k < lanes; ++k) target[k] += slope[k] * std::min(std::max(level[k] - start[k], 0.0f), width[k]);
      }
      for (std::size_t k = 0; k < lanes; ++k) {
        gain[k] += (target[k] < gain[k] ? attack[k] : release[k]) * (target[k] - gain[k]);
        const float g = fast_exp2(kLog2PerDb * gain[k]);
        yr[k] = g * re[k];
        yi[k] = g * im[k];
      }
      float zr = 0.0f, zi = 0.0f;
      for (std::size_t k = 0; k < bands; ++k) {
        zr += yr[k];
        zi += yi[k];
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
