#include "scene/tinnitus.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "audiology/recruitment.hpp"

namespace earshot {
namespace {

// Wander: three slow sinusoids at incommensurate rates (1, golden ratio, its square, over the
// period), each a third of the depth, so the level drifts without repeating and never beyond it.
constexpr double kWanderRates[3] = {1.0, 1.6180339887, 2.6180339887};

}  // namespace

const char* to_string(TinnitusParams::Kind kind) { return kind == TinnitusParams::Kind::tone ? "tone" : "narrowband"; }

SpecErrors validate(const TinnitusParams& p, double fs, const std::string& field) {
  SpecErrors errors = validate(p.span, field);
  const double top = std::min(16000.0, 0.45 * fs);
  if (!(p.frequency_hz >= 50.0 && p.frequency_hz <= top)) {
    errors.push_back({field + ".frequency_hz", format_number(p.frequency_hz) + " Hz is outside 50..." + format_number(top) + " Hz"});
  }
  if (p.kind == TinnitusParams::Kind::narrowband) {
    if (!(p.bandwidth_octaves >= 0.05 && p.bandwidth_octaves <= 2.0)) {
      errors.push_back({field + ".bandwidth_octaves", format_number(p.bandwidth_octaves) + " octaves is outside 0.05...2"});
    } else if (p.frequency_hz * std::exp2(p.bandwidth_octaves / 2.0) >= 0.49 * fs) {
      errors.push_back({field + ".bandwidth_octaves", "the band reaches above " + format_number(0.49 * fs) + " Hz (Nyquist)"});
    }
  }
  if (p.level_db_spl.has_value() == p.level_db_sl.has_value()) {
    errors.push_back({field, "give one level: level_db_spl (in the output) or level_db_sl (above the listener's threshold)"});
  }
  if (p.level_db_spl && !(*p.level_db_spl >= -10.0 && *p.level_db_spl <= 110.0)) {
    errors.push_back({field + ".level_db_spl", format_number(*p.level_db_spl) + " dB SPL is outside -10...110 dB SPL"});
  }
  if (p.level_db_sl && !(*p.level_db_sl >= -10.0 && *p.level_db_sl <= 60.0)) {
    errors.push_back({field + ".level_db_sl", format_number(*p.level_db_sl) + " dB SL is outside -10...60 dB SL"});
  }
  if (!(p.wander_db >= 0.0 && p.wander_db <= 20.0)) {
    errors.push_back({field + ".wander_db", format_number(p.wander_db) + " dB is outside 0...20 dB"});
  }
  if (!(p.wander_period_s >= 0.5 && p.wander_period_s <= 600.0)) {
    errors.push_back({field + ".wander_period_s", format_number(p.wander_period_s) + " s is outside 0.5...600 s"});
  }
  return errors;
}

double sensation_level_to_output_db_spl(double level_db_sl, double f, const EarProfile& ear, SoundField field,
                                        double catch_up_db_spl) {
  const double t0 = reference_threshold_db_spl(f, field);
  const double sensorineural = ear.sensorineural_loss_db_hl(f);
  // At the cochlea the conductive part is gone: the tone sits level_db_sl above the sensorineural
  // threshold, and the model expands it onto the normal scale.
  const double at_cochlea = t0 + sensorineural + level_db_sl;
  return at_cochlea + recruitment_gain_db(recruitment_law(t0, sensorineural, catch_up_db_spl), at_cochlea);
}

void TinnitusGenerator::prepare(const TinnitusParams& params, double fs, double calibration_db_spl, std::uint64_t seed) {
  params_ = params;
  sample_rate_hz_ = fs;
  calibration_db_spl_ = calibration_db_spl;
  seed_ = seed;
  band_.clear();
  if (params.kind == TinnitusParams::Kind::narrowband) {
    const double half = std::exp2(params.bandwidth_octaves / 2.0);
    band_ = butterworth_bandpass(2, params.frequency_hz / half, params.frequency_hz * half, fs);
    // Unit-variance white noise through the band comes out with the impulse response's energy
    // (2 s of it: the narrowest band allowed has died away long before).
    band_norm_ = 1.0 / std::sqrt(impulse_response_energy(band_, static_cast<int>(2.0 * fs)));
  }
  reset();
}

void TinnitusGenerator::reset() noexcept {
  random_.reseed(seed_);
  for (auto& s : band_) s.reset();
  phasor_re_ = 1.0;
  phasor_im_ = 0.0;
  for (double& w : wander_phase_) w = random_.uniform();
  grid_frame_ = INT64_MIN;
}

double TinnitusGenerator::amplitude_at(double t, double level_db_spl) const noexcept {
  const double span_gain = params_.span.gain_at(t);
  if (span_gain <= 0.0) return 0.0;
  double wander = 0.0;
  if (params_.wander_db > 0.0) {
    for (int k = 0; k < 3; ++k) {
      wander += std::sin(2.0 * std::numbers::pi * (kWanderRates[k] * t / params_.wander_period_s + wander_phase_[k]));
    }
    wander *= params_.wander_db / 3.0;
  }
  return std::pow(10.0, (level_db_spl + wander - calibration_db_spl_) / 20.0) * span_gain;
}

void TinnitusGenerator::render_piece(float* out, int n, int offset, double a0, double a1, bool step_ends) noexcept {
  if (a0 == 0.0 && a1 == 0.0) {
    // Silent: the layer's sources stand still, so what it plays does not depend on block sizes.
    std::fill(out, out + n, 0.0f);
    return;
  }
  // The tone: a unit phasor turned by a fixed rotation each sample (renormalised each grid step).
  const double w = 2.0 * std::numbers::pi * params_.frequency_hz / sample_rate_hz_;
  const double rot_re = std::cos(w), rot_im = std::sin(w);
  for (int i = 0; i < n; ++i) {
    const double a = a0 + (a1 - a0) * (double(offset + i) / kLevelStep);
    double x;
    if (params_.kind == TinnitusParams::Kind::tone) {
      x = std::numbers::sqrt2 * phasor_im_;
      const double re = phasor_re_ * rot_re - phasor_im_ * rot_im;
      phasor_im_ = phasor_re_ * rot_im + phasor_im_ * rot_re;
      phasor_re_ = re;
    } else {
      x = random_.uniform_unit_variance();
      for (auto& s : band_) x = s.step(x);
      x *= band_norm_;
    }
    out[i] = static_cast<float>(a * x);
  }
  if (step_ends) {
    const double norm = 1.0 / std::sqrt(phasor_re_ * phasor_re_ + phasor_im_ * phasor_im_);
    phasor_re_ *= norm;
    phasor_im_ *= norm;
  }
}

}  // namespace earshot
