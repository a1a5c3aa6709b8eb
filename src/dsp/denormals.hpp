#pragma once
// Denormal numbers off for a scope: flush-to-zero and denormals-are-zero on x86 (SSE MXCSR), FZ on
// AArch64 (FPCR), restored when the scope ends. A recursive filter or a decaying tail that runs
// into denormals is many times slower on x86; audio never needs them. noexcept, no allocation.
#include <cstdint>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace earshot {

class DenormalsOff {
 public:
  DenormalsOff() noexcept {
#if defined(__SSE__) || defined(__x86_64__)
    saved_ = _mm_getcsr();
    _mm_setcsr(saved_ | 0x8040u);  // FTZ (bit 15) | DAZ (bit 6)
#elif defined(__aarch64__)
    std::uint64_t fpcr;
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
    saved_ = fpcr;
    __asm__ __volatile__("msr fpcr, %0" : : "r"(fpcr | (std::uint64_t{1} << 24)));  // FZ
#endif
  }
  ~DenormalsOff() {
#if defined(__SSE__) || defined(__x86_64__)
    _mm_setcsr(static_cast<unsigned>(saved_));
#elif defined(__aarch64__)
    __asm__ __volatile__("msr fpcr, %0" : : "r"(saved_));
#endif
  }
  DenormalsOff(const DenormalsOff&) = delete;
  DenormalsOff& operator=(const DenormalsOff&) = delete;

 private:
  std::uint64_t saved_ = 0;
};

}  // namespace earshot
