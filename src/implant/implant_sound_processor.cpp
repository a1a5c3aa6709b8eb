#include "implant/implant_sound_processor.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/exp_log_lanes.hpp"
#include "dsp/float_lanes.hpp"
#include "dsp/real_fft.hpp"
#include "dsp/simd_path.hpp"
#include "implant/loudness_growth_lanes.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_SOUND_PROCESSOR_AVX2 1
#endif

namespace earshot {

ImplantSoundProcessor::ImplantSoundProcessor() = default;
ImplantSoundProcessor::~ImplantSoundProcessor() = default;
ImplantSoundProcessor::ImplantSoundProcessor(ImplantSoundProcessor&&) noexcept = default;
ImplantSoundProcessor& ImplantSoundProcessor::operator=(ImplantSoundProcessor&&) noexcept = default;

void ImplantSoundProcessor::prepare(std::shared_ptr<const ImplantPlan> plan) {
  plan_ = std::move(plan);
  const ImplantPlan& p = *plan_;
  const int bands = static_cast<int>(p.electrodes.size());
  scratch_.assign(static_cast<std::size_t>(std::ceil(p.frames_per_stimulation_frame)) + 2, 0.0f);
  if (p.map.strategy == ImplantStrategy::ace) {
    fft_ = std::make_unique<ComplexFft>(p.fft_size / 2);  // fft_size is a multiple of 4 (analysis_fft_size)
    history_.assign(2 * static_cast<std::size_t>(p.fft_size), 0.0f);
    first_bin_ = p.fft_size / 2 + 1;
    end_bin_ = 0;
    for (const auto& bb : p.band_bins) {
      if (bb.weights.empty()) continue;
      first_bin_ = std::min(first_bin_, bb.first_bin);
      end_bin_ = std::max(end_bin_, bb.first_bin + static_cast<int>(bb.weights.size()));
    }
    const int zero_slot = p.fft_size / 2 + 1;  // after every bin: always 0
    bin_power_.assign(static_cast<std::size_t>(zero_slot + 1), 0.0);
    twiddle_re_.assign(static_cast<std::size_t>(zero_slot), 0.0f);
    twiddle_im_.assign(static_cast<std::size_t>(zero_slot), 0.0f);
    const int groups = (bands + kDoubleLanes - 1) / kDoubleLanes;
    group_width_.assign(static_cast<std::size_t>(groups), 0);
    lane_bin_.clear();
    lane_weight_.clear();
    for (int g = 0; g < groups; ++g) {
      int width = 0;
      for (int l = 0; l < kDoubleLanes && g * kDoubleLanes + l < bands; ++l) width = std::max(width, static_cast<int>(p.band_bins[g * kDoubleLanes + l].weights.size()));
      group_width_[g] = width;
      for (int j = 0; j < width; ++j) {
        for (int l = 0; l < kDoubleLanes; ++l) {
          const int b = g * kDoubleLanes + l;
          const bool have = b < bands && j < static_cast<int>(p.band_bins[b].weights.size());
          lane_bin_.push_back(have ? p.band_bins[b].first_bin + j : zero_slot);
          lane_weight_.push_back(have ? p.band_bins[b].weights[j] : 0.0);
        }
      }
    }
    group_envelope_.assign(static_cast<std::size_t>(groups * kDoubleLanes), 0.0f);
    for (int k = 0; k <= p.fft_size / 2; ++k) {
      const double angle = 2.0 * std::numbers::pi * k / p.fft_size;
      twiddle_re_[k] = static_cast<float>(std::cos(angle));
      twiddle_im_[k] = static_cast<float>(-std::sin(angle));
    }
  } else {
    bank_.prepare(p);
  }
  log1p_alpha_ = p.loudness.log1p_alpha();
  avx2_ = simd_path() != SimdPath::baseline;
  const std::size_t padded = static_cast<std::size_t>((bands + kDoubleLanes - 1) / kDoubleLanes * kDoubleLanes);
  threshold_ua_.assign(padded, 1.0);
  log_dynamic_range_.assign(padded, 0.0);
  for (int b = 0; b < bands; ++b) {
    threshold_ua_[b] = p.electrodes[b].threshold_ua;
    log_dynamic_range_[b] = std::log(p.electrodes[b].comfort_ua / p.electrodes[b].threshold_ua);
  }
  lane_envelope_.assign(padded, 0.0);
  lane_threshold_.assign(padded, 1.0);
  lane_log_range_.assign(padded, 0.0);
  lane_proportion_.assign(padded, 0.0);
  lane_current_.assign(padded, 0.0);
  envelopes_.assign(bands, 0.0f);
  order_.resize(bands);
  selector_.prepare(bands, p.map.maxima);
  pulses_.resize(bands);
  reset();
}

void ImplantSoundProcessor::reset() noexcept {
  const ImplantPlan& p = *plan_;
  clock_ = 0;
  frame_index_ = 0;
  next_clock_ = p.frame_clock(1);
  pre_emphasis_ = p.pre_emphasis_filter;
  pre_emphasis_.reset();
  agc_envelope_ = 0.0f;
  std::fill(history_.begin(), history_.end(), 0.0f);
  history_pos_ = 0;
  bank_.reset();
  std::fill(envelopes_.begin(), envelopes_.end(), 0.0f);
}

namespace {
typedef float Float4 __attribute__((vector_size(4 * sizeof(float))));
}  // namespace

void ImplantSoundProcessor::push(const float* in, int frames) noexcept {
  const ImplantPlan& p = *plan_;
  float* x = scratch_.data();
  // Front end: pre-emphasis, then a peak-following limiter (no gain change below the knee). The
  // states and constants in locals for the block (x might alias them otherwise: a load and a
  // store a sample each); the same arithmetic.
  const bool emphasis = p.pre_emphasis, agc = p.map.agc;
  const float attack = p.agc_attack, release = p.agc_release, knee = p.agc_knee;
  Biquad emphasis_filter = pre_emphasis_;
  float envelope = agc_envelope_;
  for (int i = 0; i < frames; ++i) {
    float v = in[i];
    if (emphasis) v = static_cast<float>(emphasis_filter.step(v));
    if (agc) {
      // Both candidates first, then the choice: the chain carried from sample to sample is one
      // multiply, one add and a blend, where choosing the coefficient first put the compare, the
      // select and a subtract on it too (some 14 cycles a sample; this loop was a fifth of an ACE
      // render's profile). The same operations on the same values as
      // coeff * envelope + (1 - coeff) * a, so the same bits; the gain is 1 below the knee (v * 1
      // is v). In a vector's lanes (all four the same) because a vector's ?: is a blend, where a
      // scalar's became a branch on the compare.
      const float a = std::abs(v);
      const Float4 a4 = {a, a, a, a}, e4 = {envelope, envelope, envelope, envelope};
      const Float4 attacked = attack * e4 + (1.0f - attack) * a4;
      const Float4 released = release * e4 + (1.0f - release) * a4;
      const Float4 next = a4 > e4 ? attacked : released;
      const Float4 gain = next > knee ? knee / next : Float4{1.0f, 1.0f, 1.0f, 1.0f};
      envelope = next[0];
      v *= gain[0];
    }
    x[i] = v;
  }
  pre_emphasis_ = emphasis_filter;
  agc_envelope_ = envelope;
  if (p.map.strategy == ImplantStrategy::ace) {
    // Each sample twice, n apart, in contiguous runs up to the window's end.
    const int n = p.fft_size;
    float* h = history_.data();
    for (int i = 0; i < frames;) {
      const int run = std::min(frames - i, n - history_pos_);
      std::copy_n(x + i, run, h + history_pos_);
      std::copy_n(x + i, run, h + history_pos_ + n);
      history_pos_ += run;
      if (history_pos_ == n) history_pos_ = 0;
      i += run;
    }
  } else {
    bank_.push(x, frames);
  }
  clock_ += frames;
}

void ImplantSoundProcessor::analyse_fft() noexcept {
  if (avx2_) {
    analyse_fft_avx2();
  } else {
    analyse_fft_baseline();
  }
}

[[gnu::always_inline]] inline void ImplantSoundProcessor::analyse_fft_lanes() noexcept {
  const ImplantPlan& p = *plan_;
  ComplexFft& f = *fft_;
  const int m = f.size();  // fft_size / 2
  const float* __restrict h = history_.data() + history_pos_;
  const float* __restrict w = p.window.data();
  // The windowed samples in order: as complex values, z[t] = x[2t] + i x[2t + 1].
  float* __restrict time = &f.input()[0][0];
  for (int i = 0; i < 2 * m; ++i) time[i] = w[i] * h[i];
  f.forward();
  // The split pass (Brigham 1988, ch. 9.3): with Z the complex FFT of z, A = Z[k], B = conj Z[m - k],
  // the real FFT is X[k] = E + W^k O, E = (A + B) / 2, O = (A - B) / 2i, W = e^{-2 pi i / fft_size}.
  // The halvings are left out (2 X is as exact as X) and the power scaled by 1/4 instead, exactly.
  // The bands use bins 1 .. fft_size / 2 - 1 only (implant_design.cpp), so m - k is within 1 .. m - 1.
  // Each bin's power once (bins are shared by neighbouring bands), in double as before.
  const float* __restrict z = &f.output()[0][0];
  const float* __restrict wr = twiddle_re_.data();
  const float* __restrict wi = twiddle_im_.data();
  double* __restrict power = bin_power_.data();
  // Eight bins at a time: A from 16 floats in order, B from the 16 that end at bin m - k, reversed.
  // Every lane does the scalar step's float operations in its order (no contraction: see below),
  // so the powers are those of the scalar loop below, which does the last bins.
  int k = first_bin_;
  for (; k + kFloatLanes <= end_bin_; k += kFloatLanes) {
    FloatLanes lo, hi, rlo, rhi, twr, twi;
    load_lanes(z + 2 * k, lo);
    load_lanes(z + 2 * k + kFloatLanes, hi);
    load_lanes(z + 2 * (m - k - (kFloatLanes - 1)), rlo);
    load_lanes(z + 2 * (m - k - (kFloatLanes - 1)) + kFloatLanes, rhi);
    load_lanes(wr + k, twr);
    load_lanes(wi + k, twi);
    const FloatLanes ar = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);
    const FloatLanes ai = __builtin_shufflevector(lo, hi, 1, 3, 5, 7, 9, 11, 13, 15);
    const FloatLanes br = __builtin_shufflevector(rlo, rhi, 14, 12, 10, 8, 6, 4, 2, 0);
    const FloatLanes bi = -__builtin_shufflevector(rlo, rhi, 15, 13, 11, 9, 7, 5, 3, 1);
    const FloatLanes er = ar + br, ei = ai + bi;
    const FloatLanes orr = ai - bi, oi = br - ar;
    const FloatLanes xr = er + (twr * orr - twi * oi);
    const FloatLanes xi = ei + (twr * oi + twi * orr);
    const DoubleLanes xr0 = __builtin_convertvector(__builtin_shufflevector(xr, xr, 0, 1, 2, 3), DoubleLanes);
    const DoubleLanes xr1 = __builtin_convertvector(__builtin_shufflevector(xr, xr, 4, 5, 6, 7), DoubleLanes);
    const DoubleLanes xi0 = __builtin_convertvector(__builtin_shufflevector(xi, xi, 0, 1, 2, 3), DoubleLanes);
    const DoubleLanes xi1 = __builtin_convertvector(__builtin_shufflevector(xi, xi, 4, 5, 6, 7), DoubleLanes);
    store_lanes(0.25 * (xr0 * xr0 + xi0 * xi0), power + k);
    store_lanes(0.25 * (xr1 * xr1 + xi1 * xi1), power + k + kDoubleLanes);
  }
  for (; k < end_bin_; ++k) {
    const int r = m - k;
    const float ar = z[2 * k], ai = z[2 * k + 1], br = z[2 * r], bi = -z[2 * r + 1];
    const float er = ar + br, ei = ai + bi;  // 2 E
    const float orr = ai - bi, oi = br - ar;  // 2 O
    const float xr = er + (wr[k] * orr - wi[k] * oi);
    const float xi = ei + (wr[k] * oi + wi[k] * orr);
    power[k] = 0.25 * (double(xr) * xr + double(xi) * xi);
  }
  // The band sums, a band a lane (prepare): each lane adds its weighted bins in order, as
  // sum += w[j] p[j] one band at a time did, so the envelopes keep their bits.
  const int* __restrict bin = lane_bin_.data();
  const double* __restrict weight = lane_weight_.data();
  float* __restrict envelope = group_envelope_.data();
  for (std::size_t g = 0; g < group_width_.size(); ++g) {
    DoubleLanes sum = {};
    for (int j = 0; j < group_width_[g]; ++j) {
      DoubleLanes wj;
      load_lanes(weight, wj);
      const DoubleLanes pj = {power[bin[0]], power[bin[1]], power[bin[2]], power[bin[3]]};
      sum += wj * pj;
      bin += kDoubleLanes;
      weight += kDoubleLanes;
    }
    for (int l = 0; l < kDoubleLanes; ++l) envelope[l] = static_cast<float>(std::sqrt(sum[l]));
    envelope += kDoubleLanes;
  }
  std::copy_n(group_envelope_.data(), envelopes_.size(), envelopes_.data());
}

void ImplantSoundProcessor::select_and_map() noexcept {
  const ImplantPlan& p = *plan_;
  // n-of-m (or all), basal first: the order they are delivered in, one after another.
  const int chosen = selector_.select(envelopes_.data(), order_.data());
  // The loudness growth function (LoudnessGrowth::proportion) and ImplantElectrode::current_ua,
  // T (C/T)^p as T e^(p log(C/T)), four chosen bands at a time (dsp/exp_log_lanes.hpp; the lanes
  // past the last chosen band keep whatever they held: valid arguments, never read).
  for (int j = 0; j < chosen; ++j) {
    const int b = order_[j];
    lane_envelope_[j] = envelopes_[b];
    lane_threshold_[j] = threshold_ua_[b];
    lane_log_range_[j] = log_dynamic_range_[b];
  }
  if (avx2_) {
    map_lanes_avx2(chosen);
  } else {
    map_lanes_baseline(chosen);
  }
  int count = 0;
  for (int j = 0; j < chosen; ++j) {
    if (lane_proportion_[j] < 0.0) continue;  // below the base level: no pulse
    StimulationPulse& pulse = pulses_[count];
    pulse.electrode = order_[j];
    pulse.current_ua = static_cast<float>(lane_current_[j]);
    pulse.offset_frames = static_cast<float>(count * p.pulse_slot_frames);
    ++count;
  }
  frame_.pulse_count = count;
}

// The lanes of select_and_map and the window and bin powers of analyse_fft, compiled for the
// baseline target (SSE2: a four-double vector is two registers) and for AVX2 (one), picked at
// prepare. The AVX2 copy is built without FMA, so both copies do the same IEEE operations and give
// the same bits.

[[gnu::always_inline]] inline void ImplantSoundProcessor::map_lanes(int chosen) noexcept {
  const ImplantPlan& p = *plan_;
  for (int j = 0; j < chosen; j += kDoubleLanes) {
    DoubleLanes u, t, range, proportion, current;
    load_lanes(lane_envelope_.data() + j, u);
    load_lanes(lane_threshold_.data() + j, t);
    load_lanes(lane_log_range_.data() + j, range);
    loudness_proportion_lanes(p.loudness, u, log1p_alpha_, proportion);
    exp_lanes(proportion * range, current);
    current = t * current;
    store_lanes(proportion, lane_proportion_.data() + j);
    store_lanes(current, lane_current_.data() + j);
  }
}

void ImplantSoundProcessor::map_lanes_baseline(int chosen) noexcept { map_lanes(chosen); }
void ImplantSoundProcessor::analyse_fft_baseline() noexcept { analyse_fft_lanes(); }

#if defined(EARSHOT_SOUND_PROCESSOR_AVX2)
[[gnu::target("avx2")]] void ImplantSoundProcessor::map_lanes_avx2(int chosen) noexcept { map_lanes(chosen); }
[[gnu::target("avx2")]] void ImplantSoundProcessor::analyse_fft_avx2() noexcept { analyse_fft_lanes(); }
#else
void ImplantSoundProcessor::map_lanes_avx2(int chosen) noexcept { map_lanes(chosen); }
void ImplantSoundProcessor::analyse_fft_avx2() noexcept { analyse_fft_lanes(); }
#endif

const StimulationFrame& ImplantSoundProcessor::analyse() noexcept {
  const ImplantPlan& p = *plan_;
  if (p.map.strategy == ImplantStrategy::ace) {
    analyse_fft();
  } else {
    for (std::size_t b = 0; b < envelopes_.size(); ++b) envelopes_[b] = static_cast<float>(bank_.detector(static_cast<int>(b)) * p.envelope_scale);
  }
  select_and_map();
  frame_.index = frame_index_;
  frame_.time_frames = clock_ - p.analysis_delay_frames;
  frame_.pulses = pulses_.data();
  frame_.envelopes = envelopes_.data();
  ++frame_index_;
  next_clock_ = p.frame_clock(frame_index_ + 1);
  return frame_;
}

}  // namespace earshot
