// The engine's process() must never allocate (real-time rule): count heap allocations around it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <numbers>
#include <set>
#include <thread>

#include "dsp/block_convolver.hpp"
#include "dsp/real_fft.hpp"
#include "engine/live_engine.hpp"
#include "hearing_aid/noise_reduction.hpp"
#include "metrics/band_levels.hpp"
#include "scene/implant_character.hpp"
#include "scene/scene_renderer.hpp"
#include "support/random_source.hpp"
#include "allocation_trap.hpp"
#include "test_support.hpp"

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

// The trap sees C libraries' allocations, not only operator new's: malloc itself, and FFTW's
// Rader solver, which mallocs on every execution of a transform with a large prime factor
// (1604 = 4 x 401 points: what the implant character's window was at 44.1 kHz).
TEST(RealTimeSafety, TheTrapCountsTheCAllocatorAndFftwsScratchBuffers) {
  if (!kTrapCountsCAllocator) GTEST_SKIP() << "AddressSanitizer owns the C allocator in this build";
  long before = g_allocations.load();
  void* volatile p = std::malloc(64);
  std::free(p);
  EXPECT_EQ(g_allocations.load() - before, 1) << "malloc";
  RealFft rader(1604);
  for (int i = 0; i < rader.size(); ++i) rader.time()[i] = static_cast<float>(i % 7);
  before = g_allocations.load();
  rader.forward();
  rader.inverse();
  EXPECT_GT(g_allocations.load() - before, 0) << "FFTW's Rader solver allocates at 1604 points";
}

// Every transform size the real-time paths choose by the rate, at every common rate, is one FFTW
// transforms without allocating (dsp/fft_size.hpp): the implant character's window at every
// monotone it accepts (60 to 400 Hz), the aid's noise-reduction window, and the compressor's band
// filters behind it, convolved in blocks of the noise reduction's hop (real FFTs, and one complex
// inverse FFT per pair of bands).
TEST(RealTimeSafety, TransformSizesChosenByTheRateDoNotAllocate) {
  const double rates[] = {8000.0, 11025.0, 16000.0, 22050.0, 24000.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0, 176400.0, 192000.0};
  auto fft_allocations = [](int n) {
    RealFft fft(n);
    for (int i = 0; i < n; ++i) fft.time()[i] = static_cast<float>((i * 37) % 11) - 5.0f;
    const long before = g_allocations.load();
    fft.forward();
    fft.inverse();
    return g_allocations.load() - before;
  };
  std::set<int> character_sizes;
  for (double fs : rates) {
    for (double monotone_hz = 60.0; monotone_hz <= 400.0; monotone_hz += 0.25) {
      ImplantCharacterParams p;
      p.monotone_hz = monotone_hz;
      character_sizes.insert(ImplantCharacter::latency_frames_for(p, fs));
    }
    const NoiseReductionPlan noise_reduction = design_noise_reduction(-12.0, fs);
    EXPECT_EQ(fft_allocations(noise_reduction.window_frames), 0) << "noise reduction at " << fs << " Hz: " << noise_reduction.window_frames << " points";
    // Eight band filters of 16 ms (the compressor's), in blocks of one hop.
    const auto taps = static_cast<std::size_t>(0.016 * fs) | 1;
    std::vector<std::vector<float>> filters(8, std::vector<float>(taps));
    for (std::size_t f = 0; f < filters.size(); ++f) {
      for (std::size_t i = 0; i < taps; ++i) filters[f][i] = static_cast<float>(std::sin(0.1 * (f + 1) * i)) / static_cast<float>(taps);
    }
    BlockConvolver convolver;
    convolver.prepare(filters, noise_reduction.hop_frames);
    std::vector<float> in(static_cast<std::size_t>(noise_reduction.hop_frames), 0.5f);
    std::vector<float> out(in.size() * static_cast<std::size_t>(convolver.lanes()));
    const long before = g_allocations.load();
    for (int block = 0; block < 8; ++block) convolver.process_block(in.data(), out.data(), convolver.lanes());
    EXPECT_EQ(g_allocations.load() - before, 0) << "band filters at " << fs << " Hz: FFTs of " << convolver.fft_frames();
  }
  std::printf("%zu implant character windows, %d to %d points\n", character_sizes.size(), *character_sizes.begin(),
              *character_sizes.rbegin());
  for (int n : character_sizes) EXPECT_EQ(fft_allocations(n), 0) << "implant character: " << n << " points";
}

TEST(RealTimeSafety, ProcessDoesNotAllocateForAnyBlockSize) {
  EngineSpec spec;
  spec.listener = listener("left=N4,right=S2");
  spec.hearing.sample_rate_hz = 48000.0;
  spec.input_channels = 2;
  spec.jitter.rms_ms = 0.25;  // the whole chain, jitter included
  EXPECT_EQ(allocations_while_processing(spec), 0);
}

// A hearing aid in front of each ear (and on the acoustic ear of a bimodal listener).
TEST(RealTimeSafety, HearingAidsDoNotAllocate) {
  for (const char* spec_text : {"left=N3,right=S2", "left=N3,right=eas:nucleus-hybrid"}) {
    EngineSpec spec;
    spec.listener = listener(spec_text);
    spec.listener.left.aid = AidSettings{PrescriptionRule::nal_r};
    spec.listener.right.aid = AidSettings{PrescriptionRule::fig6};
    spec.hearing.sample_rate_hz = 44100.0;
    spec.input_channels = 2;
    EXPECT_EQ(allocations_while_processing(spec), 0) << spec_text;
  }
}

// The aids' multiband compressor and limiter (render --aid fig6,wdrc / nal-r,wdrc).
TEST(RealTimeSafety, CompressiveHearingAidsDoNotAllocate) {
  for (const char* spec_text : {"left=N3,right=S2", "left=N4,right=eas:nucleus-hybrid"}) {
    EngineSpec spec;
    spec.listener = listener(spec_text);
    AidSettings fig6(PrescriptionRule::fig6), nal(PrescriptionRule::nal_r);
    fig6.compression = nal.compression = true;
    nal.mpo_db_spl = 100.0;
    spec.listener.left.aid = fig6;
    spec.listener.right.aid = nal;
    spec.hearing.sample_rate_hz = 44100.0;
    spec.input_channels = 2;
    EXPECT_EQ(allocations_while_processing(spec), 0) << spec_text;
  }
}

// Noise reduction in front of a linear aid and of a compressor (its FFT, noise tracker and
// overlap-add run in every block).
TEST(RealTimeSafety, NoiseReducingHearingAidsDoNotAllocate) {
  for (const char* spec_text : {"left=N3,right=S2", "left=N4,right=eas:nucleus-hybrid"}) {
    EngineSpec spec;
    spec.listener = listener(spec_text);
    AidSettings fig6(PrescriptionRule::fig6), nal(PrescriptionRule::nal_r);
    fig6.compression = true;
    fig6.noise_reduction = nal.noise_reduction = true;
    nal.nr_floor_db = -20.0;
    spec.listener.left.aid = fig6;
    spec.listener.right.aid = nal;
    spec.hearing.sample_rate_hz = 44100.0;
    spec.input_channels = 2;
    EXPECT_EQ(allocations_while_processing(spec), 0) << spec_text;
  }
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

// A scene through every kind of change (a move, a cut into implants, a cut to no hearing, a
// perspective change) with every layer, in blocks of 1 to 8192 frames, and on past the scene's
// end (its final state holds there: its processors run on). Returns the allocations of process().
long scene_allocations_while_processing(double fs) {
  SceneSpec spec;
  spec.sample_rate_hz = fs;
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
  EXPECT_TRUE(plan.ok()) << describe(plan.errors());
  if (!plan.ok()) return -1;
  SceneRenderer renderer;
  const long at_start = g_allocations.load();
  renderer.prepare(std::make_shared<const ScenePlan>(std::move(plan).value()));
  EXPECT_GT(g_allocations.load(), at_start) << "the allocation counter sees prepare() allocate";
  const std::vector<float> in = tone(1000.0, 70.0, fs, 2.5);
  const std::size_t frames = in.size();
  std::vector<float> mix_l(frames), mix_r(frames), room_l(frames), room_r(frames), lis_l(frames), lis_r(frames);
  std::vector<float> t_l(frames), t_r(frames), m_l(frames), m_r(frames);
  SceneOutputs out;
  out.layers = {{t_l.data(), t_r.data()}, {m_l.data(), m_r.data()}};
  const long before = g_allocations.load();
  std::size_t at = 0;
  const int blocks[] = {1, 7, 64, 256, 1000, 4096, 8192};  // JACK's periods go up to 8192 (`earshot live --scene`)
  for (int i = 0; at < frames; ++i) {
    const int block = static_cast<int>(std::min<std::size_t>(blocks[i % 7], frames - at));
    out.mix = {mix_l.data() + at, mix_r.data() + at};
    out.room = {room_l.data() + at, room_r.data() + at};
    out.listener = {lis_l.data() + at, lis_r.data() + at};
    out.layers[0] = {t_l.data() + at, t_r.data() + at};
    out.layers[1] = {m_l.data() + at, m_r.data() + at};
    renderer.process({in.data() + at, in.data() + at}, out, block);
    at += block;
  }
  renderer.reset();
  return g_allocations.load() - before;
}

// At the rates a DAW or JACK runs at: the implant character's window follows the rate (its hop is
// one period of its monotone), and its transform must not be one FFTW allocates in (Rader's
// algorithm for a large prime factor).
TEST(RealTimeSafety, ScenesDoNotAllocateAcrossMovesCutsAndLayers) {
  for (double fs : {44100.0, 48000.0, 88200.0, 96000.0, 22050.0, 16000.0}) {
    EXPECT_EQ(scene_allocations_while_processing(fs), 0) << fs << " Hz";
  }
}


struct LiveRun {
  std::vector<float> out;             // left output channel
  std::int64_t change_taken_frame = -1;
  long audio_allocations = 0, audio_frees = 0;
};

// An audio thread renders `x` in blocks of 64 frames while a control thread changes the listener
// from `before` to `after` (move_s) once the audio thread has rendered `change_at_s`.
LiveRun run_live(const std::vector<float>& x, double fs, const std::string& before, const std::string& after, double move_s,
                 double change_at_s) {
  LiveEngineSpec spec;
  spec.hearing.sample_rate_hz = fs;
  spec.hearing.calibration_db_spl = 100.0;
  spec.input_channels = 1;
  spec.output_channels = 2;
  LiveEngine engine;
  EXPECT_TRUE(engine.prepare(spec, listener(before)).empty());
  LiveRun run;
  run.out.assign(x.size(), 0.0f);
  std::vector<float> right(x.size());
  std::atomic<bool> at_change{false}, posted{false};
  const Listener next = listener(after);
  std::thread control([&] {
    while (!at_change.load()) std::this_thread::yield();
    EXPECT_TRUE(engine.set_listener(next, move_s).empty());
    posted.store(true);
  });
  std::thread audio([&] {
    t_audio_thread = true;
    const long a0 = g_audio_allocations.load(), f0 = g_audio_frees.load();
    const auto change_frame = static_cast<std::size_t>(change_at_s * fs);
    for (std::size_t at = 0; at < x.size(); at += 64) {
      if (at >= change_frame && !posted.load()) {
        at_change.store(true);
        while (!posted.load()) std::this_thread::yield();  // the audio thread waits on a flag, not a lock
      }
      const bool was_changing = engine.changing();
      const int n = static_cast<int>(std::min<std::size_t>(64, x.size() - at));
      const float* in[1] = {x.data() + at};
      float* out[2] = {run.out.data() + at, right.data() + at};
      engine.process(in, out, n);
      if (was_changing && run.change_taken_frame < 0) run.change_taken_frame = static_cast<std::int64_t>(at);
    }
    run.audio_allocations = g_audio_allocations.load() - a0;
    run.audio_frees = g_audio_frees.load() - f0;
    t_audio_thread = false;
  });
  audio.join();
  at_change.store(true);  // a run without a change: let the control thread finish
  control.join();
  // What the engine tells a host: the frames it rendered, and where it took the change.
  EXPECT_EQ(engine.frames_processed(), static_cast<std::int64_t>(x.size()));
  EXPECT_EQ(engine.last_change_frame(), run.change_taken_frame);
  engine.collect_retired();
  return run;
}

// The same input through a live engine that never changes: a static render of one listener,
// started at `start_frame` (silence before it).
std::vector<float> run_static(const std::vector<float>& x, double fs, const std::string& who, std::size_t start_frame = 0) {
  std::vector<float> from(x.begin() + static_cast<std::ptrdiff_t>(start_frame), x.end());
  LiveRun r = run_live(from, fs, who, who, 0.0, 1e9);
  r.out.insert(r.out.begin(), start_frame, 0.0f);
  return r.out;
}

TEST(RealTimeSafety, ListenerChangesFromAnotherThreadAreAllocationFreeClickFreeAndArrive) {
  const double fs = 44100.0;
  // Broadband noise at 70 dB SPL (calibration 100 dB SPL), 4 s.
  RandomSource random(11);
  std::vector<float> x(static_cast<std::size_t>(4.0 * fs));
  const double amplitude = std::pow(10.0, (70.0 - 100.0) / 20.0);
  for (float& v : x) v = static_cast<float>(amplitude * random.uniform_unit_variance());
  struct Case {
    const char* before;
    const char* after;
    double move_s;
  };
  // A per-place move (acoustic to acoustic), structural crossfades (into and out of an implant),
  // and an instant change (the shortest move).
  for (const Case& c : {Case{"N2", "N5", 0.5}, Case{"normal", "ci:nucleus-ace", 0.5}, Case{"ci:medel-cis", "S2", 0.3},
                        Case{"N1", "S3", 0.0}}) {
    SCOPED_TRACE(std::string(c.before) + " -> " + c.after);
    const LiveRun live = run_live(x, fs, c.before, c.after, c.move_s, 1.0);
    EXPECT_EQ(live.audio_allocations, 0) << "the audio thread allocated";
    EXPECT_EQ(live.audio_frees, 0) << "the audio thread freed";
    ASSERT_GE(live.change_taken_frame, 0) << "the change never arrived";
    const auto taken = static_cast<std::size_t>(live.change_taken_frame);
    // The new listener as a static render that started when the change was taken (where a
    // structural change's incoming processor starts: an implant's noise carriers and a model's
    // smearing phases then run in step, so band levels compare without their random spread).
    const std::vector<float> a = run_static(x, fs, c.before), b = run_static(x, fs, c.after, taken);
    // No click: no step larger than the largest of a static render of either side. A per-place
    // blend holds that exactly. An equal-power crossfade of two unrelated signals (g_a = cos,
    // g_b = sin) can add their steps: at most (cos + sin) <= sqrt 2 times the larger, which is the
    // bound for structural changes (measured: 1.07x for normal -> ci:nucleus-ace on noise).
    const bool structural = std::string(c.before).find(':') != std::string::npos ||
                            std::string(c.after).find(':') != std::string::npos;
    const double allowed = std::max(largest_step(a, 0, a.size()), largest_step(b, taken, b.size())) *
                           (structural ? std::numbers::sqrt2 : 1.0);
    EXPECT_LE(largest_step(live.out, 0, live.out.size()), allowed);
    // After the move (and the latency), the new listener: third-octave levels within 0.5 dB.
    const std::size_t settled = static_cast<std::size_t>(live.change_taken_frame) +
                                static_cast<std::size_t>((c.move_s + 0.1) * fs) + static_cast<std::size_t>(0.3 * fs);
    ASSERT_LT(settled + static_cast<std::size_t>(fs), x.size());
    const auto got = third_octave_levels(live.out.data() + settled, x.size() - settled, fs, 100.0, -7, 9);
    const auto want = third_octave_levels(b.data() + settled, x.size() - settled, fs, 100.0, -7, 9);
    for (std::size_t k = 0; k < got.size(); ++k) {
      if (want[k].level_db < 0.0) continue;  // below any hearing: nothing to compare
      EXPECT_NEAR(got[k].level_db, want[k].level_db, 0.5) << want[k].nominal_hz << " Hz";
    }
  }
}

// Issue 16: a hearing aid put on and taken off a live listener (Python's Engine(aid=...), the
// same LiveEngine the plugin and `earshot live` use) from a control thread: the engine made room
// for it in its fixed latency (room_for_aid), the audio thread neither allocates nor frees while
// the aided and unaided processors crossfade, and the aid, once on, lifts the 2 kHz band.
TEST(RealTimeSafety, AHearingAidGoesOnAndOffALiveListenerWithoutAllocating) {
  const double fs = 44100.0;
  RandomSource random(12);
  std::vector<float> x(static_cast<std::size_t>(3.0 * fs));
  const double amplitude = std::pow(10.0, (55.0 - 100.0) / 20.0);  // broadband noise at 55 dB SPL
  for (float& v : x) v = static_cast<float>(amplitude * random.uniform_unit_variance());
  LiveEngineSpec spec;
  spec.hearing.sample_rate_hz = fs;
  spec.hearing.calibration_db_spl = 100.0;
  spec.room_for_aid = true;
  const Listener unaided = listener("N3");
  Listener aided = unaided;
  AidSettings aid{PrescriptionRule::nal_r};
  aid.compression = true;
  aid.noise_reduction = true;
  aided.left.aid = aid;
  aided.right.aid = aid;
  LiveEngine plain;
  ASSERT_TRUE(plain.prepare(spec, unaided).empty());
  LiveEngine engine;
  ASSERT_TRUE(engine.prepare(spec, unaided).empty());
  std::vector<float> out(x.size()), right(x.size()), reference(x.size()), reference_right(x.size());
  std::atomic<int> stage{0};  // 1: the audio thread asks for the aid; 2: posted; 3: asks it off; 4: posted
  std::thread control([&] {
    while (stage.load() != 1) std::this_thread::yield();
    EXPECT_TRUE(engine.set_listener(aided, 0.2).empty());
    stage.store(2);
    while (stage.load() != 3) std::this_thread::yield();
    EXPECT_TRUE(engine.set_listener(unaided, 0.2).empty());
    stage.store(4);
  });
  long allocations = 0, frees = 0;
  std::thread audio([&] {
    t_audio_thread = true;
    const long a0 = g_audio_allocations.load(), f0 = g_audio_frees.load();
    for (std::size_t at = 0; at < x.size(); at += 64) {
      if (at >= static_cast<std::size_t>(0.5 * fs) && stage.load() == 0) {
        stage.store(1);
        while (stage.load() != 2) std::this_thread::yield();
      }
      if (at >= static_cast<std::size_t>(2.2 * fs) && stage.load() == 2) {
        stage.store(3);
        while (stage.load() != 4) std::this_thread::yield();
      }
      const int n = static_cast<int>(std::min<std::size_t>(64, x.size() - at));
      const float* in[1] = {x.data() + at};
      float* o[2] = {out.data() + at, right.data() + at};
      engine.process(in, o, n);
      float* p[2] = {reference.data() + at, reference_right.data() + at};
      plain.process(in, p, n);
    }
    allocations = g_audio_allocations.load() - a0;
    frees = g_audio_frees.load() - f0;
    t_audio_thread = false;
  });
  audio.join();
  control.join();
  engine.collect_retired();
  EXPECT_EQ(allocations, 0) << "the audio thread allocated";
  EXPECT_EQ(frees, 0) << "the audio thread freed";
  // Aided from 0.5 s + the move and the latency; 1.0-2.0 s is well inside.
  const auto from = static_cast<std::size_t>(1.0 * fs), n = static_cast<std::size_t>(1.0 * fs);
  const double aided_db = third_octave_levels(out.data() + from, n, fs, 100.0, 3, 3).front().level_db;
  const double unaided_db = third_octave_levels(reference.data() + from, n, fs, 100.0, 3, 3).front().level_db;
  std::printf("live N3, 55 dB SPL noise: 2 kHz band %.1f dB SPL aided, %.1f unaided\n", aided_db, unaided_db);
  EXPECT_GT(aided_db, unaided_db + 10.0);
  // Off again (after 2.2 s + move + latency): as the engine that never had an aid.
  const auto off = static_cast<std::size_t>(2.6 * fs), m = x.size() - off;
  EXPECT_NEAR(third_octave_levels(out.data() + off, m, fs, 100.0, 3, 3).front().level_db,
              third_octave_levels(reference.data() + off, m, fs, 100.0, 3, 3).front().level_db, 1.0);
}

}  // namespace
}  // namespace earshot::test
