#pragma once
// The allocation trap the real-time tests share: linking allocation_trap.cpp into a test binary
// replaces the global operator new and delete with counting ones (code loaded with dlopen, such
// as a plugin, resolves to them too). A thread that sets t_audio_thread is counted on its own, so
// a test can let a control thread allocate, as it may, while the audio thread must not.
#include <atomic>

namespace earshot::test {

extern std::atomic<long> g_allocations;                          // every thread
extern thread_local bool t_audio_thread;
extern std::atomic<long> g_audio_allocations, g_audio_frees;     // threads marked as audio threads

}  // namespace earshot::test
