#pragma once
// Temporal jitter: a loss of the timing precision of neural phase locking, simulated as a small
// random time-varying delay of the low-frequency part of the sound (Pichora-Fuller, Schneider,
// MacDonald, Pass & Brown 2007, "Temporal jitter disrupts speech intelligibility: a simulation of
// auditory aging", Hearing Research 223:114-121). The delay is Gaussian noise low-passed to
// `bandwidth_hz` and scaled to `rms_ms`; it moves the band below `cutoff_hz` (split off by a
// 4th-order Linkwitz-Riley crossover, whose two bands sum to an all-pass) around a fixed delay
// that is reported as latency, so the offline render removes it. Off (rms 0) it is not in the path.
#include <cstdint>
#include <vector>

#include "dsp/butterworth.hpp"
#include "support/random_source.hpp"
#include "support/spec_error.hpp"

namespace earshot {

struct TemporalJitterParams {
  double rms_ms = 0.0;          // standard deviation of the delay; 0 = off
  double bandwidth_hz = 500.0;  // how fast the delay wanders (low-pass of the delay noise)
  double cutoff_hz = 1200.0;    // only the band below this is jittered (phase locking matters there)
};

SpecErrors validate(const TemporalJitterParams& params, double sample_rate_hz);

// The fixed delay the jitter adds (0 when off): the delay swings up to 4 standard deviations
// either way around it, plus 2 frames for the interpolator.
int temporal_jitter_latency_frames(const TemporalJitterParams& params, double sample_rate_hz);

class TemporalJitter {
 public:
  // May allocate. `seed` drives the delay noise: same seed, same output. It is the generator state as
  // given (nonzero), so pass a well-mixed one: the engine gives derive_seed(seed, {kSeedEar, ear, kSeedJitter}).
  void prepare(const TemporalJitterParams& params, double sample_rate_hz, std::uint64_t seed);
  void reset() noexcept;
  void process(const float* in, float* out, int frames) noexcept;  // in may equal out
  int latency_frames() const noexcept { return base_delay_frames_; }
  bool active() const noexcept { return active_; }

 private:
  bool active_ = false;
  std::uint64_t seed_ = 1;
  int base_delay_frames_ = 0;
  double max_excursion_frames_ = 0.0;
  double noise_scale_ = 0.0;  // white noise -> delay in frames with the requested rms
  Biquad low_[2], high_[2];   // Linkwitz-Riley: two cascaded Butterworth sections per band
  Biquad delay_filter_;       // shapes the delay noise
  std::vector<double> low_line_, high_line_;  // circular delay lines
  int write_ = 0;
  RandomSource random_;  // the delay noise (Gaussian)
};

}  // namespace earshot
