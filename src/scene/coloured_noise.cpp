#include "scene/coloured_noise.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace earshot {
namespace {

// Lowest frequency of the 1/f and 1/f^2 slopes: below it the spectrum is flat (every real noise
// has a lower limit; 10 Hz is below hearing).
constexpr double kSlopeStartHz = 10.0;

// First-order analogue section (1 + s/wz) / (1 + s/wp) by the bilinear transform, each corner
// prewarped (wz = 0: a pure low-pass 1 / (1 + s/wp)).
Biquad first_order(double pole_hz, double zero_hz, double fs) {
  const double k = 2.0 * fs;
  const double wp = k * std::tan(std::numbers::pi * pole_hz / fs);
  Biquad s;
  double b0, b1;
  if (zero_hz > 0.0) {
    const double wz = k * std::tan(std::numbers::pi * std::min(zero_hz, 0.499 * fs) / fs);
    b0 = 1.0 + k / wz;
    b1 = 1.0 - k / wz;
  } else {
    b0 = 1.0;
    b1 = 1.0;
  }
  const double a0 = 1.0 + k / wp, a1 = 1.0 - k / wp;
  s.b0 = b0 / a0;
  s.b1 = b1 / a0;
  s.a1 = a1 / a0;
  s.b2 = s.a2 = 0.0;
  return s;
}

}  // namespace

const char* to_string(NoiseColour c) {
  switch (c) {
    case NoiseColour::white: return "white";
    case NoiseColour::pink: return "pink";
    case NoiseColour::brown: return "brown";
  }
  return "white";
}

SpecErrors validate(const MaskerParams& p, const std::string& field) {
  SpecErrors errors = validate(p.span, field);
  if (!(p.level_db_spl >= 0.0 && p.level_db_spl <= 110.0)) {
    errors.push_back({field + ".level_db_spl", format_number(p.level_db_spl) + " dB SPL is outside 0...110 dB SPL"});
  }
  return errors;
}

void ColouredNoise::prepare(NoiseColour colour, double fs, std::uint64_t seed) {
  seed_ = seed;
  shaping_.clear();
  if (colour == NoiseColour::pink) {
    // A pole at f, its zero half an octave higher (sqrt 2 f): -3 dB over each octave on average.
    for (double f = kSlopeStartHz; f * std::numbers::sqrt2 < 0.45 * fs; f *= 2.0) {
      shaping_.push_back(first_order(f, f * std::numbers::sqrt2, fs));
    }
  } else if (colour == NoiseColour::brown) {
    shaping_.push_back(first_order(kSlopeStartHz, 0.0, fs));
  }
  norm_ = 1.0;
  if (!shaping_.empty()) {
    // The slowest pole (10 Hz) decays by e^-1 in 16 ms: 2 s of impulse response is its whole energy.
    norm_ = 1.0 / std::sqrt(impulse_response_energy(shaping_, static_cast<int>(2.0 * fs)));
  }
  reset();
}

void ColouredNoise::reset() noexcept {
  random_.reseed(seed_);
  for (auto& s : shaping_) s.reset();
}

double ColouredNoise::next() noexcept {
  double x = random_.uniform_unit_variance();
  for (auto& s : shaping_) x = s.step(x);
  return x * norm_;
}

void MaskerGenerator::prepare(const MaskerParams& params, double fs, double calibration_db_spl, std::uint64_t seed) {
  params_ = params;
  sample_rate_hz_ = fs;
  amplitude_ = std::pow(10.0, (params.level_db_spl - calibration_db_spl) / 20.0);
  noise_.prepare(params.colour, fs, seed);
}

void MaskerGenerator::reset() noexcept { noise_.reset(); }

void MaskerGenerator::process(float* out, int frames, std::int64_t first_frame) noexcept {
  // Whole blocks before, after or between the ramps take the gain the samples would (0 or
  // exactly 1), without working it out per sample.
  const double first_s = double(first_frame) / sample_rate_hz_, last_s = double(first_frame + frames - 1) / sample_rate_hz_;
  if (params_.span.silent_between(first_s, last_s)) {
    std::fill(out, out + frames, 0.0f);
    return;
  }
  if (params_.span.full_between(first_s, last_s)) {
    for (int i = 0; i < frames; ++i) out[i] = static_cast<float>(amplitude_ * noise_.next());
    return;
  }
  for (int i = 0; i < frames; ++i) {
    // Silent samples draw no noise, so what the masker plays does not depend on block sizes.
    const double gain = params_.span.gain_at(double(first_frame + i) / sample_rate_hz_);
    out[i] = gain > 0.0 ? static_cast<float>(amplitude_ * gain * noise_.next()) : 0.0f;
  }
}

}  // namespace earshot
