#include "scene/layer_span.hpp"

#include <cmath>
#include <numbers>

namespace earshot {

double LayerSpan::gain_at(double t) const noexcept {
  if (t < start_s || t >= end_s) return 0.0;
  if (ramp_s <= 0.0) return 1.0;
  const double in = (t - start_s) / ramp_s, out = (end_s - t) / ramp_s;
  const double u = std::fmin(1.0, std::fmin(in, out));
  return 0.5 - 0.5 * std::cos(std::numbers::pi * u);
}

SpecErrors validate(const LayerSpan& span, const std::string& field) {
  SpecErrors errors;
  if (!(std::isfinite(span.start_s) && span.start_s >= 0.0)) {
    errors.push_back({field + ".start_s", format_number(span.start_s) + " s: must be 0 s or later"});
  }
  if (!(span.end_s > span.start_s)) {
    errors.push_back({field + ".end_s", "at " + format_number(span.end_s) + " s: ends before it starts (" +
                                            format_number(span.start_s) + " s)"});
  }
  if (!(std::isfinite(span.ramp_s) && span.ramp_s >= 0.0 && span.ramp_s <= 60.0)) {
    errors.push_back({field + ".ramp_s", format_number(span.ramp_s) + " s is outside 0...60 s"});
  } else if (std::isfinite(span.end_s) && span.end_s > span.start_s && 2.0 * span.ramp_s > span.end_s - span.start_s) {
    errors.push_back({field + ".ramp_s", format_number(span.ramp_s) + " s: the ramps in and out do not fit in its " +
                                             format_number(span.end_s - span.start_s) + " s"});
  }
  return errors;
}

}  // namespace earshot
