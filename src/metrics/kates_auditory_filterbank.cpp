#include "metrics/kates_auditory_filterbank.hpp"

#include <algorithm>
#include <cmath>
#include <immintrin.h>
#include <numbers>

#include "dsp/simd_path.hpp"

namespace earshot {
namespace {

constexpr double kEarQ = 9.26449;
constexpr double kMinimumBandwidthHz = 24.7;

// The low-pass prototype: numerator 1 + c1 z^-1 + c5 z^-2, denominator
// 1 - c1 z^-1 - c2 z^-2 - c3 z^-3 - c4 z^-4, four poles at the pole radius a = exp(-2 pi b / fs)
// (the impulse-invariant gammatone), normalised to `gain` at 0 Hz (times 2: the real part of the
// shifted-back signal carries half the power).
struct Prototype {
  double c1, c2, c3, c4, c5, gain;
};

// Not inlined: one copy, in the baseline instruction set, for every kernel. The gain's sum cancels
// (a is close to 1), so a multiply-add contracted in one kernel's inlined copy and not in another's
// moved the gains apart by 1.3e-9; now every path's coefficients are these (no multiply-adds, as
// the reference computes them).
[[gnu::noinline]] Prototype prototype(const KatesGammatone& band, double sample_rate_hz) {
  const double erb_hz = kMinimumBandwidthHz + band.centre_hz / kEarQ;
  const double a = std::exp(-band.bandwidth_factor * 2.0 * std::numbers::pi / sample_rate_hz * erb_hz * 1.019);
  Prototype p{};
  p.c1 = 4.0 * a;
  p.c2 = -6.0 * a * a;
  p.c3 = 4.0 * a * a * a;
  p.c4 = -a * a * a * a;
  p.c5 = 4.0 * a * a;
  p.gain = 2.0 * (1.0 - p.c1 - p.c2 - p.c3 - p.c4) / (1.0 + p.c1 + p.c5);
  return p;
}

typedef double Lanes __attribute__((vector_size(4 * sizeof(double))));

// Lanes of the prototype's recursion (four: two complex filters, {a real, a imaginary, b real,
// b imaginary}; eight: two bands' pairs): their coefficients and their input and output histories.
template <class V>
struct BasicGammatoneLanes {
  V c1, c2, c3, c4, c5;
  V x1{}, x2{}, y1{}, y2{}, y3{}, y4{};
};
using GammatoneLanes = BasicGammatoneLanes<Lanes>;

// One sample of the recursion (the one step both the filter bank and the mean-square pass take).
// The outputs' terms added oldest first, the last output's last: every path from an output to the
// next ones takes one multiply-add per sample (with y2 before y3 and y4, the path from y[n-2] to
// y[n] took four, and the recursion twice as long).
// (Results through references: a vector returned by value changes the baseline copy's ABI.)
template <class V>
[[gnu::always_inline]] inline void gammatone_step(BasicGammatoneLanes<V>& f, const V& in, V& y) noexcept {
  const V earlier = in + f.c1 * f.x1 + f.c5 * f.x2 + f.c4 * f.y4 + f.c3 * f.y3 + f.c2 * f.y2;
  y = earlier + f.c1 * f.y1;
  f.x2 = f.x1;
  f.x1 = in;
  f.y4 = f.y3;
  f.y3 = f.y2;
  f.y2 = f.y1;
  f.y1 = y;
}

// The carriers {cos, -sin} one sample on: next {c, s} = {c cos w + s sin w, s cos w - c sin w}, the
// state times cos w, plus it with each pair swapped times {sin w, -sin w}.
[[gnu::always_inline]] inline void turn_carrier(Lanes& carrier, const Lanes& turn_same, const Lanes& turn_swapped) noexcept {
  carrier = carrier * turn_same + __builtin_shufflevector(carrier, carrier, 1, 0, 3, 2) * turn_swapped;
}

// The envelopes of `count` samples of held outputs ({a real, a imaginary, b real, b imaginary} per
// sample): gain times the magnitude, four samples at a time.
[[gnu::always_inline]] inline void envelopes_kernel(const Lanes* held, std::size_t count, double gain_a, double gain_b, double* envelope_a,
                                                    double* envelope_b) noexcept {
  for (std::size_t j = 0; j < count; ++j) {
    const Lanes y = held[j];
    envelope_a[j] = gain_a * std::sqrt(y[0] * y[0] + y[1] * y[1]);
    envelope_b[j] = gain_b * std::sqrt(y[2] * y[2] + y[3] * y[3]);
  }
}
void envelopes_baseline(const Lanes* held, std::size_t count, double gain_a, double gain_b, double* envelope_a, double* envelope_b) noexcept {
  envelopes_kernel(held, count, gain_a, gain_b, envelope_a, envelope_b);
}
[[gnu::target("avx2,fma")]] void envelopes_avx2(const Lanes* held, std::size_t count, double gain_a, double gain_b, double* envelope_a,
                                                double* envelope_b) noexcept {
  std::size_t j = 0;
  for (; j + 4 <= count; j += 4) {
    const Lanes q0 = held[j] * held[j], q1 = held[j + 1] * held[j + 1];
    const Lanes q2 = held[j + 2] * held[j + 2], q3 = held[j + 3] * held[j + 3];
    // {|y_j|^2, |y_j+1|^2} of a, then of b; the same for j + 2, j + 3.
    const Lanes h01 = __builtin_shufflevector(q0, q1, 0, 4, 2, 6) + __builtin_shufflevector(q0, q1, 1, 5, 3, 7);
    const Lanes h23 = __builtin_shufflevector(q2, q3, 0, 4, 2, 6) + __builtin_shufflevector(q2, q3, 1, 5, 3, 7);
    const Lanes ea = gain_a * Lanes(_mm256_sqrt_pd(__m256d(__builtin_shufflevector(h01, h23, 0, 1, 4, 5))));
    const Lanes eb = gain_b * Lanes(_mm256_sqrt_pd(__m256d(__builtin_shufflevector(h01, h23, 2, 3, 6, 7))));
    __builtin_memcpy(envelope_a + j, &ea, sizeof ea);
    __builtin_memcpy(envelope_b + j, &eb, sizeof eb);
  }
  envelopes_kernel(held + j, count - j, gain_a, gain_b, envelope_a + j, envelope_b + j);
}
// The carriers of two successive samples, each turned by two samples' angle: two independent
// chains, so that a turn (a multiply, then a multiply-add) every other sample keeps off the
// critical path (one turn per sample, 7 cycles or so, was longer than the filter's one multiply-add
// per sample). Lanes {cos a, -sin a, cos b, -sin b} at angular steps w_a, w_b per sample. (The
// rounding differs from one chain turned a sample at a time in the last bits: the carriers agree
// to some 1e-13 after 6 s.)
struct CarrierPair {
  Lanes even = {1.0, 0.0, 1.0, 0.0}, odd{}, turn_same{}, turn_swapped{};
  CarrierPair(double w_a, double w_b) {
    const Lanes one_same = {std::cos(w_a), std::cos(w_a), std::cos(w_b), std::cos(w_b)};
    const Lanes one_swapped = {std::sin(w_a), -std::sin(w_a), std::sin(w_b), -std::sin(w_b)};
    odd = even;
    turn_carrier(odd, one_same, one_swapped);
    turn_same = Lanes{std::cos(2.0 * w_a), std::cos(2.0 * w_a), std::cos(2.0 * w_b), std::cos(2.0 * w_b)};
    turn_swapped = Lanes{std::sin(2.0 * w_a), -std::sin(2.0 * w_a), std::sin(2.0 * w_b), -std::sin(2.0 * w_b)};
  }
  // Both two samples on.
  [[gnu::always_inline]] void advance_two() noexcept {
    turn_carrier(even, turn_same, turn_swapped);
    turn_carrier(odd, turn_same, turn_swapped);
  }
  // One sample on (after an odd count): the odd carrier becomes the even one.
  void advance_one() noexcept {
    Lanes next_odd = even;
    turn_carrier(next_odd, turn_same, turn_swapped);
    even = odd;
    odd = next_odd;
  }
};

using EnvelopesFn = void (*)(const Lanes*, std::size_t, double, double, double*, double*) noexcept;

// The recursion runs over blocks of samples, keeping each sample's four outputs; the envelopes (and
// basilar-membrane signals) are then taken four samples at a time, so that the square roots and
// stores are vector operations off the recursion's path. The carriers {cos, -sin, cos, -sin} turn by
// the rotation recursion in the same lanes (as kates_gammatone_band computes it, up to rounding: see
// CarrierPair), chains independent of the filter's: no carrier arrays to fill and read.
template <EnvelopesFn Envelopes>
[[gnu::always_inline]] inline void gammatone_pair_kernel(const double* x_a, const double* x_b, std::size_t frames, double sample_rate_hz, double centre_hz,
                               double bandwidth_factor_a, double bandwidth_factor_b, double* envelope_a, double* envelope_b,
                               double* basilar_membrane_a, double* basilar_membrane_b) {
  // Lanes: {a real, a imaginary, b real, b imaginary}.
  const Prototype pa = prototype({centre_hz, bandwidth_factor_a}, sample_rate_hz);
  const Prototype pb = prototype({centre_hz, bandwidth_factor_b}, sample_rate_hz);
  const Lanes c1 = {pa.c1, pa.c1, pb.c1, pb.c1}, c2 = {pa.c2, pa.c2, pb.c2, pb.c2};
  const Lanes c3 = {pa.c3, pa.c3, pb.c3, pb.c3}, c4 = {pa.c4, pa.c4, pb.c4, pb.c4};
  const Lanes c5 = {pa.c5, pa.c5, pb.c5, pb.c5};
  GammatoneLanes filter{c1, c2, c3, c4, c5};
  const double w = 2.0 * std::numbers::pi / sample_rate_hz * centre_hz;
  CarrierPair carrier(w, w);
  const bool bm = basilar_membrane_a != nullptr && basilar_membrane_b != nullptr;
  constexpr std::size_t kBlock = 512;
  alignas(32) Lanes held[kBlock];
  alignas(32) Lanes carriers[kBlock];
  for (std::size_t start = 0; start < frames; start += kBlock) {
    const std::size_t count = std::min(kBlock, frames - start);
    std::size_t j = 0;
    for (; j + 2 <= count; j += 2) {
      const std::size_t n = start + j;
      gammatone_step(filter, Lanes{x_a[n], x_a[n], x_b[n], x_b[n]} * carrier.even, held[j]);
      gammatone_step(filter, Lanes{x_a[n + 1], x_a[n + 1], x_b[n + 1], x_b[n + 1]} * carrier.odd, held[j + 1]);
      if (bm) {
        carriers[j] = carrier.even;
        carriers[j + 1] = carrier.odd;
      }
      carrier.advance_two();
    }
    if (j < count) {
      const std::size_t n = start + j;
      gammatone_step(filter, Lanes{x_a[n], x_a[n], x_b[n], x_b[n]} * carrier.even, held[j]);
      if (bm) carriers[j] = carrier.even;
      carrier.advance_one();
    }
    Envelopes(held, count, pa.gain, pb.gain, envelope_a + start, envelope_b + start);
    if (bm) {
      for (std::size_t k = 0; k < count; ++k) {
        const Lanes p = held[k] * carriers[k];
        basilar_membrane_a[start + k] = pa.gain * (p[0] + p[1]);
        basilar_membrane_b[start + k] = pb.gain * (p[2] + p[3]);
      }
    }
  }
}

void gammatone_pair_baseline(const double* x_a, const double* x_b, std::size_t frames, double sample_rate_hz, double centre_hz,
                             double bandwidth_factor_a, double bandwidth_factor_b, double* envelope_a, double* envelope_b,
                             double* basilar_membrane_a, double* basilar_membrane_b) {
  gammatone_pair_kernel<envelopes_baseline>(x_a, x_b, frames, sample_rate_hz, centre_hz, bandwidth_factor_a, bandwidth_factor_b, envelope_a,
                                            envelope_b, basilar_membrane_a, basilar_membrane_b);
}

// The same recursion compiled for AVX2 + FMA: its four lanes fit one register, its state fits the
// register file (baseline SSE2 spills it), and a multiply-add is one instruction. Results differ
// from the baseline path in the last bits only (FMA rounds once).
[[gnu::target("avx2,fma")]] void gammatone_pair_avx2(const double* x_a, const double* x_b, std::size_t frames, double sample_rate_hz,
                                                     double centre_hz, double bandwidth_factor_a, double bandwidth_factor_b,
                                                     double* envelope_a, double* envelope_b, double* basilar_membrane_a,
                                                     double* basilar_membrane_b) {
  gammatone_pair_kernel<envelopes_avx2>(x_a, x_b, frames, sample_rate_hz, centre_hz, bandwidth_factor_a, bandwidth_factor_b, envelope_a,
                                        envelope_b, basilar_membrane_a, basilar_membrane_b);
}

// Two bands' pairs at once in eight lanes (AVX-512: one register), {band 0: a real, a imaginary,
// b real, b imaginary; band 1: the same}: the same arithmetic, lane by lane, as
// gammatone_pair_avx2 on each band (the same step, carrier turns and envelope), so the same values;
// one chain of multiply-adds per sample carries two bands, where the four-lane kernel carried one.
typedef double Lanes8 __attribute__((vector_size(8 * sizeof(double))));
using GammatoneLanes8 = BasicGammatoneLanes<Lanes8>;
[[gnu::always_inline]] inline void turn_carrier8(Lanes8& carrier, const Lanes8& turn_same, const Lanes8& turn_swapped) noexcept {
  carrier = carrier * turn_same + __builtin_shufflevector(carrier, carrier, 1, 0, 3, 2, 5, 4, 7, 6) * turn_swapped;
}
[[gnu::always_inline]] inline void join_lanes(const Lanes& lo, const Lanes& hi, Lanes8& out) noexcept {
  out = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
}
// Four complex filters in eight lanes (filter k in lanes 2k, 2k + 1: its real and imaginary parts),
// their coefficients, and their carriers as two CarrierPair's (filters 0 and 1 at the angles w[0]
// and w[1], 2 and 3 at w[2] and w[3]), two chains (even and odd samples) turned by twice the angle.
struct FourFilterLanes {
  GammatoneLanes8 filter{};
  Lanes8 even, odd, turn_same, turn_swapped;
};
[[gnu::always_inline]] inline void four_filter_lanes(const Prototype (&p)[4], const double (&w)[4], FourFilterLanes& f) noexcept {
  for (int k = 0; k < 4; ++k) {
    for (int j = 2 * k; j < 2 * k + 2; ++j) {
      f.filter.c1[j] = p[k].c1;
      f.filter.c2[j] = p[k].c2;
      f.filter.c3[j] = p[k].c3;
      f.filter.c4[j] = p[k].c4;
      f.filter.c5[j] = p[k].c5;
    }
  }
  const CarrierPair low(w[0], w[1]), high(w[2], w[3]);
  join_lanes(low.even, high.even, f.even);
  join_lanes(low.odd, high.odd, f.odd);
  join_lanes(low.turn_same, high.turn_same, f.turn_same);
  join_lanes(low.turn_swapped, high.turn_swapped, f.turn_swapped);
}
[[gnu::target("avx2,fma,avx512f,avx512bw,avx512vl")]] void gammatone_two_pairs_avx512(const double* x_a, const double* x_b, std::size_t frames,
                                                                                      double sample_rate_hz, const KatesGammatonePairBands& bands,
                                                                                      double* const envelopes[4]) {
  const Prototype p[4] = {prototype({bands.centre_hz[0], bands.bandwidth_factor_a[0]}, sample_rate_hz),
                          prototype({bands.centre_hz[0], bands.bandwidth_factor_b[0]}, sample_rate_hz),
                          prototype({bands.centre_hz[1], bands.bandwidth_factor_a[1]}, sample_rate_hz),
                          prototype({bands.centre_hz[1], bands.bandwidth_factor_b[1]}, sample_rate_hz)};
  Lanes8 gains{};
  for (int k = 0; k < 4; ++k) gains[k] = gains[k + 4] = p[k].gain;  // (the envelopes' order: filters 0-3 at n, then at n + 1)
  const double w0 = 2.0 * std::numbers::pi / sample_rate_hz * bands.centre_hz[0];
  const double w1 = 2.0 * std::numbers::pi / sample_rate_hz * bands.centre_hz[1];
  FourFilterLanes lanes;
  four_filter_lanes(p, {w0, w0, w1, w1}, lanes);
  GammatoneLanes8 filter = lanes.filter;  // (copies: the loops' state in registers)
  Lanes8 even = lanes.even, odd = lanes.odd;
  const Lanes8 turn_same = lanes.turn_same, turn_swapped = lanes.turn_swapped;
  double* const e0 = envelopes[0];
  double* const e1 = envelopes[1];
  double* const e2 = envelopes[2];
  double* const e3 = envelopes[3];
  std::size_t n = 0;
  for (; n + 2 <= frames; n += 2) {
    const Lanes8 in0 = {x_a[n], x_a[n], x_b[n], x_b[n], x_a[n], x_a[n], x_b[n], x_b[n]};
    const Lanes8 in1 = {x_a[n + 1], x_a[n + 1], x_b[n + 1], x_b[n + 1], x_a[n + 1], x_a[n + 1], x_b[n + 1], x_b[n + 1]};
    Lanes8 ya, yb;
    gammatone_step(filter, in0 * even, ya);
    gammatone_step(filter, in1 * odd, yb);
    turn_carrier8(even, turn_same, turn_swapped);
    turn_carrier8(odd, turn_same, turn_swapped);
    // {|y|^2 of the four filters at n, then at n + 1}, their square roots at once.
    const Lanes8 qa = ya * ya, qb = yb * yb;
    const Lanes8 h = __builtin_shufflevector(qa, qb, 0, 2, 4, 6, 8, 10, 12, 14) + __builtin_shufflevector(qa, qb, 1, 3, 5, 7, 9, 11, 13, 15);
    const Lanes8 e = gains * Lanes8(_mm512_maskz_sqrt_pd(0xff, __m512d(h)));  // (maskz: GCC 12 warns of _mm512_sqrt_pd's undefined source)
    e0[n] = e[0];
    e1[n] = e[1];
    e2[n] = e[2];
    e3[n] = e[3];
    e0[n + 1] = e[4];
    e1[n + 1] = e[5];
    e2[n + 1] = e[6];
    e3[n + 1] = e[7];
  }
  if (n < frames) {
    const Lanes8 in0 = {x_a[n], x_a[n], x_b[n], x_b[n], x_a[n], x_a[n], x_b[n], x_b[n]};
    Lanes8 ya;
    gammatone_step(filter, in0 * even, ya);
    const Lanes8 q = ya * ya;
    e0[n] = p[0].gain * std::sqrt(q[0] + q[1]);
    e1[n] = p[1].gain * std::sqrt(q[2] + q[3]);
    e2[n] = p[2].gain * std::sqrt(q[4] + q[5]);
    e3[n] = p[3].gain * std::sqrt(q[6] + q[7]);
  }
}

// Two bands' filters on one signal, only the sums of their outputs' squared magnitudes kept. Lanes:
// {a real, a imaginary, b real, b imaginary}; the carriers {cos a, -sin a, cos b, -sin b} turn by the
// rotation recursion in the same lanes.
[[gnu::always_inline]] inline std::array<double, 2> mean_square_pair_kernel(const double* x, std::size_t frames, double sample_rate_hz,
                                                                            const KatesGammatone& band_a, const KatesGammatone& band_b) noexcept {
  const Prototype pa = prototype(band_a, sample_rate_hz);
  const Prototype pb = prototype(band_b, sample_rate_hz);
  const Lanes c1 = {pa.c1, pa.c1, pb.c1, pb.c1}, c2 = {pa.c2, pa.c2, pb.c2, pb.c2};
  const Lanes c3 = {pa.c3, pa.c3, pb.c3, pb.c3}, c4 = {pa.c4, pa.c4, pb.c4, pb.c4};
  const Lanes c5 = {pa.c5, pa.c5, pb.c5, pb.c5};
  GammatoneLanes filter{c1, c2, c3, c4, c5};
  const double wa = 2.0 * std::numbers::pi / sample_rate_hz * band_a.centre_hz;
  const double wb = 2.0 * std::numbers::pi / sample_rate_hz * band_b.centre_hz;
  CarrierPair carrier(wa, wb);
  Lanes power = {0, 0, 0, 0}, power_odd = power;  // (even and odd samples' sums: two chains)
  std::size_t n = 0;
  for (; n + 2 <= frames; n += 2) {
    Lanes y0, y1;
    gammatone_step(filter, x[n] * carrier.even, y0);
    gammatone_step(filter, x[n + 1] * carrier.odd, y1);
    power += y0 * y0;
    power_odd += y1 * y1;
    carrier.advance_two();
  }
  if (n < frames) {
    Lanes y;
    gammatone_step(filter, x[n] * carrier.even, y);
    power += y * y;
  }
  power += power_odd;
  const double count = static_cast<double>(frames);
  return {pa.gain * pa.gain * (power[0] + power[1]) / count, pb.gain * pb.gain * (power[2] + power[3]) / count};
}
std::array<double, 2> mean_square_pair_baseline(const double* x, std::size_t frames, double sample_rate_hz, const KatesGammatone& band_a,
                                                const KatesGammatone& band_b) noexcept {
  return mean_square_pair_kernel(x, frames, sample_rate_hz, band_a, band_b);
}
[[gnu::target("avx2,fma")]] std::array<double, 2> mean_square_pair_avx2(const double* x, std::size_t frames, double sample_rate_hz,
                                                                        const KatesGammatone& band_a, const KatesGammatone& band_b) noexcept {
  return mean_square_pair_kernel(x, frames, sample_rate_hz, band_a, band_b);
}

// mean_square_pair_kernel for two pairs in eight lanes {a re, a im, b re, b im, c ..., d ...}: the
// same step, carrier turns and sums lane by lane (as gammatone_two_pairs_avx512 for the envelopes).
[[gnu::target("avx2,fma,avx512f,avx512bw,avx512vl")]] void mean_square_two_pairs_avx512(const double* x, std::size_t frames,
                                                                                        double sample_rate_hz,
                                                                                        const std::array<KatesGammatone, 4>& bands,
                                                                                        std::array<double, 4>& out) noexcept {
  Prototype p[4];
  double w[4];
  for (std::size_t k = 0; k < 4; ++k) {
    p[k] = prototype(bands[k], sample_rate_hz);
    w[k] = 2.0 * std::numbers::pi / sample_rate_hz * bands[k].centre_hz;
  }
  FourFilterLanes lanes;
  four_filter_lanes(p, w, lanes);
  GammatoneLanes8 filter = lanes.filter;  // (copies: the loops' state in registers)
  Lanes8 even = lanes.even, odd = lanes.odd;
  const Lanes8 turn_same = lanes.turn_same, turn_swapped = lanes.turn_swapped;
  Lanes8 power = {}, power_odd = {};
  std::size_t n = 0;
  for (; n + 2 <= frames; n += 2) {
    Lanes8 y0, y1;
    gammatone_step(filter, x[n] * even, y0);
    gammatone_step(filter, x[n + 1] * odd, y1);
    power += y0 * y0;
    power_odd += y1 * y1;
    turn_carrier8(even, turn_same, turn_swapped);
    turn_carrier8(odd, turn_same, turn_swapped);
  }
  if (n < frames) {
    Lanes8 y;
    gammatone_step(filter, x[n] * even, y);
    power += y * y;
  }
  power += power_odd;
  const double count = static_cast<double>(frames);
  for (int k = 0; k < 4; ++k) out[static_cast<std::size_t>(k)] = p[k].gain * p[k].gain * (power[2 * k] + power[2 * k + 1]) / count;
}

}  // namespace

std::array<double, 4> kates_gammatone_mean_square_two_pairs(const double* x, std::size_t frames, double sample_rate_hz,
                                                            const std::array<KatesGammatone, 4>& bands) {
  if (frames == 0) return {0.0, 0.0, 0.0, 0.0};
  if (simd_path(SimdPath::avx512) == SimdPath::avx512) {
    std::array<double, 4> out{};
    mean_square_two_pairs_avx512(x, frames, sample_rate_hz, bands, out);
    return out;
  }
  const std::array<double, 2> ab = kates_gammatone_mean_square_pair(x, frames, sample_rate_hz, bands[0], bands[1]);
  const std::array<double, 2> cd = kates_gammatone_mean_square_pair(x, frames, sample_rate_hz, bands[2], bands[3]);
  return {ab[0], ab[1], cd[0], cd[1]};
}

std::array<double, 2> kates_gammatone_mean_square_pair(const double* x, std::size_t frames, double sample_rate_hz, const KatesGammatone& band_a,
                                                       const KatesGammatone& band_b) {
  if (frames == 0) return {0.0, 0.0};
  auto* run = simd_path() == SimdPath::avx2 ? mean_square_pair_avx2 : mean_square_pair_baseline;
  return run(x, frames, sample_rate_hz, band_a, band_b);
}

void kates_gammatone_band_pair(const double* x_a, const double* x_b, std::size_t frames, double sample_rate_hz, double centre_hz,
                               double bandwidth_factor_a, double bandwidth_factor_b, double* envelope_a, double* envelope_b,
                               double* basilar_membrane_a, double* basilar_membrane_b) {
  auto* run = simd_path() == SimdPath::avx2 ? gammatone_pair_avx2 : gammatone_pair_baseline;
  run(x_a, x_b, frames, sample_rate_hz, centre_hz, bandwidth_factor_a, bandwidth_factor_b, envelope_a, envelope_b, basilar_membrane_a,
      basilar_membrane_b);
}

void kates_gammatone_two_band_pairs(const double* x_a, const double* x_b, std::size_t frames, double sample_rate_hz,
                                    const KatesGammatonePairBands& bands, double* const envelopes[4]) {
  if (simd_path(SimdPath::avx512) == SimdPath::avx512) {
    gammatone_two_pairs_avx512(x_a, x_b, frames, sample_rate_hz, bands, envelopes);
    return;
  }
  for (std::size_t k = 0; k < 2; ++k) {
    kates_gammatone_band_pair(x_a, x_b, frames, sample_rate_hz, bands.centre_hz[k], bands.bandwidth_factor_a[k], bands.bandwidth_factor_b[k],
                              envelopes[2 * k], envelopes[2 * k + 1], nullptr, nullptr);
  }
}

void kates_gammatone_band(const double* x, std::size_t frames, double sample_rate_hz, const KatesGammatone& band,
                          double* envelope, double* basilar_membrane) {
  const Prototype p = prototype(band, sample_rate_hz);
  // The carrier by rotation (cos, -sin of 2 pi fc n / fs), as the reference model computes it, so
  // that both follow the same rounding.
  const double w = 2.0 * std::numbers::pi / sample_rate_hz * band.centre_hz;
  const double cos_step = std::cos(w), sin_step = std::sin(w);
  double c = 1.0, s = 0.0;
  // Input and output histories of the real (r) and imaginary (i) branches.
  double xr1 = 0, xr2 = 0, yr1 = 0, yr2 = 0, yr3 = 0, yr4 = 0;
  double xi1 = 0, xi2 = 0, yi1 = 0, yi2 = 0, yi3 = 0, yi4 = 0;
  for (std::size_t n = 0; n < frames; ++n) {
    if (n > 0) {
      const double next_c = c * cos_step + s * sin_step;
      s = s * cos_step - c * sin_step;
      c = next_c;
    }
    const double xr = x[n] * c, xi = x[n] * s;
    const double yr = (xr + p.c1 * xr1 + p.c5 * xr2 + p.c2 * yr2 + p.c3 * yr3 + p.c4 * yr4) + p.c1 * yr1;
    const double yi = (xi + p.c1 * xi1 + p.c5 * xi2 + p.c2 * yi2 + p.c3 * yi3 + p.c4 * yi4) + p.c1 * yi1;
    xr2 = xr1;
    xr1 = xr;
    xi2 = xi1;
    xi1 = xi;
    yr4 = yr3;
    yr3 = yr2;
    yr2 = yr1;
    yr1 = yr;
    yi4 = yi3;
    yi3 = yi2;
    yi2 = yi1;
    yi1 = yi;
    envelope[n] = p.gain * std::sqrt(yr * yr + yi * yi);
    if (basilar_membrane) basilar_membrane[n] = p.gain * (yr * c + yi * s);
  }
}

double kates_gammatone_group_delay_samples(const KatesGammatone& band, double sample_rate_hz) {
  // At 0 Hz a rational filter B/A delays by sum(k b_k)/sum(b_k) - sum(k a_k)/sum(a_k).
  const Prototype p = prototype(band, sample_rate_hz);
  const double b_sum = 1.0 + p.c1 + p.c5, b_moment = p.c1 + 2.0 * p.c5;
  const double a_sum = 1.0 - p.c1 - p.c2 - p.c3 - p.c4;
  const double a_moment = -p.c1 - 2.0 * p.c2 - 3.0 * p.c3 - 4.0 * p.c4;
  return b_moment / b_sum - a_moment / a_sum;
}

}  // namespace earshot
