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
  // Writes `frames` samples starting at scene time `start_time_s`; the level (dB SPL, before the
  // ramps and the wander) moves linearly from level_from to level_to across the block. For blocks
  // of a few milliseconds (the scene renderer's are 128 frames).
  void process(float* out, int frames, double start_time_s, double level_from_db_spl, double level_to_db_spl) noexcept;

 private:
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
};

}  // namespace earshot
