#include "scene/transition_curve.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace earshot {

double transition_progress(TransitionCurve curve, double u) {
  u = std::clamp(u, 0.0, 1.0);
  switch (curve) {
    case TransitionCurve::exponential: {
      // 1 - e^{-5u}, scaled to reach exactly 1 at the end (99.3 % of the way at u = 1 before scaling).
      constexpr double kRate = 5.0;
      return (1.0 - std::exp(-kRate * u)) / (1.0 - std::exp(-kRate));
    }
    case TransitionCurve::smooth:
      return 0.5 - 0.5 * std::cos(std::numbers::pi * u);
    case TransitionCurve::linear:
    case TransitionCurve::cut:
      return u;
  }
  return u;
}

const char* to_string(TransitionCurve curve) {
  switch (curve) {
    case TransitionCurve::linear: return "linear";
    case TransitionCurve::exponential: return "exponential";
    case TransitionCurve::smooth: return "smooth";
    case TransitionCurve::cut: return "cut";
  }
  return "linear";
}

std::optional<TransitionCurve> transition_curve_from_name(std::string_view name) {
  for (auto c : {TransitionCurve::linear, TransitionCurve::exponential, TransitionCurve::smooth, TransitionCurve::cut}) {
    if (name == to_string(c)) return c;
  }
  return std::nullopt;
}

}  // namespace earshot
