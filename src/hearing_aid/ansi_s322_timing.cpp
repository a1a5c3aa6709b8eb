#include "hearing_aid/ansi_s322_timing.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "dsp/attack_release_smoother.hpp"

namespace earshot {
namespace {

using cplx = std::complex<double>;

// The band's input-referred level (dB SPL) at each output sample n = 0 ... taps - 1 while a tone
// at frequency_hz steps from `from` to `to` at input sample 0; from sample taps - 1 on it is
// steady. The analytic output is z(n) = sum_m a(m) x(n - m), a = in_phase + j quadrature; with
// x = A cos(w n) split into e^{+jwn} and e^{-jwn} halves, the partial sums over the taps the new
// level has reached give z(n) in closed form.
std::vector<double> step_levels_db(const AnalyticFirTaps& taps, double frequency_hz, double sample_rate_hz, double from_db,
                                   double to_db) {
  const std::size_t n_taps = taps.in_phase.size();
  const double w = 2.0 * std::numbers::pi * frequency_hz / sample_rate_hz;
  std::vector<cplx> pos(n_taps), neg(n_taps);
  cplx sp = 0.0, sn = 0.0, h = 0.0;
  for (std::size_t m = 0; m < n_taps; ++m) {
    const cplx a(taps.in_phase[m], taps.quadrature[m]);
    sp += a * std::polar(1.0, -w * double(m));
    sn += a * std::polar(1.0, w * double(m));
    h += double(taps.in_phase[m]) * std::polar(1.0, -w * double(m));
    pos[m] = sp;
    neg[m] = sn;
  }
  const double a1 = std::pow(10.0, from_db / 20.0), a2 = std::pow(10.0, to_db / 20.0), gain = std::abs(h);
  std::vector<double> level(n_taps);
  for (std::size_t n = 0; n < n_taps; ++n) {
    const cplx up = a2 * pos[n] + a1 * (sp - pos[n]);
    const cplx down = a2 * neg[n] + a1 * (sn - neg[n]);
    const cplx z = 0.5 * (std::polar(1.0, w * double(n)) * up + std::polar(1.0, -w * double(n)) * down);
    level[n] = 20.0 * std::log10(std::max(std::abs(z) / gain, 1e-12));
  }
  return level;
}

double settle_time_s(const std::vector<double>& level, const CompressionCurve& curve, double sample_rate_hz, double from_db_spl,
                     double to_db_spl, double attack_tau_s, double release_tau_s) {
  const double within_db = to_db_spl > from_db_spl ? kS322AttackWithinDb : kS322ReleaseWithinDb;
  const double attack = one_pole_coefficient(attack_tau_s, sample_rate_hz), release = one_pole_coefficient(release_tau_s, sample_rate_hz);
  const double final_gain_db = curve.gain_db(to_db_spl), final_db = to_db_spl + final_gain_db;
  // As AttackReleaseSmoother, in double.
  double gain_db = curve.gain_db(from_db_spl);
  // Before output sample 0 the output is steady at the old level: off the new one by the step.
  std::ptrdiff_t settled = 0;
  for (std::size_t n = 0; n < level.size(); ++n) {
    const double target = curve.gain_db(level[n]);
    gain_db += (target < gain_db ? attack : release) * (target - gain_db);
    if (std::abs(level[n] + gain_db - final_db) > within_db) settled = static_cast<std::ptrdiff_t>(n) + 1;
  }
  // From here the level is steady and the gain closes on final_gain_db exponentially, from one side.
  const double left_db = std::abs(gain_db - final_gain_db);
  if (left_db > within_db) {
    const double c = gain_db > final_gain_db ? attack : release;
    const double more = std::ceil(std::log(within_db / left_db) / std::log(1.0 - c));
    settled = std::max(settled, static_cast<std::ptrdiff_t>(level.size()) - 1 + static_cast<std::ptrdiff_t>(more));
  }
  // The step reaches the aligned output at the filter's centre tap.
  const std::ptrdiff_t centre = static_cast<std::ptrdiff_t>(level.size() - 1) / 2;
  return std::max<double>(0.0, double(settled - centre) / sample_rate_hz);
}

}  // namespace

double s322_settle_time_s(const AnalyticFirTaps& taps, const CompressionCurve& curve, double frequency_hz, double sample_rate_hz,
                          double from_db_spl, double to_db_spl, double attack_tau_s, double release_tau_s) {
  return settle_time_s(step_levels_db(taps, frequency_hz, sample_rate_hz, from_db_spl, to_db_spl), curve, sample_rate_hz, from_db_spl,
                       to_db_spl, attack_tau_s, release_tau_s);
}

BandTiming band_timing(const AnalyticFirTaps& taps, const CompressionCurve& curve, double frequency_hz, double sample_rate_hz,
                       double attack_s, double release_s) {
  BandTiming t;
  const double moves_db = std::abs(curve.gain_db(kS322HighDbSpl) - curve.gain_db(kS322LowDbSpl));
  const std::vector<double> up = step_levels_db(taps, frequency_hz, sample_rate_hz, kS322LowDbSpl, kS322HighDbSpl);
  const std::vector<double> down = step_levels_db(taps, frequency_hz, sample_rate_hz, kS322HighDbSpl, kS322LowDbSpl);
  // Bisection on log tau between a time constant far shorter than a sample and one far longer than
  // any setting: the S3.22 time grows with tau.
  auto solve = [&](double want_s, bool attack_side, double& tau_s, double& got_s) {
    const double within_db = attack_side ? kS322AttackWithinDb : kS322ReleaseWithinDb;
    auto time_for = [&](double tau) {
      return attack_side ? settle_time_s(up, curve, sample_rate_hz, kS322LowDbSpl, kS322HighDbSpl, tau, t.release_tau_s)
                         : settle_time_s(down, curve, sample_rate_hz, kS322HighDbSpl, kS322LowDbSpl, t.attack_tau_s, tau);
    };
    if (moves_db <= within_db) {
      tau_s = want_s;
      got_s = time_for(tau_s);
      return;
    }
    double lo = std::log(1e-6), hi = std::log(60.0);
    if (time_for(std::exp(lo)) >= want_s) hi = lo;
    for (int i = 0; i < 48 && hi > lo; ++i) {
      const double mid = 0.5 * (lo + hi);
      (time_for(std::exp(mid)) < want_s ? lo : hi) = mid;
    }
    tau_s = std::exp(hi);
    got_s = time_for(tau_s);
  };
  // The attack step calls on the release coefficient only where the filter's transient makes the
  // level dip, and the release step on the attack's only where it bumps: each side is solved with
  // the other's latest tau, twice over (the second round moves neither by a measurable amount).
  t.attack_tau_s = attack_s;
  t.release_tau_s = release_s;
  for (int round = 0; round < 2; ++round) {
    solve(attack_s, true, t.attack_tau_s, t.attack_s);
    solve(release_s, false, t.release_tau_s, t.release_s);
  }
  return t;
}

}  // namespace earshot
