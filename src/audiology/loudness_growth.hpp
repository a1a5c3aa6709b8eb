#pragma once
// The loudness growth function of a cochlear-implant map (Nucleus LGF; Swanson's description in
// the Nucleus MATLAB Toolbox): a band envelope u between the base level B (the floor of the input
// dynamic range) and the saturation level M (its top) maps to a proportion of the electrode's
// electrical dynamic range,
//     r = clamp((u - B) / (M - B), 0, 1),   p = log(1 + alpha r) / log(1 + alpha),
// and the current is T (C/T)^p: p is linear in the clinical current level, which is logarithmic in
// microamps. Below B there is no pulse. alpha is set by Q, the percentage drop in p when u is 10 dB
// below M (Q = 20 by default: alpha = 340.8 for a 40 dB range).
namespace earshot {

// alpha for steepness `q` over an input dynamic range of `idr_db` (bisection; q must be below the
// drop of a linear map, see validate(ImplantMap)).
double loudness_growth_alpha(double q, double idr_db);

struct LoudnessGrowth {
  double base = 0.0;        // B, envelope units
  double saturation = 1.0;  // M
  double alpha = 340.8;

  // Proportion p in [0, 1] of the electrical range for envelope u, or -1 below the base level.
  double proportion(double u) const noexcept;
  // The envelope that maps to proportion p (inverse of proportion() on [B, M]).
  double envelope(double p) const noexcept;
  // The same two, given log1p(alpha) (log1p_alpha()) from the caller: a per-pulse caller computes
  // it once instead of once a call (the same value, so the same bits).
  double log1p_alpha() const noexcept;
  double proportion(double u, double log1p_alpha) const noexcept;
  double envelope(double p, double log1p_alpha) const noexcept;
};

}  // namespace earshot
