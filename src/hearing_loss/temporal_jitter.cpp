#include "hearing_loss/temporal_jitter.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace earshot {

SpecErrors validate(const TemporalJitterParams& p, double fs) {
  SpecErrors errors;
  if (!(p.rms_ms >= 0.0 && p.rms_ms <= 2.0)) {
    errors.push_back({"jitter_ms", format_number(p.rms_ms) + " ms is outside 0...2 ms (rms delay)"});
  }
  if (!(p.bandwidth_hz >= 10.0 && p.bandwidth_hz <= 2000.0 && p.bandwidth_hz < 0.4 * fs)) {
    errors.push_back({"jitter_bandwidth_hz", format_number(p.bandwidth_hz) + " Hz is outside 10...2000 Hz (and below 0.4 x the rate)"});
  }
  if (!(p.cutoff_hz >= 200.0 && p.cutoff_hz <= 4000.0 && p.cutoff_hz < 0.4 * fs)) {
    errors.push_back({"jitter_cutoff_hz", format_number(p.cutoff_hz) + " Hz is outside 200...4000 Hz (and below 0.4 x the rate)"});
  }
  return errors;
}

int temporal_jitter_latency_frames(const TemporalJitterParams& p, double fs) {
  if (!(p.rms_ms > 0.0)) return 0;
  const double rms_frames = p.rms_ms * 1e-3 * fs;
  return static_cast<int>(std::ceil(4.0 * rms_frames)) + 2;
}

void TemporalJitter::prepare(const TemporalJitterParams& p, double fs, std::uint64_t seed) {
  active_ = p.rms_ms > 0.0;
  seed_ = seed;
  if (!active_) {
    base_delay_frames_ = 0;
    return;
  }
  const double rms_frames = p.rms_ms * 1e-3 * fs;
  max_excursion_frames_ = 4.0 * rms_frames;
  base_delay_frames_ = temporal_jitter_latency_frames(p, fs);
  for (int s = 0; s < 2; ++s) {
    low_[s] = butterworth_lowpass2(p.cutoff_hz, fs);
    high_[s] = butterworth_highpass2(p.cutoff_hz, fs);
  }
  // Linkwitz-Riley 4th order (each band two Butterworth sections): the bands are in phase at the
  // crossover and add to an all-pass, so with no jitter the sum has a flat magnitude.
  delay_filter_ = butterworth_lowpass2(p.bandwidth_hz, fs);
  // Unit white noise through the delay filter has variance sum(h^2); scale it to the rms asked for.
  Biquad probe = delay_filter_;
  double energy = 0.0;
  for (int i = 0; i < static_cast<int>(fs); ++i) {
    const double y = probe.step(i == 0 ? 1.0 : 0.0);
    energy += y * y;
  }
  noise_scale_ = rms_frames / std::sqrt(energy);
  const int length = base_delay_frames_ * 2 + 8;
  low_line_.assign(length, 0.0);
  high_line_.assign(length, 0.0);
  reset();
}

void TemporalJitter::reset() noexcept {
  if (!active_) return;
  for (auto* b : {&low_[0], &low_[1], &high_[0], &high_[1], &delay_filter_}) b->z1 = b->z2 = 0.0;
  std::fill(low_line_.begin(), low_line_.end(), 0.0);
  std::fill(high_line_.begin(), high_line_.end(), 0.0);
  write_ = 0;
  random_.set_state(seed_);  // used as given: the engine passes a derive_seed() output (kSeedJitter)
}

void TemporalJitter::process(const float* in, float* out, int frames) noexcept {
  if (!active_) {
    if (in != out) std::copy(in, in + frames, out);
    return;
  }
  const int length = static_cast<int>(low_line_.size());
  for (int i = 0; i < frames; ++i) {
    const double x = in[i];
    low_line_[write_] = low_[1].step(low_[0].step(x));
    high_line_[write_] = high_[1].step(high_[0].step(x));
    // High band: the fixed delay. Low band: the fixed delay plus the jitter, read by cubic
    // (4-point Lagrange) interpolation.
    const double d = std::clamp(noise_scale_ * delay_filter_.step(random_.gaussian()), -max_excursion_frames_, max_excursion_frames_);
    const double read = write_ - base_delay_frames_ - d;
    const double fl = std::floor(read);
    const double t = read - fl;
    auto at = [&](int k) { return low_line_[((static_cast<int>(fl) + k) % length + length) % length]; };
    const double ym1 = at(-1), y0 = at(0), y1 = at(1), y2 = at(2);
    const double low = y0 + t * (-ym1 / 3.0 - y0 / 2.0 + y1 - y2 / 6.0) + t * t * ((ym1 + y1) / 2.0 - y0) +
                       t * t * t * ((y2 - ym1) / 6.0 + (y0 - y1) / 2.0);
    const double high = high_line_[((write_ - base_delay_frames_) % length + length) % length];
    out[i] = static_cast<float>(low + high);
    write_ = (write_ + 1) % length;
  }
}

}  // namespace earshot
