#include "hearing_aid/multiband_compressor.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/attack_release_smoother.hpp"
#include "dsp/fast_math.hpp"
#include "dsp/fast_math_lanes.hpp"
#include "dsp/simd_path.hpp"

// GCC's and clang's target attribute: a second copy of the per-sample loop for AVX2 + FMA (as
// dsp/fir_filter.cpp).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_COMPRESSOR_AVX2 1
#endif

namespace earshot {
namespace {
// 10 log10(x) = kDbPerLog2 * log2(x) (power); 10^(dB / 20) = 2^(dB * kLog2PerDb) (amplitude).
constexpr float kDbPerLog2 = 3.0102999566f;
constexpr float kLog2PerDb = 0.1660964047f;
// Added to a power before its logarithm: far below any level of interest (-300 dB re full scale).
constexpr float kTinyPower = 1e-30f;
constexpr int kLanes = kFloatLanes;
}  // namespace

void MultibandCompressor::prepare(const MultibandCompressorPlan& plan) {
  plan_ = &plan;
  avx2_ = simd_path() == SimdPath::avx2;
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
  std::vector<std::vector<float>> taps;
  for (const CompressorBand& b : plan.bands) taps.push_back(b.taps.in_phase);
  for (const CompressorBand& b : plan.bands) taps.push_back(b.taps.quadrature);
  filters_.prepare(taps, convolution_partition_frames(static_cast<int>(plan.bands.front().taps.in_phase.size())));
  filtered_.assign(static_cast<std::size_t>(filters_.lanes()) * kBlock, 0.0f);
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
#if defined(EARSHOT_COMPRESSOR_AVX2)
  if (avx2_) {
    process_avx2(in, out, frames);
    return;
  }
#endif
  process_baseline(in, out, frames);
}

void MultibandCompressor::process_baseline(const float* in, float* out, int frames) noexcept { run(in, out, frames); }

#if defined(EARSHOT_COMPRESSOR_AVX2)
[[gnu::target("avx2,fma")]] void MultibandCompressor::process_avx2(const float* in, float* out, int frames) noexcept { run(in, out, frames); }
#else
void MultibandCompressor::process_avx2(const float* in, float* out, int frames) noexcept { process_baseline(in, out, frames); }
#endif

// The block loop, written once and compiled into both copies above.
[[gnu::always_inline]] inline void MultibandCompressor::run(const float* in, float* out, int frames) noexcept {
  const auto bands = static_cast<std::size_t>(bands_);
  const auto lanes = static_cast<std::size_t>(lanes_);
  float* __restrict re = re_.data();
  float* __restrict im = im_.data();
  float* __restrict yr = yr_.data();
  float* __restrict yi = yi_.data();
  float* __restrict gain = gain_db_.data();
  const auto segments = static_cast<std::size_t>(segments_);
  const float* segment_start = segment_start_db_.data();
  const float* segment_width = segment_width_db_.data();
  const float* segment_slope = segment_slope_.data();
  const float* __restrict offset = level_offset_db_.data();
  const float* __restrict base = curve_base_db_.data();
  const float* __restrict attack = attack_.data();
  const float* __restrict release = release_.data();
  for (int done = 0; done < frames;) {
    const int n = std::min(kBlock, frames - done);
    // Every band filters the block before any output is written: in may equal out.
    filters_.process(in + done, filtered_.data(), filters_.lanes(), n);
    for (int i = 0; i < n; ++i) {
      const float* frame = filtered_.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(filters_.lanes());
      std::copy(frame, frame + bands, re);
      std::copy(frame + bands, frame + 2 * bands, im);
      // Eight bands at a time (dsp/fast_math_lanes.hpp): the level from the analytic envelope, the
      // static curve, the attack/release one-pole (dsp/attack_release_smoother.hpp's, lane by lane)
      // and the gain.
      for (std::size_t c = 0; c < lanes; c += kFloatLanes) {
        FloatLanes r, q, level, target, g_db, a, rel;
        load_lanes(re + c, r);
        load_lanes(im + c, q);
        const FloatLanes power = r * r + q * q + kTinyPower;
        fast_log2_lanes(power, level);
        load_lanes(offset + c, a);
        level = kDbPerLog2 * level + a;
        load_lanes(base + c, target);
        for (std::size_t s = 0; s < segments; ++s) {
          FloatLanes start, width, slope;
          load_lanes(segment_start + s * lanes + c, start);
          load_lanes(segment_width + s * lanes + c, width);
          load_lanes(segment_slope + s * lanes + c, slope);
          FloatLanes above = level - start;
          above = above < 0.0f ? FloatLanes{} : above;
          above = above > width ? width : above;
          target += slope * above;
        }
        load_lanes(gain + c, g_db);
        load_lanes(attack + c, a);
        load_lanes(release + c, rel);
        g_db += (target < g_db ? a : rel) * (target - g_db);
        store_lanes(g_db, gain + c);
        FloatLanes amplitude;
        const FloatLanes log2_amplitude = kLog2PerDb * g_db;
        fast_exp2_lanes(log2_amplitude, amplitude);
        store_lanes(amplitude * r, yr + c);
        store_lanes(amplitude * q, yi + c);
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
