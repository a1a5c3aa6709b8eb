#include "implant/band_envelope_bank.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/simd_path.hpp"

// push() is compiled three times: for the target's baseline (SSE2: a four-double vector is two
// registers), for AVX2 (one register), and for AVX-512 F with eight bands a group (one 64-byte
// register: 12 bands are two groups, not three), picked at run time (prepare). The AVX2 copy is
// built without FMA, so that no multiply-add is contracted; AVX-512 F brings FMA with it, but GCC
// (ISO C++: -ffp-contract=off) does not contract, and for Clang the pragma below forbids it: every
// copy does the same IEEE operations in the same order and gives bit for bit the same envelopes.
// x86-64 with GCC or Clang only.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_BANK_AVX2 1
#endif
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

namespace earshot {

void BandEnvelopeBank::prepare(const ImplantPlan& p) {
  hilbert_ = p.map.envelope == EnvelopeDetector::hilbert;
  // The bank has an AVX-512 copy: it runs where simd_path allows it (the CPU has it and
  // EARSHOT_SIMD does not ask for less), so every loop follows the same choice.
  const SimdPath path = simd_path(SimdPath::avx512);
  avx2_ = path != SimdPath::baseline;
#if defined(EARSHOT_BANK_AVX2)
  wide_ = path == SimdPath::avx512;
#else
  wide_ = false;
#endif
  band_sections_ = 1;
  for (const auto& sections : p.band_filters) band_sections_ = std::max(band_sections_, static_cast<int>(sections.size()));
  band_sections_ = std::min(band_sections_, kMaxBandSections);  // implant_design.cpp: order-3 band-passes, 3 sections
  groups_.clear();
  wide_groups_.clear();
  if (wide_) {
    prepare_groups(p, wide_groups_);
  } else {
    prepare_groups(p, groups_);
  }
  reset();
}

template <int kN>
void BandEnvelopeBank::prepare_groups(const ImplantPlan& p, std::vector<Group<kN>>& groups) {
  const int bands = static_cast<int>(p.band_filters.size());
  groups.assign(static_cast<std::size_t>((bands + kN - 1) / kN), Group<kN>{});
  auto set = [](Section<kN>& s, int lane, const Biquad& q) {
    s.b0[lane] = q.b0;
    s.b1[lane] = q.b1;
    s.b2[lane] = q.b2;
    s.a1[lane] = q.a1;
    s.a2[lane] = q.a2;
  };
  // A band with fewer sections is padded with pass-through sections (y = 1 x + 0: exact); the
  // lanes past the last band have zero sections and stay silent.
  // A band whose first section is all zeros (a band above the Nyquist frequency) is silent
  // whatever follows, so it is padded with zero sections too.
  const Biquad pass{1, 0, 0, 0, 0};
  const Biquad zero{0, 0, 0, 0, 0};
  auto is_zero = [](const Biquad& q) { return q.b0 == 0.0 && q.b1 == 0.0 && q.b2 == 0.0 && q.a1 == 0.0 && q.a2 == 0.0; };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    Group<kN>& group = groups[g];
    for (int lane = 0; lane < kN; ++lane) {
      const int b = static_cast<int>(g) * kN + lane;
      const bool real = b < bands;
      const bool silent = !real || p.band_filters[b].empty() || is_zero(p.band_filters[b][0]);
      for (int s = 0; s < kMaxBandSections; ++s) {
        const bool have = real && s < static_cast<int>(p.band_filters[b].size());
        set(group.band[s], lane, have ? p.band_filters[b][s] : silent ? zero : pass);
      }
      for (int s = 0; s < 2; ++s) set(group.smooth[s], lane, real ? p.envelope_filters[b][s] : zero);
      const double w = real ? 2.0 * std::numbers::pi * p.demodulation_hz[b] / p.sample_rate_hz : 0.0;
      group.step_re[lane] = std::cos(w);
      group.step_im[lane] = std::sin(w);
    }
  }
  // The designs' shapes (dsp/butterworth.cpp): band-pass sections g (1 - z^-2), that is b1 = 0 and
  // b2 = -b0; low-pass sections b1 = 2 b0 and b2 = b0 (RBJ). Where every lane has them, push runs
  // steps that skip the multiplications they make redundant (push_group: the same bits).
  shaped_ = true;
  for (const Group<kN>& group : groups) {
    for (int lane = 0; lane < kN; ++lane) {
      for (int s = 0; s < band_sections_; ++s) {
        const Section<kN>& q = group.band[s];
        shaped_ = shaped_ && q.b1[lane] == 0.0 && q.b2[lane] == -q.b0[lane];
      }
      for (const Section<kN>& q : group.smooth) shaped_ = shaped_ && q.b1[lane] == 2.0 * q.b0[lane] && q.b2[lane] == q.b0[lane];
    }
  }
}

template <int kN>
void BandEnvelopeBank::reset_groups(std::vector<Group<kN>>& groups) noexcept {
  using Lanes = typename Vectors<kN>::Lanes;
  const Lanes zero = {}, one = zero + 1.0;
  for (Group<kN>& g : groups) {
    for (int s = 0; s < kMaxBandSections; ++s) g.band_z1[s] = g.band_z2[s] = zero;
    for (int s = 0; s < 2; ++s) g.i_z1[s] = g.i_z2[s] = g.q_z1[s] = g.q_z2[s] = zero;
    g.re = one;
    g.im = zero;
    g.detector = zero;
  }
}

void BandEnvelopeBank::reset() noexcept {
  reset_groups(groups_);
  reset_groups(wide_groups_);
}

template <int kN, int kSections, bool kHilbert, bool kShaped>
[[gnu::always_inline]] inline void BandEnvelopeBank::push_group(Group<kN>& g, const float* x, int frames) noexcept {
  using Lanes = typename Vectors<kN>::Lanes;
  using Bits = typename Vectors<kN>::Bits;
  using Section = BandEnvelopeBank::Section<kN>;
  // The state lives in locals for the whole run (registers), written back at the end.
  Lanes bz1[kSections], bz2[kSections], iz1[2], iz2[2], qz1[2], qz2[2];
  for (int s = 0; s < kSections; ++s) {
    bz1[s] = g.band_z1[s];
    bz2[s] = g.band_z2[s];
  }
  for (int s = 0; s < 2; ++s) {
    iz1[s] = g.i_z1[s];
    iz2[s] = g.i_z2[s];
    qz1[s] = g.q_z1[s];
    qz2[s] = g.q_z2[s];
  }
  Lanes re = g.re, im = g.im, vi = {}, vq = {};
  const Lanes cr = g.step_re, ci = g.step_im;
  // Biquad::step, term for term (transposed direct form II).
  constexpr long long kMagnitude = 0x7fffffffffffffffLL;
  const Bits no_sign = Bits{} + kMagnitude;
  // Always inlined, so that it is compiled for the instruction set of the copy it is in.
  auto general_step = [](const Section& c, Lanes& z1, Lanes& z2, Lanes& v) __attribute__((always_inline)) {
    const Lanes in = v;
    const Lanes y = c.b0 * in + z1;
    z1 = c.b1 * in - c.a1 * y + z2;
    z2 = c.b2 * in - c.a2 * y;
    v = y;
  };
  // Band-pass section with b1 = 0, b2 = -b0 (kShaped): with t = b0 x, Biquad::step is
  //   y = t + z1,  z1' = (0 x - a1 y) + z2 = z2 - a1 y,  z2' = -t - a2 y = -(t + a2 y);
  // the state is kept negated (Z = -z), so y = t - Z1, Z1' = Z2 + a1 y, Z2' = t + a2 y: the same
  // roundings (negation is exact and round-to-nearest is symmetric), three multiplications, not five.
  auto band_step = [&](const Section& c, Lanes& z1, Lanes& z2, Lanes& v) __attribute__((always_inline)) {
    if constexpr (kShaped) {
      const Lanes t = c.b0 * v;
      const Lanes y = t - z1;
      z1 = z2 + c.a1 * y;
      z2 = t + c.a2 * y;
      v = y;
    } else {
      general_step(c, z1, z2, v);
    }
  };
  // Low-pass section with b1 = 2 b0, b2 = b0 (kShaped): b1 x = 2 (b0 x) exactly, so b0 x once.
  auto step = [&](const Section& c, Lanes& z1, Lanes& z2, Lanes& v) __attribute__((always_inline)) {
    if constexpr (kShaped) {
      const Lanes t = c.b0 * v;
      const Lanes y = t + z1;
      z1 = (t + t) - c.a1 * y + z2;
      z2 = t - c.a2 * y;
      v = y;
    } else {
      general_step(c, z1, z2, v);
    }
  };
  for (int i = 0; i < frames; ++i) {
    const double v = x[i];
    Lanes y = v - Lanes{};  // v in every lane (x - (+0) is x, -0 included)
    for (int s = 0; s < kSections; ++s) band_step(g.band[s], bz1[s], bz2[s], y);
    if constexpr (kHilbert) {
      // Complex demodulation at the band centre, low-pass: the analytic (Hilbert) envelope.
      Lanes u = y * re, v = -y * im;
      step(g.smooth[0], iz1[0], iz2[0], u);
      step(g.smooth[1], iz1[1], iz2[1], u);
      step(g.smooth[0], qz1[0], qz2[0], v);
      step(g.smooth[1], qz1[1], qz2[1], v);
      vi = u;
      vq = v;
      const Lanes nre = re * cr - im * ci;
      im = re * ci + im * cr;
      re = nre;
    } else {
      Lanes a = (Lanes)((Bits)y & no_sign);  // |y| (std::abs: the sign bit cleared)
      step(g.smooth[0], iz1[0], iz2[0], a);
      step(g.smooth[1], iz1[1], iz2[1], a);
      vi = a;
    }
  }
  for (int s = 0; s < kSections; ++s) {
    g.band_z1[s] = bz1[s];
    g.band_z2[s] = bz2[s];
  }
  for (int s = 0; s < 2; ++s) {
    g.i_z1[s] = iz1[s];
    g.i_z2[s] = iz2[s];
    g.q_z1[s] = qz1[s];
    g.q_z2[s] = qz2[s];
  }
  if constexpr (kHilbert) {
    // Renormalised once per push, so rounding never lets the oscillator's magnitude drift.
    for (int lane = 0; lane < kN; ++lane) {
      const double norm = 1.0 / std::sqrt(re[lane] * re[lane] + im[lane] * im[lane]);
      re[lane] *= norm;
      im[lane] *= norm;
    }
    if (frames > 0) {
      for (int lane = 0; lane < kN; ++lane) g.detector[lane] = std::sqrt(vi[lane] * vi[lane] + vq[lane] * vq[lane]);
    }
  } else if (frames > 0) {
    g.detector = vi;
  }
  g.re = re;
  g.im = im;
}

template <int kN>
[[gnu::always_inline]] inline void BandEnvelopeBank::push_groups(std::vector<Group<kN>>& groups, const float* x, int frames) noexcept {
  for (Group<kN>& g : groups) {
    switch (band_sections_ * 4 + (hilbert_ ? 2 : 0) + (shaped_ ? 1 : 0)) {
      case 4: push_group<kN, 1, false, false>(g, x, frames); break;
      case 5: push_group<kN, 1, false, true>(g, x, frames); break;
      case 6: push_group<kN, 1, true, false>(g, x, frames); break;
      case 7: push_group<kN, 1, true, true>(g, x, frames); break;
      case 8: push_group<kN, 2, false, false>(g, x, frames); break;
      case 9: push_group<kN, 2, false, true>(g, x, frames); break;
      case 10: push_group<kN, 2, true, false>(g, x, frames); break;
      case 11: push_group<kN, 2, true, true>(g, x, frames); break;
      case 12: push_group<kN, 3, false, false>(g, x, frames); break;
      case 13: push_group<kN, 3, false, true>(g, x, frames); break;
      case 14: push_group<kN, 3, true, false>(g, x, frames); break;
      case 15: push_group<kN, 3, true, true>(g, x, frames); break;
      case 16: push_group<kN, 4, false, false>(g, x, frames); break;
      case 17: push_group<kN, 4, false, true>(g, x, frames); break;
      case 18: push_group<kN, 4, true, false>(g, x, frames); break;
      default: push_group<kN, 4, true, true>(g, x, frames); break;
    }
  }
}

void BandEnvelopeBank::push_baseline(const float* x, int frames) noexcept { push_groups(groups_, x, frames); }

#if defined(EARSHOT_BANK_AVX2)
[[gnu::target("avx2")]] void BandEnvelopeBank::push_avx2(const float* x, int frames) noexcept { push_groups(groups_, x, frames); }
[[gnu::target("avx512f")]] void BandEnvelopeBank::push_avx512(const float* x, int frames) noexcept { push_groups(wide_groups_, x, frames); }
#else
void BandEnvelopeBank::push_avx2(const float* x, int frames) noexcept { push_groups(groups_, x, frames); }
void BandEnvelopeBank::push_avx512(const float* x, int frames) noexcept { push_groups(wide_groups_, x, frames); }
#endif

void BandEnvelopeBank::push(const float* x, int frames) noexcept {
  if (wide_) {
    push_avx512(x, frames);
  } else if (avx2_) {
    push_avx2(x, frames);
  } else {
    push_baseline(x, frames);
  }
}

}  // namespace earshot
