// The engine's process() must never allocate (real-time rule): count heap allocations around it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "test_support.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace earshot::test {
namespace {

// Allocations made by process() (blocks of 1 to 4096 frames of two tones) and reset(), after
// prepare(); prepare() itself must be seen to allocate, or the counter is not counting.
long allocations_while_processing(const EngineSpec& spec) {
  auto plan = design_engine(spec);
  EXPECT_TRUE(plan.ok()) << describe(plan.errors());
  if (!plan.ok()) return -1;
  Engine engine;
  const long at_start = g_allocations.load();
  engine.prepare(std::make_shared<const EnginePlan>(std::move(plan).value()));
  EXPECT_GT(g_allocations.load(), at_start) << "the allocation counter sees prepare() allocate";
  const double fs = spec.hearing.sample_rate_hz;
  std::vector<float> l = tone(1000.0, 70.0, fs, 0.5), r = tone(3000.0, 80.0, fs, 0.5);
  std::vector<float> ol(l.size()), orr(l.size());
  const long before = g_allocations.load();
  std::size_t at = 0;
  for (int block : {1, 7, 64, 256, 1000, 4096}) {
    const float* in[2] = {l.data() + at, r.data() + at};
    float* out[2] = {ol.data() + at, orr.data() + at};
    engine.process(in, out, block);
    at += block;
  }
  engine.reset();
  return g_allocations.load() - before;
}

TEST(RealTimeSafety, ProcessDoesNotAllocateForAnyBlockSize) {
  EngineSpec spec;
  spec.listener = listener("left=N4,right=S2");
  spec.hearing.sample_rate_hz = 48000.0;
  spec.input_channels = 2;
  spec.jitter.rms_ms = 0.25;  // the whole chain, jitter included
  EXPECT_EQ(allocations_while_processing(spec), 0);
}

TEST(RealTimeSafety, ImplantEarsDoNotAllocateEither) {
  for (const char* spec_text : {"left=ci:nucleus-ace,right=eas:nucleus-hybrid", "left=ci:medel-cis,right=vocoder:sine-8",
                                "ci:ab-hires"}) {
    for (Carrier carrier : {Carrier::noise, Carrier::pulsatile}) {
      EngineSpec spec;
      spec.listener = listener(spec_text);
      spec.listener.left.implant->carrier = carrier;
      spec.hearing.sample_rate_hz = 44100.0;
      spec.input_channels = 2;
      EXPECT_EQ(allocations_while_processing(spec), 0) << spec_text << ", " << to_string(carrier);
    }
  }
}

}  // namespace
}  // namespace earshot::test
