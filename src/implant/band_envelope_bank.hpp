#pragma once
// The CIS analysis filterbank of ImplantSoundProcessor: per band a Butterworth band-pass, then an
// envelope detector (full-wave rectifier, or complex demodulation at the band centre for the
// Hilbert envelope), each followed by two low-pass sections.
//
// Why a bank: the bands are independent, so four of them run side by side in the lanes of one
// vector (GCC/Clang vector extensions, lowered to SSE2 on the baseline target). Each lane does
// exactly the scalar cascade's arithmetic (Biquad::step, in the same order, with no contraction
// into fused multiply-adds; where the sections have their designs' shapes, steps that skip the
// products those shapes make redundant and round the same way: band_envelope_bank.cpp), so the
// envelopes are bit for bit those of one band at a time; only
// the instruction count falls (issue #12: the filterbank was 87 % of ci:medel-cis). Where the CPU
// has AVX2, a copy compiled for it holds a group in one register instead of two; where it has
// AVX-512 F as well, a third copy holds eight bands in one register (12 bands: two groups, not
// three), the same bits again.
// prepare() allocates; push() never allocates, locks or throws.
#include <vector>

#include "implant/implant_design.hpp"

namespace earshot {

class BandEnvelopeBank {
 public:
  static constexpr int kLanes = 4;            // bands per group (baseline and AVX2)
  static constexpr int kWideLanes = 8;        // bands per group where the CPU has AVX-512 (F)
  static constexpr int kMaxBandSections = 4;  // band-pass sections per band (the design uses 3)

  void prepare(const ImplantPlan& plan);
  void reset() noexcept;
  // The front end's output; every band's filters and detector advance by `frames` samples.
  void push(const float* x, int frames) noexcept;
  // Band b's detector output after the last push (before ImplantPlan::envelope_scale).
  double detector(int band) const noexcept {
    return wide_ ? wide_groups_[band / kWideLanes].detector[band % kWideLanes] : groups_[band / kLanes].detector[band % kLanes];
  }

 private:
  template <int kN>
  struct Vectors {
    typedef double Lanes __attribute__((vector_size(kN * sizeof(double))));
    typedef long long Bits __attribute__((vector_size(kN * sizeof(long long))));
  };
  template <int kN>
  struct Section {
    typename Vectors<kN>::Lanes b0, b1, b2, a1, a2;
  };
  // Aligned to the vector: the baseline target aligns a four-double vector to 16 bytes only, but
  // the AVX2 (AVX-512) copy loads whole 32-byte (64-byte) registers with aligned moves.
  template <int kN>
  struct alignas(kN * sizeof(double)) Group {
    using Lanes = typename Vectors<kN>::Lanes;
    Section<kN> band[kMaxBandSections];
    Section<kN> smooth[2];                             // the I and Q paths' low-pass (same filters)
    Lanes band_z1[kMaxBandSections], band_z2[kMaxBandSections];
    Lanes i_z1[2], i_z2[2], q_z1[2], q_z2[2];
    Lanes re, im, step_re, step_im;                   // hilbert: the demodulating oscillator
    Lanes detector;
  };
  template <int kN>
  void prepare_groups(const ImplantPlan& p, std::vector<Group<kN>>& groups);
  template <int kN>
  static void reset_groups(std::vector<Group<kN>>& groups) noexcept;
  template <int kN, int kSections, bool kHilbert, bool kShaped>
  static void push_group(Group<kN>& g, const float* x, int frames) noexcept;
  // push() on the instruction set chosen at prepare (dsp/simd_path.hpp): the same code
  // (push_groups), compiled three times; all give the same bits (band_envelope_bank.cpp).
  template <int kN>
  void push_groups(std::vector<Group<kN>>& groups, const float* x, int frames) noexcept;
  void push_baseline(const float* x, int frames) noexcept;
  void push_avx2(const float* x, int frames) noexcept;
  void push_avx512(const float* x, int frames) noexcept;

  std::vector<Group<kLanes>> groups_;
  std::vector<Group<kWideLanes>> wide_groups_;  // wide_: the same bands, eight to a group
  int band_sections_ = 0;
  bool hilbert_ = false;
  bool shaped_ = false;  // every section has its design's shape (prepare): push skips redundant products
  bool avx2_ = false;  // push_avx2 (the CPU has AVX2 and simd_path() chose it)
  bool wide_ = false;  // push_avx512 (the CPU has AVX-512 and simd_path(SimdPath::avx512) chose it)
};

}  // namespace earshot
