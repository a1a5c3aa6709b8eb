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

// The dB of eight analytic samples r + j q: 10 log10 |z|^2, plus offset_db (the band levels and the
// limiter's output level alike).
[[gnu::always_inline]] inline void power_db_lanes(const FloatLanes& r, const FloatLanes& q, const FloatLanes& offset_db, FloatLanes& db) noexcept {
  const FloatLanes power = r * r + q * q + kTinyPower;
  FloatLanes log2_power;
  fast_log2_lanes(power, log2_power);
  db = kDbPerLog2 * log2_power + offset_db;
}
}  // namespace

void MultibandCompressor::prepare(const MultibandCompressorPlan& plan, int block_frames) {
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
  yr_.assign(kLanes, 0.0f);
  yi_.assign(kLanes, 0.0f);
  // Whole vectors of bands run frame by frame, and so does a last vector holding four bands or
  // more; a last one to three bands run across frames (see run()).
  per_frame_bands_ = bands_ / kLanes * kLanes;
  if (bands_ - per_frame_bands_ >= kLanes / 2) per_frame_bands_ = bands_;
  block_frames_ = std::max(block_frames, 0);
  chunk_frames_ = block_frames_ > 0 ? block_frames_ : kBlock;
  // Whole vectors: the loops across frames run to the chunk rounded up to a vector.
  const auto block = static_cast<std::size_t>((chunk_frames_ + kLanes - 1) / kLanes * kLanes);
  sum_re_.assign(block, 0.0f);
  sum_im_.assign(block, 0.0f);
  across_re_.assign(block, 0.0f);
  across_im_.assign(block, 0.0f);
  across_db_.assign(block, 0.0f);
  std::vector<std::vector<float>> taps;
  for (const CompressorBand& b : plan.bands) taps.push_back(b.taps.in_phase);
  for (const CompressorBand& b : plan.bands) taps.push_back(b.taps.quadrature);
  if (block_frames_ > 0) {
    block_filters_.prepare(taps, block_frames_);
    filters_ = PartitionedConvolver{};
    stride_ = block_filters_.lanes();
  } else {
    filters_.prepare(taps, convolution_partition_frames(static_cast<int>(plan.bands.front().taps.in_phase.size())));
    block_filters_ = BlockConvolver{};
    stride_ = filters_.lanes();
  }
  // One vector more than the block's rows: a frame's last vector of bands may read past its row.
  filtered_.assign(static_cast<std::size_t>(stride_) * static_cast<std::size_t>(chunk_frames_) + kLanes, 0.0f);
  output_offset_db_ = static_cast<float>(plan.calibration_db_spl + to_tone_db);
  mpo_db_spl_ = static_cast<float>(plan.mpo_db_spl);
  limiter_release_ = static_cast<float>(one_pole_coefficient(kLimiterReleaseMs * 1e-3, plan.sample_rate_hz));
  reset();
}

void MultibandCompressor::reset() noexcept {
  if (block_frames_ > 0) block_filters_.reset();
  else filters_.reset();
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

// One vector of bands (from lane c) for one frame: the level from the analytic envelope, the
// static curve, the attack/release one-pole (dsp/attack_release_smoother.hpp's, lane by lane) and
// the gain; the bands' outputs to yr, yi.
[[gnu::always_inline]] inline void MultibandCompressor::bands_of_frame(const float* frame, std::size_t c, float* yr, float* yi) noexcept {
  const auto lanes = static_cast<std::size_t>(lanes_);
  FloatLanes r, q, level, target, g_db, a, rel;
  load_lanes(frame + c, r);
  load_lanes(frame + bands_ + c, q);
  load_lanes(level_offset_db_.data() + c, a);
  power_db_lanes(r, q, a, level);
  load_lanes(curve_base_db_.data() + c, target);
  for (std::size_t s = 0; s < static_cast<std::size_t>(segments_); ++s) {
    FloatLanes start, width, slope;
    load_lanes(segment_start_db_.data() + s * lanes + c, start);
    load_lanes(segment_width_db_.data() + s * lanes + c, width);
    load_lanes(segment_slope_.data() + s * lanes + c, slope);
    FloatLanes above = level - start;
    above = above < 0.0f ? FloatLanes{} : above;
    above = above > width ? width : above;
    target += slope * above;
  }
  load_lanes(gain_db_.data() + c, g_db);
  load_lanes(attack_.data() + c, a);
  load_lanes(release_.data() + c, rel);
  g_db += (target < g_db ? a : rel) * (target - g_db);
  store_lanes(g_db, gain_db_.data() + c);
  FloatLanes amplitude;
  const FloatLanes log2_amplitude = kLog2PerDb * g_db;
  fast_exp2_lanes(log2_amplitude, amplitude);
  store_lanes(amplitude * r, yr);
  store_lanes(amplitude * q, yi);
}

// The block loop, written once and compiled into both copies above. Every value is the same
// expression, lane by lane, as a loop over frames with the bands side by side would compute it,
// and the bands are summed in the same order; only which lanes carry what differs:
//  - bands in whole vectors of eight (and a last vector of four or more) run frame by frame, with
//    the gain's one-pole in between;
//  - a last few bands (one to three, as nal-r's ninth at 6 kHz) would waste most of a vector per
//    frame, so each runs across eight frames at a time: its level and static curve (which need no
//    state), then its one-pole frame by frame (the only step that does), then its gain;
//  - the limiter likewise: the output's level across frames, the instant-attack, slow-release
//    minimum frame by frame, then the gain.
[[gnu::always_inline]] inline void MultibandCompressor::run(const float* in, float* out, int frames) noexcept {
  const auto bands = static_cast<std::size_t>(bands_);
  const auto lanes = static_cast<std::size_t>(lanes_);
  const auto stride = static_cast<std::size_t>(stride_);
  const auto per_frame = static_cast<std::size_t>(per_frame_bands_);
  const auto segments = static_cast<std::size_t>(segments_);
  float* __restrict yr = yr_.data();
  float* __restrict yi = yi_.data();
  float* __restrict zr = sum_re_.data();
  float* __restrict zi = sum_im_.data();
  float* __restrict x_re = across_re_.data();
  float* __restrict x_im = across_im_.data();
  float* __restrict x_db = across_db_.data();
  for (int done = 0; done < frames;) {
    const int n = std::min(chunk_frames_, frames - done);
    const auto frames_n = static_cast<std::size_t>(n);
    const std::size_t padded_n = (frames_n + kLanes - 1) / kLanes * kLanes;
    // Every band filters the block before any output is written: in may equal out.
    if (block_frames_ > 0) block_filters_.process_block(in + done, filtered_.data(), stride_);
    else filters_.process(in + done, filtered_.data(), stride_, n);
    const float* filtered = filtered_.data();
    for (std::size_t i = 0; i < frames_n; ++i) {
      const float* frame = filtered + i * stride;
      float sr = 0.0f, si = 0.0f;
      for (std::size_t c = 0; c < per_frame; c += kLanes) {
        bands_of_frame(frame, c, yr, yi);
        // Lanes past the last band carry the next row's values; they are not summed.
        const std::size_t used = std::min<std::size_t>(kLanes, per_frame - c);
        for (std::size_t l = 0; l < used; ++l) {
          sr += yr[l];
          si += yi[l];
        }
      }
      zr[i] = sr;
      zi[i] = si;
    }
    for (std::size_t k = per_frame; k < bands; ++k) {
      for (std::size_t i = 0; i < frames_n; ++i) {
        x_re[i] = filtered[i * stride + k];
        x_im[i] = filtered[i * stride + bands + k];
      }
      const FloatLanes offset = FloatLanes{} + level_offset_db_[k];
      const FloatLanes base = FloatLanes{} + curve_base_db_[k];
      for (std::size_t i = 0; i < padded_n; i += kLanes) {
        FloatLanes r, q, level;
        load_lanes(x_re + i, r);
        load_lanes(x_im + i, q);
        power_db_lanes(r, q, offset, level);
        FloatLanes target = base;
        for (std::size_t s = 0; s < segments; ++s) {
          const FloatLanes start = FloatLanes{} + segment_start_db_[s * lanes + k];
          const FloatLanes width = FloatLanes{} + segment_width_db_[s * lanes + k];
          const FloatLanes slope = FloatLanes{} + segment_slope_[s * lanes + k];
          FloatLanes above = level - start;
          above = above < 0.0f ? FloatLanes{} : above;
          above = above > width ? width : above;
          target += slope * above;
        }
        store_lanes(target, x_db + i);
      }
      float g_db = gain_db_[k];
      const float attack = attack_[k], release = release_[k];
      for (std::size_t i = 0; i < frames_n; ++i) {
        const float target = x_db[i];
        g_db += (target < g_db ? attack : release) * (target - g_db);
        x_db[i] = g_db;
      }
      gain_db_[k] = g_db;
      for (std::size_t i = 0; i < padded_n; i += kLanes) {
        FloatLanes g, amplitude, r, q, s_r, s_i;
        load_lanes(x_db + i, g);
        const FloatLanes log2_amplitude = kLog2PerDb * g;
        fast_exp2_lanes(log2_amplitude, amplitude);
        load_lanes(x_re + i, r);
        load_lanes(x_im + i, q);
        load_lanes(zr + i, s_r);
        load_lanes(zi + i, s_i);
        store_lanes(s_r + amplitude * r, zr + i);
        store_lanes(s_i + amplitude * q, zi + i);
      }
    }
    // The limiter: instant down to the MPO, released slowly (see the design's header).
    for (std::size_t i = 0; i < padded_n; i += kLanes) {
      FloatLanes r, q, output_db;
      load_lanes(zr + i, r);
      load_lanes(zi + i, q);
      power_db_lanes(r, q, FloatLanes{} + output_offset_db_, output_db);
      FloatLanes over_db = mpo_db_spl_ - output_db;
      over_db = over_db > 0.0f ? FloatLanes{} : over_db;
      store_lanes(over_db, x_db + i);
    }
    float limiter_db = limiter_gain_db_;
    for (std::size_t i = 0; i < frames_n; ++i) {
      limiter_db = std::min(x_db[i], limiter_db - limiter_release_ * limiter_db);
      x_db[i] = limiter_db;
    }
    limiter_gain_db_ = limiter_db;
    for (std::size_t i = 0; i < padded_n; i += kLanes) {
      FloatLanes g, amplitude, r;
      load_lanes(x_db + i, g);
      const FloatLanes log2_amplitude = kLog2PerDb * g;
      fast_exp2_lanes(log2_amplitude, amplitude);
      load_lanes(zr + i, r);
      store_lanes(r * amplitude, x_re + i);
    }
    std::copy(x_re, x_re + frames_n, out + done);
    done += n;
  }
}

}  // namespace earshot
