#pragma once
// Tinnitus as a layer of what the listener hears: a tone or a narrow band of noise at one
// frequency, with onset and offset ramps and a slow wander of its level. It is a percept, not a
// sound at the ear, so it is added to the listener's output (after the ear's model), at a level
// given either in the output (dB SPL, as a normal-hearing audience hears the rendering) or as a
// sensation level: dB above the listener's threshold at that frequency, as tinnitus is matched
// clinically (typically 5-15 dB SL; Tyler & Conrad-Armes 1983, J Speech Hear Res 26:59-72).
// A sensation level is rendered at the level the hearing-loss model gives an external tone X dB
// above threshold: T0 + k X below catch-up (k the ear's recruitment ratio), which is why a
// tinnitus matched at a few dB SL can be loud to its owner (Moore 2007, "Cochlear Hearing Loss",
// ch. 4: loudness recruitment).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dsp/butterworth.hpp"
#include "scene/layer_span.hpp"
#include "model/listener.hpp"
#include "support/random_source.hpp"
#include "audiology/reference_threshold.hpp"

namespace earshot {

struct TinnitusParams {
  enum class Kind { tone, narrowband };
  Kind kind = Kind::tone;
  double frequency_hz = 4000.0;
  double bandwidth_octaves = 1.0 / 3.0;  // narrowband: -3 dB width around frequency_hz
  std::optional<double> level_db_spl;     // in the output
  std::optional<double> level_db_sl;      // above the listener's threshold at frequency_hz
  LayerSpan span;
  double wander_db = 0.0;                 // the level drifts within +-wander_db ...
  double wander_period_s = 8.0;           // ... over about this long
};

// Every problem under `field` ("tinnitus[1]"); rate-dependent limits need the rate.
SpecErrors validate(const TinnitusParams& params, double sample_rate_hz, const std::string& field);

// The output level (dB SPL) of a tinnitus at `level_db_sl` above the threshold of an ear that
// hears acoustically (see the header comment).
double sensation_level_to_output_db_spl(double level_db_sl, double frequency_hz, const EarProfile& ear, SoundField field,
                                        double catch_up_db_spl);

const char* to_string(TinnitusParams::Kind kind);

class TinnitusGenerator {
 public:
  // May allocate. `seed`: the noise band's samples and the wander's phases.
  void prepare(const TinnitusParams& params, double sample_rate_hz, double calibration_db_spl, std::uint64_t seed);
  void reset() noexcept;
  // Writes `frames` samples for the timeline frames first_frame, first_frame + 1, ...;
  // level_db_spl_at(frame) is the level (dB SPL, before the ramps and the wander) at a timeline
  // frame. The level changes slowly (ramps, wander, the listener's moves): it is evaluated on a
  // fixed grid of kLevelStep timeline frames and interpolated linearly in amplitude between, so
  // the samples do not depend on how the timeline is split into calls.
  template <class LevelAt>
  void process(float* out, int frames, std::int64_t first_frame, const LevelAt& level_db_spl_at) noexcept {
    for (int done = 0; done < frames;) {
      const std::int64_t f = first_frame + done;
      const std::int64_t g0 = (f >= 0 ? f : f - (kLevelStep - 1)) / kLevelStep * kLevelStep;  // floor to the grid
      const std::int64_t g1 = g0 + kLevelStep;
      const int n = static_cast<int>(std::min<std::int64_t>(g1 - f, frames - done));
      // A step's end is the next one's start: each grid point's amplitude is worked out once.
      const double a0 = g0 == grid_frame_ ? grid_amplitude_ : amplitude_at(double(g0) / sample_rate_hz_, level_db_spl_at(g0));
      const double a1 = amplitude_at(double(g1) / sample_rate_hz_, level_db_spl_at(g1));
      grid_frame_ = g1;
      grid_amplitude_ = a1;
      render_piece(out + done, n, static_cast<int>(f - g0), a0, a1, f + n == g1);
      done += n;
    }
  }

 private:
  static constexpr int kLevelStep = 32;
  // Frames offset..offset+n-1 of one grid step whose amplitude goes from a0 to a1.
  void render_piece(float* out, int n, int offset, double a0, double a1, bool step_ends) noexcept;

  TinnitusParams params_;
  double sample_rate_hz_ = 0.0;
  double calibration_db_spl_ = 0.0;
  std::uint64_t seed_ = 1;
  RandomSource random_;
  std::vector<Biquad> band_;   // narrowband: Butterworth band-pass
  double band_norm_ = 1.0;     // makes the band's output unit variance
  double amplitude_at(double time_s, double level_db_spl) const noexcept;
  double phasor_re_ = 1.0, phasor_im_ = 0.0;  // tone
  double wander_phase_[3] = {0, 0, 0};
  std::int64_t grid_frame_ = INT64_MIN;  // the last grid point whose amplitude was worked out ...
  double grid_amplitude_ = 0.0;          // ... and that amplitude
};

}  // namespace earshot
