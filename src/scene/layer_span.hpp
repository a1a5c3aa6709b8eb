#pragma once
// When a scene layer (tinnitus, masker) sounds: from start_s to end_s, faded in and out over
// ramp_s with raised-cosine ramps (no clicks; a ramp of about a second reads as "coming on").
#include <limits>
#include <string>

#include "support/spec_error.hpp"

namespace earshot {

struct LayerSpan {
  double start_s = 0.0;
  double end_s = std::numeric_limits<double>::infinity();  // to the end of the scene
  double ramp_s = 1.0;

  // Amplitude gain 0..1 at a time.
  double gain_at(double time_s) const noexcept;
  // Whether every time in [first_s, last_s] is silent (gain 0), or fully on (gain exactly 1:
  // past the ramp in, before the ramp out).
  bool silent_between(double first_s, double last_s) const noexcept { return last_s < start_s || first_s >= end_s; }
  bool full_between(double first_s, double last_s) const noexcept {
    if (!(first_s >= start_s && last_s < end_s)) return false;
    return ramp_s <= 0.0 || ((first_s - start_s) / ramp_s >= 1.0 && (end_s - last_s) / ramp_s >= 1.0);
  }
};

// Errors under `field` ("tinnitus[0]"): negative or reversed times, ramps longer than half the span.
SpecErrors validate(const LayerSpan& span, const std::string& field);

}  // namespace earshot
