#include "allocation_trap.hpp"

#include <cstdlib>
#include <new>

namespace earshot::test {
std::atomic<long> g_allocations{0};
thread_local bool t_audio_thread = false;
std::atomic<long> g_audio_allocations{0}, g_audio_frees{0};
}  // namespace earshot::test

using earshot::test::g_allocations;
using earshot::test::g_audio_allocations;
using earshot::test::g_audio_frees;
using earshot::test::t_audio_thread;

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (t_audio_thread) g_audio_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept {
  if (p && t_audio_thread) g_audio_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }
