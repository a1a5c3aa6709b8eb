#pragma once
// Which instruction set the hot loops run with, chosen at run time. The binaries target baseline
// x86-64 (SSE2) so that they run everywhere; on a CPU with AVX2 and FMA the per-frame loops run a
// second copy of themselves compiled for those (GCC's target attribute; see
// hearing_loss/hearing_loss_processor.cpp), and where the CPU also has AVX-512 (F, BW, VL) the
// hearing-loss model's frame runs a third copy compiled for it. Every copy is built and tested
// everywhere the CPU allows (tests/hearing_loss_simd_test.cpp states how far they differ).
//
// The path is the widest the CPU has, unless the environment says EARSHOT_SIMD=baseline, =avx2 or
// =avx512 (read once, on first use; never wider than the CPU has) or a caller forced one
// (force_simd_path: tests, benchmarks). A processor reads it in prepare(), never while it
// processes.
#include <optional>

namespace earshot {

// Ordered from narrowest to widest: each path's CPU has every narrower path's instructions.
enum class SimdPath {
  baseline,  // x86-64 baseline (SSE2), or whatever the target's default is elsewhere
  avx2,      // AVX2 + FMA (x86-64 only)
  avx512,    // AVX-512 F + BW + VL, with AVX2 + FMA (x86-64 only)
};

bool simd_path_available(SimdPath path) noexcept;
// The path a loop prepared from now on uses, given the widest copy of it that is built: the chosen
// path, capped at `widest_built`. Loops with a baseline and an AVX2 copy ask simd_path() and get
// avx2 on an AVX-512 CPU; the hearing-loss frame asks simd_path(SimdPath::avx512).
SimdPath simd_path(SimdPath widest_built = SimdPath::avx2) noexcept;
// Use `path` from now on if the CPU has it (else the widest narrower path it has); std::nullopt:
// back to the automatic choice. Not for use while another thread prepares a processor.
void force_simd_path(std::optional<SimdPath> path) noexcept;
const char* simd_path_name(SimdPath path) noexcept;

}  // namespace earshot
