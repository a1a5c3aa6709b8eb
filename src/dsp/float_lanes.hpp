#pragma once
// Eight floats side by side, as the DSP loops that run bands, bins or filters in vectors use them
// (dsp/block_convolver.cpp, dsp/partitioned_convolver.cpp, dsp/fir_filter.cpp,
// dsp/fast_math_lanes.hpp and its callers). Written with GCC's and clang's vector extension: one AVX
// register on the AVX2 + FMA copies, two SSE2 registers on the baseline target.
//
// Loads and stores go through references (load_lanes, store_lanes), never a vector passed
// or returned by value: a function taking a 32-byte vector by value would change the calling
// convention between the baseline and AVX2 copies of a caller. The helpers are always inlined, so
// they compile to the same instructions as the casts they replace.
#include <cstdint>

namespace earshot {

inline constexpr int kFloatLanes = 8;
typedef float FloatLanes __attribute__((vector_size(kFloatLanes * sizeof(float))));
typedef std::int32_t IntLanes __attribute__((vector_size(kFloatLanes * sizeof(std::int32_t))));
typedef std::uint32_t UintLanes __attribute__((vector_size(kFloatLanes * sizeof(std::uint32_t))));
// Eight floats read from or written to any float's address (unaligned; may alias the floats).
typedef float FloatLanesAt __attribute__((vector_size(kFloatLanes * sizeof(float)), aligned(alignof(float)), may_alias));

// Loads and stores dereference the unaligned type inside the helper itself: clang (the sanitizer
// build's compiler) did not keep the type's reduced alignment through a helper that returned a
// reference to it, and emitted aligned moves that faulted on unaligned floats.
[[gnu::always_inline]] inline void load_lanes(const float* p, FloatLanes& v) noexcept { v = *reinterpret_cast<const FloatLanesAt*>(p); }
[[gnu::always_inline]] inline void store_lanes(const FloatLanes& v, float* p) noexcept { *reinterpret_cast<FloatLanesAt*>(p) = v; }

// n rounded up to a multiple of `multiple` (a count of lanes: filters, bins, taps).
constexpr int round_up(int n, int multiple) noexcept { return (n + multiple - 1) / multiple * multiple; }

}  // namespace earshot
