#pragma once
// The allocation trap the real-time tests share: linking allocation_trap.cpp into a test binary
// replaces the C allocator (malloc, calloc, realloc, the aligned ones, free) and the global
// operator new and delete with counting ones (code loaded with dlopen, such as a plugin, and C
// libraries such as FFTW resolve to them too; sanitizer builds count operator new only). A thread that sets t_audio_thread is counted on its own, so
// a test can let a control thread allocate, as it may, while the audio thread must not.
#include <atomic>

// AddressSanitizer replaces the C allocator itself: its builds trap operator new only.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EARSHOT_TRAP_OPERATOR_NEW_ONLY 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || !defined(__GLIBC__)
#define EARSHOT_TRAP_OPERATOR_NEW_ONLY 1
#endif

namespace earshot::test {

#ifdef EARSHOT_TRAP_OPERATOR_NEW_ONLY
inline constexpr bool kTrapCountsCAllocator = false;
#else
inline constexpr bool kTrapCountsCAllocator = true;
#endif

extern std::atomic<long> g_allocations;                          // every thread
extern thread_local bool t_audio_thread;
extern std::atomic<long> g_audio_allocations, g_audio_frees;     // threads marked as audio threads

}  // namespace earshot::test
