#include "implant/implant_auralizer.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/exp_log_lanes.hpp"
#include "dsp/float_lanes.hpp"
#include "dsp/simd_path.hpp"
#include "implant/loudness_growth_lanes.hpp"
#include "support/seed.hpp"

namespace earshot {
namespace {

std::int64_t wrap(std::int64_t x, std::int64_t m) { return ((x % m) + m) % m; }

}  // namespace

void ImplantAuralizer::prepare(std::shared_ptr<const ImplantPlan> plan) {
  plan_ = std::move(plan);
  const std::size_t n = plan_->electrodes.size();
  previous_.assign(n, 0.0f);
  current_.assign(n, 0.0f);
  heard_.assign(n, 0.0f);
  log_dynamic_range_.resize(n);
  for (std::size_t e = 0; e < n; ++e) {
    const ImplantElectrode& electrode = plan_->electrodes[e];
    log_dynamic_range_[e] = std::log(electrode.comfort_ua / electrode.threshold_ua);
  }
  // A frame has at most one pulse per electrode.
  const std::size_t padded = (n + kDoubleLanes - 1) / kDoubleLanes * kDoubleLanes;
  lane_ratio_.assign(padded, 1.0);
  lane_log_range_.assign(padded, 1.0);
  lane_envelope_.assign(padded, 0.0);
  log1p_alpha_ = plan_->loudness.log1p_alpha();
  avx2_ = simd_path() == SimdPath::avx2;
  segment_.assign(static_cast<std::size_t>(std::ceil(plan_->frames_per_stimulation_frame)) + 2, 0.0f);
  lane_start_.assign(n * kFloatLanes, 0.0f);
  lane_slope_.assign(n * kFloatLanes, 0.0f);
  read_a_.assign(n, nullptr);
  read_b_.assign(n, nullptr);
  active_.assign(n, 0);
  reset();
}

void ImplantAuralizer::reset() noexcept {
  std::fill(previous_.begin(), previous_.end(), 0.0f);
  std::fill(current_.begin(), current_.end(), 0.0f);
  started_ = false;
  previous_time_ = 0;
  rng_ = derive_seed(plan_->seed, {kSeedImplantReadHeads});
  if (rng_ == 0) rng_ = 0x2545F4914F6CDD1Dull;  // xorshift's one stuck state
  head_a_ = static_cast<std::int64_t>(next_random() % static_cast<std::uint64_t>(std::max(1, plan_->table_length)));
  head_b_ = static_cast<std::int64_t>(next_random() % static_cast<std::uint64_t>(std::max(1, plan_->table_length)));
}

std::uint64_t ImplantAuralizer::next_random() noexcept {
  rng_ ^= rng_ >> 12;
  rng_ ^= rng_ << 25;
  rng_ ^= rng_ >> 27;
  return rng_ * 0x2545F4914F6CDD1Dull;
}

void ImplantAuralizer::add(const StimulationFrame& frame, float* ring) noexcept {
  const ImplantPlan& p = *plan_;
  const int electrodes = static_cast<int>(current_.size());
  // Each pulse's current back to the band envelope it encodes (inverse loudness growth).
  std::swap(previous_, current_);
  float* encoded = p.map.carrier == Carrier::sine ? heard_.data() : current_.data();
  std::fill(encoded, encoded + electrodes, 0.0f);
  // ImplantElectrode::proportion and LoudnessGrowth::envelope, with their constants computed once
  // (prepare), four pulses at a time (dsp/exp_log_lanes.hpp; the lanes past the last pulse keep
  // whatever they held: valid arguments, never read).
  for (int i = 0; i < frame.pulse_count; ++i) {
    const StimulationPulse& pulse = frame.pulses[i];
    lane_ratio_[i] = pulse.current_ua / p.electrodes[pulse.electrode].threshold_ua;
    lane_log_range_[i] = log_dynamic_range_[pulse.electrode];
  }
  if (avx2_) {
    decode_lanes_avx2(frame.pulse_count);
  } else {
    decode_lanes_baseline(frame.pulse_count);
  }
  for (int i = 0; i < frame.pulse_count; ++i) encoded[frame.pulses[i].electrode] = static_cast<float>(lane_envelope_[i]);
  if (p.map.carrier == Carrier::sine) {
    // Current spread: each sine carries the excitation all electrodes produce at its place.
    for (int r = 0; r < electrodes; ++r) {
      const float* row = p.sine_mixing.data() + static_cast<std::size_t>(r) * electrodes;
      double sum = 0.0;
      for (int s = 0; s < electrodes; ++s) sum += double(row[s] * encoded[s]) * (row[s] * encoded[s]);
      current_[r] = static_cast<float>(std::sqrt(sum));
    }
  }
  if (p.map.carrier == Carrier::pulsatile) {
    const std::int64_t mask = p.ring_frames - 1;
    for (int i = 0; i < frame.pulse_count; ++i) {
      const StimulationPulse& pulse = frame.pulses[i];
      const auto& h = p.pulse_responses[pulse.electrode];
      const float amplitude = current_[pulse.electrode] * p.pulse_amplitude_scale;
      const std::int64_t at = frame.time_frames + std::lround(pulse.offset_frames) - p.pulse_centres[pulse.electrode] + p.latency_frames;
      const int length = static_cast<int>(h.size());
      const std::int64_t start = at & mask;
      const int first = static_cast<int>(std::min<std::int64_t>(length, p.ring_frames - start));
      for (int j = 0; j < first; ++j) ring[start + j] += amplitude * h[j];
      for (int j = first; j < length; ++j) ring[j - first] += amplitude * h[j];
    }
    return;
  }
  // Envelope carriers: the segment from the previous frame's time to this one's, the envelope
  // moving linearly between them.
  const std::int64_t start = previous_time_;
  const int length = static_cast<int>(frame.time_frames - previous_time_);
  previous_time_ = frame.time_frames;
  if (!started_) {
    started_ = true;
    return;
  }
  if (length > 0) add_segment(start, length, ring);
}

// add_segment is compiled twice, like BandEnvelopeBank::push: for the target's baseline (SSE2,
// four floats a register) and for AVX2 (eight), picked at prepare (dsp/simd_path.hpp). The AVX2
// copy is built without FMA, so no multiply-add is contracted and both copies give the same bits.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_AURALIZER_AVX2 1
#endif

[[gnu::always_inline]] inline void ImplantAuralizer::mix_segment(std::int64_t start, int length, float* ring) noexcept {
  const ImplantPlan& p = *plan_;
  const int electrodes = static_cast<int>(current_.size());
  float* seg = segment_.data();
  std::fill(seg, seg + length, 0.0f);
  const int table = p.table_length;
  const float inv_length = 1.0f / static_cast<float>(length);
  const bool noise = p.map.carrier == Carrier::noise;
  // The electrodes that sound (in order), their envelopes' start and slope in every lane.
  int sounding = 0;
  int* __restrict which = active_.data();
  for (int e = 0; e < electrodes; ++e) {
    const float a0 = previous_[e], a1 = current_[e];
    if (a0 == 0.0f && a1 == 0.0f) continue;
    const float slope = (a1 - a0) * inv_length;
    std::fill_n(lane_start_.data() + sounding * kFloatLanes, kFloatLanes, a0);
    std::fill_n(lane_slope_.data() + sounding * kFloatLanes, kFloatLanes, slope);
    which[sounding++] = e;
  }
  // Each sample sums the electrodes' carriers, each times its envelope (moving linearly from the
  // previous frame's to this one's), in electrode order: the same operations, in the same order,
  // as one electrode at a time over the whole run, so the same bits; but eight samples stay in a
  // register across the electrodes, and the crossfade gains are read once, not per electrode.
  const float* __restrict starts = lane_start_.data();
  const float* __restrict slopes = lane_slope_.data();
  const float* const* reads_a = read_a_.data();
  const float* const* reads_b = read_b_.data();
  IntLanes iota;
  for (int lane = 0; lane < kFloatLanes; ++lane) iota[lane] = lane;
  // Noise: split the segment where a read head renews (every crossfade_frames, alternately).
  int done = 0;
  while (done < length) {
    const std::int64_t t0 = start + done;
    int run = length - done;
    int fade = 0;
    if (noise) {
      fade = static_cast<int>(wrap(t0, 2 * p.crossfade_frames));
      if (fade == 0) head_b_ = static_cast<std::int64_t>(next_random() % static_cast<std::uint64_t>(table));
      if (fade == p.crossfade_frames) head_a_ = static_cast<std::int64_t>(next_random() % static_cast<std::uint64_t>(table));
      const int to_boundary = fade < p.crossfade_frames ? p.crossfade_frames - fade : 2 * p.crossfade_frames - fade;
      run = std::min(run, to_boundary);
    }
    const std::int64_t offset_a = noise ? wrap(head_a_ + t0, table) : wrap(t0, table);
    const std::int64_t offset_b = noise ? wrap(head_b_ + t0, table) : 0;
    for (int k = 0; k < sounding; ++k) {
      const float* tab = p.carrier_tables[which[k]].data();
      read_a_[k] = tab + offset_a;
      read_b_[k] = tab + offset_b;
    }
    float* __restrict out = seg + done;
    const float* __restrict ga = p.crossfade_gain.data() + fade;
    const float* __restrict gb = p.crossfade_gain.data() + (noise ? (fade + p.crossfade_frames) % (2 * p.crossfade_frames) : 0);
    int i = 0;
    for (; i + kFloatLanes <= run; i += kFloatLanes) {
      const FloatLanes at = __builtin_convertvector((done + i) + iota, FloatLanes);
      FloatLanes sum, gain_a, gain_b;
      load_lanes(out + i, sum);
      if (noise) {
        load_lanes(ga + i, gain_a);
        load_lanes(gb + i, gain_b);
      }
      for (int k = 0; k < sounding; ++k) {
        FloatLanes a0, slope, ta;
        load_lanes(starts + k * kFloatLanes, a0);
        load_lanes(slopes + k * kFloatLanes, slope);
        load_lanes(reads_a[k] + i, ta);
        if (noise) {
          FloatLanes tb;
          load_lanes(reads_b[k] + i, tb);
          sum = sum + (a0 + slope * at) * (gain_a * ta + gain_b * tb);
        } else {
          sum = sum + (a0 + slope * at) * ta;
        }
      }
      store_lanes(sum, out + i);
    }
    for (; i < run; ++i) {
      const float at = static_cast<float>(done + i);
      float sum = out[i];
      for (int k = 0; k < sounding; ++k) {
        const float a0 = starts[k * kFloatLanes], slope = slopes[k * kFloatLanes];
        if (noise) {
          sum = sum + (a0 + slope * at) * (ga[i] * reads_a[k][i] + gb[i] * reads_b[k][i]);
        } else {
          sum = sum + (a0 + slope * at) * reads_a[k][i];
        }
      }
      out[i] = sum;
    }
    done += run;
  }
  const std::int64_t mask = p.ring_frames - 1;
  const std::int64_t at = (start + p.latency_frames) & mask;
  const int first = static_cast<int>(std::min<std::int64_t>(length, p.ring_frames - at));
  for (int i = 0; i < first; ++i) ring[at + i] += seg[i];
  for (int i = first; i < length; ++i) ring[i - first] += seg[i];
}

// The inverse loudness growth of add's pulses, compiled like add_segment (no FMA in the AVX2 copy:
// the same bits).
[[gnu::always_inline]] inline void ImplantAuralizer::decode_lanes(int pulses) noexcept {
  const ImplantPlan& p = *plan_;
  for (int i = 0; i < pulses; i += kDoubleLanes) {
    DoubleLanes ratio, range, log_ratio, envelope;
    load_lanes(lane_ratio_.data() + i, ratio);
    load_lanes(lane_log_range_.data() + i, range);
    log_lanes(ratio, log_ratio);
    loudness_envelope_lanes(p.loudness, log_ratio / range, log1p_alpha_, envelope);
    store_lanes(envelope, lane_envelope_.data() + i);
  }
}

void ImplantAuralizer::decode_lanes_baseline(int pulses) noexcept { decode_lanes(pulses); }

#if defined(EARSHOT_AURALIZER_AVX2)
[[gnu::target("avx2")]] void ImplantAuralizer::decode_lanes_avx2(int pulses) noexcept { decode_lanes(pulses); }
#else
void ImplantAuralizer::decode_lanes_avx2(int pulses) noexcept { decode_lanes(pulses); }
#endif

void ImplantAuralizer::add_segment(std::int64_t start, int length, float* ring) noexcept {
  if (avx2_) {
    add_segment_avx2(start, length, ring);
  } else {
    add_segment_baseline(start, length, ring);
  }
}

void ImplantAuralizer::add_segment_baseline(std::int64_t start, int length, float* ring) noexcept { mix_segment(start, length, ring); }

#if defined(EARSHOT_AURALIZER_AVX2)
[[gnu::target("avx2")]] void ImplantAuralizer::add_segment_avx2(std::int64_t start, int length, float* ring) noexcept {
  mix_segment(start, length, ring);
}
#else
void ImplantAuralizer::add_segment_avx2(std::int64_t start, int length, float* ring) noexcept { mix_segment(start, length, ring); }
#endif

}  // namespace earshot
