#pragma once
// How a scene moves from one listener state to the next: the share of the new state (0..1) as
// the move goes from its start (u = 0) to its end (u = 1). Every quantity that moves (thresholds,
// recruitment and smearing per place in dB, perspective, tinnitus level in dB, crossfade gains)
// follows the same progress.
#include <optional>
#include <string_view>

namespace earshot {

enum class TransitionCurve {
  linear,       // at a steady rate in dB
  exponential,  // most of the change at once, then settling (time constant a fifth of the move): sudden loss
  smooth,       // raised cosine: eases in and out
  cut,          // at once; rendered as a kCutS move so it does not click
};

// A cut is a 20 ms move: shorter than a syllable, so it reads as a cut, and long enough that
// neither a crossfade nor a change of filters clicks.
inline constexpr double kCutS = 0.020;

double transition_progress(TransitionCurve curve, double u);

const char* to_string(TransitionCurve curve);
std::optional<TransitionCurve> transition_curve_from_name(std::string_view name);

}  // namespace earshot
