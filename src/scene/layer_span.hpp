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
};

// Errors under `field` ("tinnitus[0]"): negative or reversed times, ramps longer than half the span.
SpecErrors validate(const LayerSpan& span, const std::string& field);

}  // namespace earshot
