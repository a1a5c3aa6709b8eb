#pragma once
// LoudnessGrowth::proportion and LoudnessGrowth::envelope (audiology/loudness_growth.hpp) on four
// lanes, for the sound processor's chosen bands and the auralizer's pulses of one stimulation
// frame: the same formulas with dsp/exp_log_lanes.hpp's log1p and expm1 in place of libm's
// (within a few units in the last place of a double, so the float currents and envelopes the
// callers keep are the same floats but where a double falls within those units of a float's
// rounding boundary).
#include "audiology/loudness_growth.hpp"
#include "dsp/exp_log_lanes.hpp"

namespace earshot {

// The proportion of the electrical range, 0 or more, or -1 where u is at or below the base level.
[[gnu::always_inline]] inline void loudness_proportion_lanes(const LoudnessGrowth& g, const DoubleLanes& u, double log1p_alpha, DoubleLanes& p) noexcept {
  DoubleLanes r = (u - g.base) / (g.saturation - g.base);
  r = r < 1.0 ? r : DoubleLanes{} + 1.0;
  r = r > 0.0 ? r : DoubleLanes{};  // lanes at or below the base: any valid argument, -1 below
  DoubleLanes l;
  log1p_lanes(g.alpha * r, l);
  p = u <= g.base ? DoubleLanes{} - 1.0 : l / log1p_alpha;
}

// The envelope that maps to proportion p (clamped to [0, 1]).
[[gnu::always_inline]] inline void loudness_envelope_lanes(const LoudnessGrowth& g, const DoubleLanes& p, double log1p_alpha, DoubleLanes& u) noexcept {
  DoubleLanes c = p > 0.0 ? p : DoubleLanes{};
  c = c < 1.0 ? c : DoubleLanes{} + 1.0;
  DoubleLanes e;
  expm1_lanes(c * log1p_alpha, e);
  const DoubleLanes r = e / g.alpha;
  u = g.base + r * (g.saturation - g.base);
}

}  // namespace earshot
