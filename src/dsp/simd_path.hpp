#pragma once
// Which instruction set the hot loops run with, chosen at run time. The binaries target baseline
// x86-64 (SSE2) so that they run everywhere; on a CPU with AVX2 and FMA the hearing-loss model's
// per-frame loops run a second copy of themselves compiled for those (GCC's target attribute; see
// hearing_loss/hearing_loss_processor.cpp). Both copies are built and tested everywhere the CPU
// allows (tests/hearing_loss_simd_test.cpp states how far they differ).
//
// The path is the widest the CPU has, unless the environment says EARSHOT_SIMD=baseline (read once,
// on first use) or a caller forced one (force_simd_path: tests, benchmarks). A processor reads it
// in prepare(), never while it processes.
#include <optional>

namespace earshot {

enum class SimdPath {
  baseline,  // x86-64 baseline (SSE2), or whatever the target's default is elsewhere
  avx2,      // AVX2 + FMA (x86-64 only)
};

bool simd_path_available(SimdPath path) noexcept;
// The path processors prepared from now on use.
SimdPath simd_path() noexcept;
// Use `path` from now on if the CPU has it (else baseline); std::nullopt: back to the automatic
// choice. Not for use while another thread prepares a processor.
void force_simd_path(std::optional<SimdPath> path) noexcept;
const char* simd_path_name(SimdPath path) noexcept;

}  // namespace earshot
