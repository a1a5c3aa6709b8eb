// earshot_engine_process() through the shared library must never allocate or free (real-time
// rule), also while a listener change is being taken and moved to, and with a NULL input. Its own
// binary: it replaces the global allocator (the library's calls resolve to it) to count.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <numbers>
#include <vector>

#include "earshot/earshot.h"

namespace {
std::atomic<long> g_allocations{0}, g_frees{0};
}

namespace {
void* allocate(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void release(void* p) noexcept {
  if (p) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }

namespace {

TEST(CApiRealtime, ProcessNeverAllocatesOrFreesAcrossListenerChanges) {
  const double rate = 22050.0;
  char error[256];
  const long before_create = g_allocations.load();
  earshot_engine* engine = earshot_engine_create("N3", rate, 1, 2, 100.0, error, sizeof error);
  ASSERT_NE(engine, nullptr) << error;
  EXPECT_GT(g_allocations.load(), before_create) << "the counter sees create allocate";
  std::vector<float> x(4096), left(4096), right(4096);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.1f * static_cast<float>(std::sin(2.0 * std::numbers::pi * 440.0 * i / rate));
  const float* in[1] = {x.data()};
  float* out[2] = {left.data(), right.data()};
  long in_process = 0, freed_in_process = 0;
  auto process = [&](const float* const* input, int frames) {
    const long a = g_allocations.load(), f = g_frees.load();
    earshot_engine_process(engine, input, out, frames);
    in_process += g_allocations.load() - a;
    freed_in_process += g_frees.load() - f;
  };
  for (int block : {1, 64, 1000, 4096}) process(in, block);
  // An acoustic move, then a structural one (to an implant on one ear), each heard over blocks.
  for (const char* listener : {"N6", "left=ci:nucleus-ace,right=N2", "normal"}) {
    ASSERT_EQ(earshot_engine_set_listener(engine, listener, 0.05, error, sizeof error), 0) << error;
    for (int i = 0; i < 8; ++i) process(in, 512);
    process(nullptr, 3000);  // silence in, more than the engine's silent buffer
  }
  EXPECT_EQ(in_process, 0) << "allocations inside earshot_engine_process";
  EXPECT_EQ(freed_in_process, 0) << "frees inside earshot_engine_process";
  earshot_engine_destroy(engine);
}

}  // namespace
