#pragma once
// Noise maskers for scenes (the "sound blockers" the film's actor wore): white, pink (-3 dB per
// octave, equal power per octave) or brown (-6 dB per octave), seeded, at a calibrated level.
// Pink is white noise through interleaved first-order pole/zero pairs, one pair per octave from
// 10 Hz up, each pair dropping 3 dB over its octave (the classic construction of a 1/f slope from
// a ladder of first-order shelves; within +-0.3 dB of the ideal slope). Brown is white noise
// through one first-order low-pass at 10 Hz. Each is scaled to unit variance from its impulse
// response, so `level_db_spl` is the long-term level of the whole band.
#include <cstdint>
#include <string>
#include <vector>

#include "dsp/butterworth.hpp"
#include "scene/layer_span.hpp"
#include "support/random_source.hpp"

namespace earshot {

enum class NoiseColour { white, pink, brown };
const char* to_string(NoiseColour colour);

struct MaskerParams {
  NoiseColour colour = NoiseColour::white;
  double level_db_spl = 60.0;  // long-term level in the output
  LayerSpan span;
};

SpecErrors validate(const MaskerParams& params, const std::string& field);

class ColouredNoise {
 public:
  void prepare(NoiseColour colour, double sample_rate_hz, std::uint64_t seed);  // may allocate
  void reset() noexcept;
  double next() noexcept;  // one sample, unit variance

 private:
  std::vector<Biquad> shaping_;  // first-order sections (b2 = a2 = 0)
  double norm_ = 1.0;
  std::uint64_t seed_ = 1;
  RandomSource random_;
};

class MaskerGenerator {
 public:
  void prepare(const MaskerParams& params, double sample_rate_hz, double calibration_db_spl, std::uint64_t seed);
  void reset() noexcept;
  // Writes `frames` samples for the timeline frames first_frame, first_frame + 1, ...
  void process(float* out, int frames, std::int64_t first_frame) noexcept;

 private:
  MaskerParams params_;
  double sample_rate_hz_ = 0.0;
  double amplitude_ = 0.0;  // unit-variance noise -> the level in digital units
  ColouredNoise noise_;
};

}  // namespace earshot
