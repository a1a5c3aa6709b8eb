#pragma once
// Denormal (subnormal) numbers cost tens to hundreds of cycles an operation on many CPUs, and
// recursive filters and reverberant tails decaying towards silence make them. ScopedFlushDenormals
// makes this thread's floating point treat them as zero for its lifetime, and puts the previous mode
// back when it ends (RAII; nothing here allocates, locks or throws):
//   x86 / x86-64 (SSE): MXCSR's flush-to-zero (FTZ, bit 15: a denormal result becomes 0) and
//                       denormals-are-zero (DAZ, bit 6: a denormal input reads as 0);
//   AArch64:            FPCR's flush-to-zero (FZ, bit 24: denormal inputs and results become 0);
//   anything else:      nothing (the guard is a no-op and flushing_denormals() is false).
// The mode is per thread: an audio thread sets it around its block (`process`), not once at start.
// Audible effect: none; denormals are below 1e-38 (float), some 760 dB under full scale.
#include <cstdint>

#if defined(__SSE__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 1)
#include <pmmintrin.h>
#include <xmmintrin.h>
#define EARSHOT_DENORMALS_SSE 1
#elif defined(__aarch64__) || defined(_M_ARM64)
#define EARSHOT_DENORMALS_AARCH64 1
#endif

namespace earshot {

namespace denormals_detail {
#if defined(EARSHOT_DENORMALS_SSE)
inline constexpr std::uint64_t kFlushBits = _MM_FLUSH_ZERO_ON | _MM_DENORMALS_ZERO_ON;  // 0x8000 | 0x0040
inline std::uint64_t read_mode() noexcept { return _mm_getcsr(); }
inline void write_mode(std::uint64_t mode) noexcept { _mm_setcsr(static_cast<unsigned>(mode)); }
#elif defined(EARSHOT_DENORMALS_AARCH64) && (defined(__GNUC__) || defined(__clang__))
inline constexpr std::uint64_t kFlushBits = std::uint64_t{1} << 24;  // FPCR.FZ
inline std::uint64_t read_mode() noexcept {
  std::uint64_t fpcr;
  __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
  return fpcr;
}
inline void write_mode(std::uint64_t fpcr) noexcept { __asm__ __volatile__("msr fpcr, %0" : : "r"(fpcr)); }
#else
inline constexpr std::uint64_t kFlushBits = 0;
inline std::uint64_t read_mode() noexcept { return 0; }
inline void write_mode(std::uint64_t) noexcept {}
#endif
}  // namespace denormals_detail

// Whether this thread's floating point now flushes denormals (all of the bits above set).
inline bool flushing_denormals() noexcept {
  using namespace denormals_detail;
  return kFlushBits != 0 && (read_mode() & kFlushBits) == kFlushBits;
}

class ScopedFlushDenormals {
 public:
  ScopedFlushDenormals() noexcept : previous_(denormals_detail::read_mode()) {
    denormals_detail::write_mode(previous_ | denormals_detail::kFlushBits);
  }
  ~ScopedFlushDenormals() { denormals_detail::write_mode(previous_); }
  ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
  ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

 private:
  std::uint64_t previous_;
};

}  // namespace earshot
