#include "allocation_trap.hpp"

#include <cerrno>
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

namespace {
void count_allocation() {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (t_audio_thread) g_audio_allocations.fetch_add(1, std::memory_order_relaxed);
}
void count_free(const void* p) {
  if (p && t_audio_thread) g_audio_frees.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

// The C allocator is trapped too: libraries written in C allocate with malloc, not operator new.
// FFTW's Rader algorithm, for one, mallocs a buffer on every execution of a transform whose size
// has a large prime factor (the implant character's window was 1604 = 4 x 401 points at 44.1 kHz).
// glibc exports its allocator as __libc_*; a definition of malloc in the executable takes the
// place of libc's for every library the process loads.
#ifdef EARSHOT_TRAP_OPERATOR_NEW_ONLY

void* operator new(std::size_t n) {
  count_allocation();
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  count_free(p);
  std::free(p);
}

#else

extern "C" {
void* __libc_malloc(std::size_t);
void __libc_free(void*);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);

void* malloc(std::size_t n) {
  count_allocation();
  return __libc_malloc(n);
}
void free(void* p) {
  count_free(p);
  __libc_free(p);
}
void* calloc(std::size_t count, std::size_t size) {
  count_allocation();
  return __libc_calloc(count, size);
}
void* realloc(void* p, std::size_t n) {
  count_allocation();
  return __libc_realloc(p, n);
}
void* memalign(std::size_t alignment, std::size_t n) {
  count_allocation();
  return __libc_memalign(alignment, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) {
  count_allocation();
  return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  count_allocation();
  void* p = __libc_memalign(alignment, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
void* valloc(std::size_t n) {
  count_allocation();
  return __libc_memalign(4096, n);
}
}

// operator new goes through the trapped malloc, which counts it once.
void* operator new(std::size_t n) {
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }

#endif

void* operator new[](std::size_t n) { return operator new(n); }
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }
