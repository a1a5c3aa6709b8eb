// What a host may do to the engine and the scene renderer without changing what they render: any
// block size, in-place buffers, a fixed output layout, two engines on two threads at once.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "engine/live_engine.hpp"
#include "engine/threaded_engine.hpp"
#include "model/implant_presets.hpp"
#include "scene/scene_renderer.hpp"
#include "support/random_source.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

constexpr int kBlockSizes[] = {1, 32, 64, 100, 441, 4096};

// "" when a and b are the same samples, else where they first differ and by how much at most.
std::string difference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return "lengths " + std::to_string(a.size()) + " and " + std::to_string(b.size());
  std::size_t first = a.size();
  float largest = 0.0f;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && first == a.size()) first = i;
    largest = std::max(largest, std::abs(a[i] - b[i]));
  }
  if (first == a.size()) return "";
  return "first differ at frame " + std::to_string(first) + ", by up to " + std::to_string(largest);
}

// Noise with a tone over it: broadband, so every band and electrode of every model is busy.
std::vector<float> busy_signal(double fs, double seconds, std::uint64_t seed) {
  RandomSource random(seed);
  std::vector<float> x = tone(700.0, 60.0, fs, seconds);
  for (float& v : x) v += static_cast<float>(0.02 * random.uniform_unit_variance());
  return x;
}

// The engine's outputs for `in` processed in blocks of `block` frames (the last one shorter).
std::vector<std::vector<float>> run_engine(const EngineSpec& spec, const std::vector<std::vector<float>>& in, int block) {
  auto plan = design_engine(spec);
  EXPECT_TRUE(plan.ok()) << describe(plan.errors());
  Engine engine;
  engine.prepare(std::make_shared<const EnginePlan>(std::move(plan).value()));
  const std::size_t frames = in[0].size();
  std::vector<std::vector<float>> out(engine.plan().output_channels, std::vector<float>(frames));
  for (std::size_t at = 0; at < frames; at += block) {
    const int n = static_cast<int>(std::min<std::size_t>(block, frames - at));
    const float* ip[2] = {in[0].data() + at, in.size() > 1 ? in[1].data() + at : nullptr};
    float* op[2] = {out[0].data() + at, out.size() > 1 ? out[1].data() + at : nullptr};
    engine.process(ip, op, n);
  }
  return out;
}

EngineSpec engine_spec(const std::string& who, int input_channels, double fs = 44100.0) {
  EngineSpec spec;
  spec.listener = listener(who);
  spec.hearing.sample_rate_hz = fs;
  spec.input_channels = input_channels;
  return spec;
}

TEST(EngineHost, AnyBlockSizeGivesTheSameSamples) {
  const double fs = 44100.0;
  const std::vector<float> l = busy_signal(fs, 0.6, 1), r = busy_signal(fs, 0.6, 2);
  struct Case {
    const char* who;
    int inputs;
    double jitter_ms;
  };
  for (const Case& c : {Case{"left=N3,right=S2", 2, 0.25}, Case{"N4", 1, 0.0}, Case{"left=ci:nucleus-ace,right=N2", 2, 0.0},
                        Case{"left=ci:medel-cis,right=eas:nucleus-hybrid", 1, 0.0}, Case{"vocoder:sine-8", 1, 0.0}}) {
    EngineSpec spec = engine_spec(c.who, c.inputs, fs);
    spec.jitter.rms_ms = c.jitter_ms;
    std::vector<std::vector<float>> in{l};
    if (c.inputs == 2) in.push_back(r);
    const auto reference = run_engine(spec, in, 1024);
    for (int block : kBlockSizes) {
      const auto out = run_engine(spec, in, block);
      ASSERT_EQ(out.size(), reference.size());
      for (std::size_t ch = 0; ch < out.size(); ++ch) {
        EXPECT_EQ(difference(out[ch], reference[ch]), "") << c.who << ", blocks of " << block << ", channel " << ch;
      }
    }
  }
}

TEST(EngineHost, InPlaceEqualsOutOfPlaceForAMonoInputHeardByTwoDifferentEars) {
  const double fs = 44100.0;
  const std::vector<float> x = busy_signal(fs, 0.5, 3);
  for (const char* who : {"left=N2,right=S3", "left=normal,right=ci:nucleus-ace"}) {
    const EngineSpec spec = engine_spec(who, 1, fs);
    const auto reference = run_engine(spec, {x}, 256);
    ASSERT_EQ(reference.size(), 2u);
    auto plan = design_engine(spec);
    ASSERT_TRUE(plan.ok());
    Engine engine;
    engine.prepare(std::make_shared<const EnginePlan>(std::move(plan).value()));
    std::vector<float> left = x, right(x.size());  // the host hands the input in the left output buffer
    for (std::size_t at = 0; at < x.size(); at += 256) {
      const int n = static_cast<int>(std::min<std::size_t>(256, x.size() - at));
      const float* in[1] = {left.data() + at};
      float* out[2] = {left.data() + at, right.data() + at};
      engine.process(in, out, n);
    }
    EXPECT_EQ(difference(left, reference[0]), "") << who;
    EXPECT_EQ(difference(right, reference[1]), "") << who << ": the right ear heard the left ear's output";
  }
}

TEST(EngineHost, TheHostFixesTheOutputChannels) {
  // Two outputs for a mono input and ears alike (a plugin's stereo ports): both ears render.
  EngineSpec spec = engine_spec("N3", 1);
  spec.output_channels = 2;
  auto plan = design_engine(spec);
  ASSERT_TRUE(plan.ok()) << describe(plan.errors());
  EXPECT_EQ(plan.value().output_channels, 2);
  // One output cannot carry two different ears: the field and what is allowed are named.
  spec = engine_spec("left=N3,right=S2", 1);
  spec.output_channels = 1;
  plan = design_engine(spec);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.errors().front().field, "output_channels");
  EXPECT_NE(plan.errors().front().message.find("give 2"), std::string::npos);
}

TEST(EngineHost, TwoThreadsRenderingAtOnceGiveTheSameBytesAsOneAfterTheOther) {
  const double fs = 32000.0;
  const std::vector<float> x = busy_signal(fs, 0.8, 4);
  const EngineSpec a = engine_spec("left=N5,right=ci:ab-hires", 1, fs), b = engine_spec("S2", 1, fs);
  // Designing inside the threads: FFT planning and every other design step run concurrently.
  const auto a_alone = run_engine(a, {x}, 512), b_alone = run_engine(b, {x}, 333);
  std::vector<std::vector<float>> a_together, b_together;
  std::thread ta([&] { a_together = run_engine(a, {x}, 512); });
  std::thread tb([&] { b_together = run_engine(b, {x}, 333); });
  ta.join();
  tb.join();
  EXPECT_EQ(a_together, a_alone);
  EXPECT_EQ(b_together.size(), b_alone.size());
  for (std::size_t c = 0; c < b_alone.size() && c < b_together.size(); ++c) EXPECT_EQ(difference(b_together[c], b_alone[c]), "");
}

// --threads (issue #12): an asymmetric listener's two ears, one acoustic with temporal jitter and
// one implanted, rendered side by side give exactly the samples of one thread and of Engine, for
// a mono input (both ears read one channel) and a stereo one, in any block size.
TEST(EngineHost, TwoEarsOnTwoThreadsGiveTheSamplesOfOne) {
  const double fs = 44100.0;
  const std::vector<float> left = busy_signal(fs, 1.5, 11), right = busy_signal(fs, 1.5, 12);
  for (int channels : {1, 2}) {
    EngineSpec spec = engine_spec("left=N3,right=ci:nucleus-ace", channels, fs);
    spec.jitter.rms_ms = 0.25;
    const std::vector<std::vector<float>> in = channels == 1 ? std::vector<std::vector<float>>{left}
                                                             : std::vector<std::vector<float>>{left, right};
    const auto engine = run_engine(spec, in, 512);
    ASSERT_EQ(engine.size(), 2u);
    for (int threads : {1, 2}) {
      for (int block : {441, 4096, 8192}) {
        ThreadedEngine threaded;
        threaded.prepare(std::make_shared<const EnginePlan>(design_engine(spec).value()), threads);
        EXPECT_EQ(threaded.threads(), threads);
        std::vector<std::vector<float>> out(2, std::vector<float>(left.size()));
        for (std::size_t at = 0; at < left.size(); at += block) {
          const int n = static_cast<int>(std::min<std::size_t>(block, left.size() - at));
          const float* ip[2] = {in[0].data() + at, channels > 1 ? in[1].data() + at : nullptr};
          float* op[2] = {out[0].data() + at, out[1].data() + at};
          threaded.process(ip, op, n);
        }
        for (int ear = 0; ear < 2; ++ear) {
          EXPECT_EQ(difference(out[ear], engine[ear]), "") << channels << " channel(s), " << threads << " thread(s), blocks of "
                                                          << block << ", ear " << ear;
        }
      }
    }
    // render_offline with two threads: the same as with one.
    auto plan = std::make_shared<const EnginePlan>(design_engine(spec).value());
    EXPECT_EQ(render_offline(plan, in, 2), render_offline(plan, in, 1));
  }
}

// The live engine's latency is the most any listener may need: normal hearing, every implant
// preset (with its residual hearing), and with room for an aid the slowest aid. It finds it without
// designing the implants' carriers; the full designs must give the same figure.
TEST(EngineHost, ALiveEnginesLatencyIsTheSlowestListenersAsFullyDesigned) {
  for (double fs : {16000.0, 44100.0, 48000.0}) {
    for (bool room_for_aid : {false, true}) {
      LiveEngineSpec spec;
      spec.hearing.sample_rate_hz = fs;
      spec.room_for_aid = room_for_aid;
      std::vector<Listener> candidates{listener("normal")};
      for (const auto& preset : listed_implant_presets()) {
        Listener l;
        l.left.implant = preset.map;
        l.left.air_db_hl = preset.residual_hearing_db_hl;
        l.right = l.left;
        candidates.push_back(l);
      }
      if (room_for_aid) {
        AidSettings slowest(PrescriptionRule::nal_r);
        slowest.compression = slowest.noise_reduction = true;
        Listener l = listener("normal");
        l.left.aid = l.right.aid = slowest;
        candidates.push_back(l);
      }
      int slowest_frames = 0;
      for (const auto& l : candidates) {
        EngineSpec e;
        e.listener = l;
        e.hearing = spec.hearing;
        auto plan = design_engine(e);
        ASSERT_TRUE(plan.ok()) << describe(plan.errors());
        slowest_frames = std::max(slowest_frames, plan.value().latency_frames);
      }
      EXPECT_EQ(live_latency_frames(spec), slowest_frames) << fs << " Hz, room for an aid: " << room_for_aid;
    }
  }
}

TEST(EngineHost, ALiveEngineWithoutChangesRendersAsTheOfflineEngineDoes) {
  // Its latency is the most any listener may need, so its output is the offline render delayed.
  const double fs = 44100.0;
  const std::vector<float> x = busy_signal(fs, 0.5, 5);
  for (const char* who : {"N4", "left=S1,right=ci:nucleus-ace"}) {
    LiveEngineSpec spec;
    spec.hearing.sample_rate_hz = fs;
    spec.input_channels = 1;
    spec.output_channels = 2;
    LiveEngine live;
    ASSERT_TRUE(live.prepare(spec, listener(who)).empty());
    const int latency = live.latency_frames();
    EngineSpec offline = engine_spec(who, 1, fs);
    offline.output_channels = 2;
    auto plan = design_engine(offline);
    ASSERT_TRUE(plan.ok());
    EXPECT_GE(latency, plan.value().latency_frames);
    const auto reference = render_offline(std::make_shared<const EnginePlan>(std::move(plan).value()), {x});
    std::vector<float> in = x;
    in.resize(x.size() + latency, 0.0f);
    std::vector<float> l(in.size()), r(in.size());
    for (std::size_t at = 0; at < in.size(); at += 100) {
      const int n = static_cast<int>(std::min<std::size_t>(100, in.size() - at));
      const float* ip[1] = {in.data() + at};
      float* op[2] = {l.data() + at, r.data() + at};
      live.process(ip, op, n);
    }
    EXPECT_EQ(difference(std::vector<float>(l.begin() + latency, l.end()), reference[0]), "") << who;
    EXPECT_EQ(difference(std::vector<float>(r.begin() + latency, r.end()), reference[1]), "") << who;
  }
}

// A scene through every kind of change, rendered in blocks of `block` frames.
SceneRender run_scene(int block) {
  SceneSpec spec;
  spec.sample_rate_hz = 44100.0;
  spec.duration_s = 1.6;
  spec.keyframes = {keyframe(0.0, "normal"), keyframe(0.1, "left=N4,right=S2", 0.3, TransitionCurve::smooth),
                    keyframe(0.5, "left=ci:nucleus-ace,right=ci:medel-cis", 0.2, TransitionCurve::linear),
                    keyframe(1.0, "deaf", 0.2, TransitionCurve::linear, 0.5)};
  TinnitusLayer tinnitus;
  tinnitus.params.kind = TinnitusParams::Kind::narrowband;
  tinnitus.params.level_db_spl = 40.0;
  tinnitus.params.wander_db = 3.0;
  tinnitus.params.span.ramp_s = 0.2;
  spec.tinnitus.push_back(tinnitus);
  TinnitusLayer tone_layer;
  tone_layer.params.frequency_hz = 6000.0;
  tone_layer.params.level_db_spl = 30.0;
  tone_layer.params.span.start_s = 0.3;
  tone_layer.params.span.ramp_s = 0.1;
  spec.tinnitus.push_back(tone_layer);
  MaskerLayer masker;
  masker.params.colour = NoiseColour::brown;
  masker.params.span.start_s = 0.2;
  spec.maskers.push_back(masker);
  ImplantCharacterLayer character;
  character.params.start_s = 0.5;
  spec.characters.push_back(character);
  auto plan = design_scene(spec);
  EXPECT_TRUE(plan.ok()) << describe(plan.errors());
  auto shared = std::make_shared<const ScenePlan>(std::move(plan).value());
  SceneRenderer renderer;
  renderer.prepare(shared);
  const std::vector<float> x = busy_signal(44100.0, spec.duration_s, 6);
  const std::size_t frames = x.size();
  SceneRender r;
  for (auto* a : {&r.mix, &r.room, &r.listener}) a->fill(std::vector<float>(frames));
  r.layers.assign(renderer.layer_count(), {std::vector<float>(frames), std::vector<float>(frames)});
  for (std::size_t at = 0; at < frames; at += block) {
    const int n = static_cast<int>(std::min<std::size_t>(block, frames - at));
    SceneOutputs out;
    out.mix = {r.mix[0].data() + at, r.mix[1].data() + at};
    out.room = {r.room[0].data() + at, r.room[1].data() + at};
    out.listener = {r.listener[0].data() + at, r.listener[1].data() + at};
    for (auto& layer : r.layers) out.layers.push_back({layer[0].data() + at, layer[1].data() + at});
    renderer.process({x.data() + at, x.data() + at}, out, n);
  }
  return r;
}

TEST(EngineHost, ScenesGiveTheSameSamplesForAnyBlockSize) {
  const SceneRender reference = run_scene(128);
  for (int block : kBlockSizes) {
    const SceneRender r = run_scene(block);
    for (int e = 0; e < 2; ++e) {
      EXPECT_EQ(difference(r.mix[e], reference.mix[e]), "") << "mix, ear " << e << ", blocks of " << block;
      EXPECT_EQ(difference(r.listener[e], reference.listener[e]), "") << "listener, ear " << e << ", blocks of " << block;
      for (std::size_t l = 0; l < r.layers.size(); ++l) {
        EXPECT_EQ(difference(r.layers[l][e], reference.layers[l][e]), "") << "layer " << l << ", ear " << e << ", blocks of " << block;
      }
    }
  }
}

}  // namespace
}  // namespace earshot::test
