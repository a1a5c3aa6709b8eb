// The engine's process() must never allocate (real-time rule): count heap allocations around it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "scene/scene_renderer.hpp"
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

TEST(RealTimeSafety, ScenesDoNotAllocateAcrossMovesCutsAndLayers) {
  // A scene through every kind of change (a move, a cut into implants, a cut to no hearing, a
  // perspective change) with every layer, in blocks of 1 to 4096 frames.
  SceneSpec spec;
  spec.sample_rate_hz = 44100.0;
  spec.duration_s = 2.0;
  spec.keyframes = {keyframe(0.0, "normal"), keyframe(0.1, "left=N4,right=S2", 0.3, TransitionCurve::smooth),
                    keyframe(0.6, "left=ci:nucleus-ace,right=ci:medel-cis", 0.0, TransitionCurve::cut),
                    keyframe(1.2, "deaf", 0.2, TransitionCurve::linear, 0.5)};
  TinnitusLayer tinnitus;
  tinnitus.params.kind = TinnitusParams::Kind::narrowband;
  tinnitus.params.level_db_spl = 40.0;
  tinnitus.params.wander_db = 3.0;
  spec.tinnitus.push_back(tinnitus);
  MaskerLayer masker;
  masker.params.colour = NoiseColour::pink;
  spec.maskers.push_back(masker);
  ImplantCharacterLayer character;
  character.params.start_s = 0.6;
  spec.characters.push_back(character);
  auto plan = design_scene(spec);
  ASSERT_TRUE(plan.ok()) << describe(plan.errors());
  SceneRenderer renderer;
  const long at_start = g_allocations.load();
  renderer.prepare(std::make_shared<const ScenePlan>(std::move(plan).value()));
  EXPECT_GT(g_allocations.load(), at_start) << "the allocation counter sees prepare() allocate";
  const std::vector<float> in = tone(1000.0, 70.0, 44100.0, 2.5);
  const std::size_t frames = in.size();
  std::vector<float> mix_l(frames), mix_r(frames), room_l(frames), room_r(frames), lis_l(frames), lis_r(frames);
  std::vector<float> t_l(frames), t_r(frames), m_l(frames), m_r(frames);
  SceneOutputs out;
  out.layers = {{t_l.data(), t_r.data()}, {m_l.data(), m_r.data()}};
  const long before = g_allocations.load();
  std::size_t at = 0;
  const int blocks[] = {1, 7, 64, 256, 1000, 4096};
  for (int i = 0; at < frames; ++i) {
    const int block = static_cast<int>(std::min<std::size_t>(blocks[i % 6], frames - at));
    out.mix = {mix_l.data() + at, mix_r.data() + at};
    out.room = {room_l.data() + at, room_r.data() + at};
    out.listener = {lis_l.data() + at, lis_r.data() + at};
    out.layers[0] = {t_l.data() + at, t_r.data() + at};
    out.layers[1] = {m_l.data() + at, m_r.data() + at};
    renderer.process({in.data() + at, in.data() + at}, out, block);
    at += block;
  }
  renderer.reset();
  EXPECT_EQ(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace earshot::test
