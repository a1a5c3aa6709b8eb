#include "apps/cli/live_job.hpp"

#include <jack/jack.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <thread>

#include "apps/cli/cli_error.hpp"
#include "apps/cli/library_errors.hpp"
#include "engine/aided_speech_and_noise.hpp"
#include "engine/live_engine.hpp"
#include "formats/scene_file.hpp"
#include "scene/scene_renderer.hpp"
#include "support/spec_error.hpp"

namespace earshot::cli {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }

struct LiveClient {
  jack_client_t* client = nullptr;
  jack_port_t* in[2]{};
  jack_port_t* out[2]{};
  LiveEngine engine;          // --listener
  SceneRenderer scene;        // --scene
  SceneOutputs scene_out;     // its outputs: the port buffers, set each cycle (built before activation)
  bool playing_scene = false;
  int latency_frames = 0;     // fixed before activation
  std::atomic<long> xruns{0};
  std::atomic<std::int64_t> frames_played{0};  // input frames taken in since activation (the scene's timeline)
  std::atomic<std::int64_t> first_cycle_frame{-1};  // JACK's frame time of the first cycle: where the timeline starts
  std::mutex control;      // the control threads' (main, stdin): never taken on the audio thread
  bool closing = false;    // under `control`
  ~LiveClient() {
    if (client) jack_client_close(client);
  }
};

// JACK's audio thread: the engine's and the scene renderer's process() never allocate, lock or
// throw, for any block size (the renderer cuts blocks to its own fixed grid, so a buffer-size
// change needs nothing here; tests/realtime_safety_test.cpp holds them to it for 1 to 4096 and 1 to 8192 frames).
int process(jack_nframes_t frames, void* arg) {
  auto* c = static_cast<LiveClient*>(arg);
  const float* in[2];
  float* out[2];
  for (int e = 0; e < 2; ++e) {
    in[e] = static_cast<const float*>(jack_port_get_buffer(c->in[e], frames));
    out[e] = static_cast<float*>(jack_port_get_buffer(c->out[e], frames));
  }
  if (c->first_cycle_frame.load(std::memory_order_relaxed) < 0) {
    c->first_cycle_frame.store(jack_last_frame_time(c->client), std::memory_order_relaxed);
  }
  if (c->playing_scene) {
    c->scene_out.mix = {out[0], out[1]};
    c->scene.process({in[0], in[1]}, c->scene_out, static_cast<int>(frames));
  } else {
    c->engine.process(in, out, static_cast<int>(frames));
  }
  c->frames_played.store(c->frames_played.load(std::memory_order_relaxed) + frames, std::memory_order_relaxed);
  return 0;
}

int on_xrun(void* arg) {
  static_cast<LiveClient*>(arg)->xruns.fetch_add(1);
  return 0;
}

// The engine's fixed latency added to what passes through: hosts and other clients see it.
void on_latency(jack_latency_callback_mode_t mode, void* arg) {
  auto* c = static_cast<LiveClient*>(arg);
  const auto latency = static_cast<jack_nframes_t>(c->latency_frames);
  jack_latency_range_t range;
  for (int e = 0; e < 2; ++e) {
    if (mode == JackCaptureLatency) {
      jack_port_get_latency_range(c->in[e], mode, &range);
      range.min += latency;
      range.max += latency;
      jack_port_set_latency_range(c->out[e], mode, &range);
    } else {
      jack_port_get_latency_range(c->out[e], mode, &range);
      range.min += latency;
      range.max += latency;
      jack_port_set_latency_range(c->in[e], mode, &range);
    }
  }
}

// The scene, designed at the server's rate: its length is its duration_s, or (its inputs, which
// set it offline, are not read) its last moment; the calibration is --calibration, or the file's
// calibration_db_spl, or the live default (its level_db_spl needs the inputs' speech level).
struct LiveScene {
  std::shared_ptr<const ScenePlan> plan;
  std::string length_from, calibration_from;
  std::size_t ignored_inputs = 0;
};

LiveScene design_live_scene(const LiveRequest& request, SceneFile file, double rate_hz) {
  SceneSpec& spec = file.spec;
  LiveScene live;
  live.ignored_inputs = file.inputs.size();
  spec.sample_rate_hz = rate_hz;
  if (file.duration_s) {
    spec.duration_s = *file.duration_s;
    live.length_from = "its duration_s";
  } else {
    // A scene that only ever holds its first state still needs a frame of timeline.
    spec.duration_s = std::max(last_moment_s(spec), 1.0 / rate_hz);
    live.length_from = "to its last moment";
  }
  if (request.calibration_db_spl) {
    spec.calibration_db_spl = *request.calibration_db_spl;
    live.calibration_from = "--calibration";
  } else if (file.calibration_db_spl) {
    spec.calibration_db_spl = *file.calibration_db_spl;
    live.calibration_from = "the scene's calibration_db_spl";
  } else {
    spec.calibration_db_spl = kDefaultLiveCalibrationDbSpl;
    live.calibration_from = file.level_db_spl ? "the default: the scene's level_db_spl needs its inputs' speech level, and they are not read live"
                                              : "the default";
  }
  auto plan = design_scene(spec);
  if (!plan) throw CliError(kExitUsage, request.scene + ": " + describe(plan.errors()));
  live.plan = std::make_shared<const ScenePlan>(std::move(plan).value());
  return live;
}

// The listener of `listener_text` with `aid` on ("" leaves it as it is, "none" takes any aid off).
Listener aided_listener(const std::string& listener_text, const std::string& aid) {
  Listener listener = listener_from_argument(listener_text);
  if (aid == "none") return without_aids(std::move(listener));
  return aid.empty() ? listener : listener_with_aid(std::move(listener), aid);
}

// stdin: each line a listener, or `aid SPEC` / `aid none` to change the hearing aid of the current
// one; a bad line is reported and the current listener goes on.
void read_listeners(std::shared_ptr<LiveClient> c, double move_s, std::string listener_text, std::string aid) {
  std::string line;
  while (std::getline(std::cin, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const std::string text = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    try {
      const bool aid_line = text.rfind("aid ", 0) == 0;
      const std::string next_listener = aid_line ? listener_text : text;
      const std::string next_aid = aid_line ? text.substr(text.find_first_not_of(' ', 4)) : aid;
      const Listener listener = aided_listener(next_listener, next_aid);
      std::lock_guard lock(c->control);
      if (c->closing) return;
      if (auto errors = c->engine.set_listener(listener, move_s); !errors.empty()) {
        std::fprintf(stderr, "earshot live: %s\n", describe(errors).c_str());
        continue;
      }
      listener_text = next_listener;
      aid = next_aid;
      std::printf("listener: %s%s (a %.2f s move)\n", listener_text.c_str(), aid.empty() ? "" : (", aid " + aid).c_str(), move_s);
      std::fflush(stdout);
    } catch (const CliError& e) {
      std::fprintf(stderr, "earshot live: %s\n", e.what());
    }
  }
}

}  // namespace

int run_live(const LiveRequest& request) {
  const bool scene = !request.scene.empty();
  if (scene == !request.listener.empty()) {
    throw CliError(kExitUsage, scene ? "give --listener or --scene, not both" : "give --listener SPEC or --scene FILE");
  }
  // A scene's levels are checked as `earshot scene` checks a file's calibration_db_spl.
  const double max_calibration_db_spl = scene ? 160.0 : 200.0;
  if (request.calibration_db_spl &&
      !(*request.calibration_db_spl >= 0.0 && *request.calibration_db_spl <= max_calibration_db_spl)) {
    throw CliError(kExitUsage, "--calibration " + format_number(*request.calibration_db_spl) + " dB SPL is outside 0.." +
                                   format_number(max_calibration_db_spl) + (scene ? " for a scene" : ""));
  }
  if (scene && request.move_s) {
    throw CliError(kExitUsage, "--move is for listener changes typed under --listener; a scene's moves are in its file");
  }
  const double move_s = request.move_s.value_or(1.0);
  if (!(move_s >= 0.0 && move_s <= 60.0)) {
    throw CliError(kExitUsage, "--move " + format_number(move_s) + " s is outside 0..60");
  }
  if (request.connect.size() > 2) {
    throw CliError(kExitUsage, "--connect takes one port (both ears) or two (left, right), not " +
                                   std::to_string(request.connect.size()));
  }
  if (scene && !request.aid.empty()) {
    throw CliError(kExitUsage, "--aid is for --listener; a scene's hearing aids are in its keyframes (aid = \"nal-r\")");
  }
  std::optional<Listener> listener;
  if (!scene) listener = aided_listener(request.listener, request.aid);
  // Read (and every problem in it reported) before JACK is asked for anything.
  std::optional<SceneFile> scene_file;
  if (scene) scene_file = load_scene_file(request.scene);

  // Shared with the stdin reader, which may be blocked in a read when the client stops: the last
  // of the two to let go frees it.
  auto shared = std::make_shared<LiveClient>();
  LiveClient& c = *shared;
  jack_status_t status{};
  c.client = jack_client_open(request.client_name.c_str(), JackNoStartServer, &status);
  if (!c.client) throw CliError(kExitMissingTool, "no JACK server is running (start one, e.g. `jackd -d alsa` or `jackd -d dummy`)");
  const double rate = jack_get_sample_rate(c.client);

  // Everything is designed and prepared here, before the client activates: the audio thread only
  // ever processes.
  LiveScene live_scene;
  if (scene) {
    live_scene = design_live_scene(request, std::move(*scene_file), rate);
    c.scene.prepare(live_scene.plan);
    c.playing_scene = true;
    c.latency_frames = c.scene.latency_frames();
  } else {
    LiveEngineSpec spec;
    spec.hearing.sample_rate_hz = rate;
    spec.hearing.calibration_db_spl = request.calibration_db_spl.value_or(kDefaultLiveCalibrationDbSpl);
    spec.input_channels = 2;
    spec.output_channels = 2;
    spec.room_for_aid = !request.aid.empty();  // an aid typed later fits the latency fixed now
    if (auto errors = c.engine.prepare(spec, *listener); !errors.empty()) throw CliError(kExitUsage, describe(errors));
    c.latency_frames = c.engine.latency_frames();
  }

  const char* in_names[2] = {"in_left", "in_right"};
  const char* out_names[2] = {"out_left", "out_right"};
  for (int e = 0; e < 2; ++e) {
    c.in[e] = jack_port_register(c.client, in_names[e], JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    c.out[e] = jack_port_register(c.client, out_names[e], JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
    if (!c.in[e] || !c.out[e]) throw CliError(kExitInternal, "JACK refused to register the ports");
  }
  jack_set_process_callback(c.client, process, &c);
  jack_set_xrun_callback(c.client, on_xrun, &c);
  jack_set_latency_callback(c.client, on_latency, &c);

  g_stop.store(false);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  if (jack_activate(c.client) != 0) throw CliError(kExitInternal, "JACK could not activate the client");

  const std::string name = jack_get_client_name(c.client);
  for (std::size_t i = 0; i < 2 && !request.connect.empty(); ++i) {
    const std::string& from = request.connect[std::min(i, request.connect.size() - 1)];
    const std::string to = name + ":" + in_names[i];
    if (jack_connect(c.client, from.c_str(), to.c_str()) != 0) {
      throw CliError(kExitUsage, "--connect " + from + ": no such output port (jack_lsp lists them)");
    }
  }
  if (request.connect_outputs) {
    if (const char** playback = jack_get_ports(c.client, nullptr, JACK_DEFAULT_AUDIO_TYPE, JackPortIsPhysical | JackPortIsInput)) {
      for (int e = 0; e < 2 && playback[e]; ++e) jack_connect(c.client, (name + ":" + out_names[e]).c_str(), playback[e]);
      jack_free(playback);
    }
  }

  const int latency = c.latency_frames;
  std::printf("earshot live: client %s at %.0f Hz, %u-frame periods; latency %.2f ms (%d frames); ", name.c_str(), rate,
              jack_get_buffer_size(c.client), 1000.0 * latency / rate, latency);
  if (scene) {
    const ScenePlan& plan = *live_scene.plan;
    std::printf("scene %s: %.2f s (%s), %zu keyframes, %zu tinnitus, %zu masker, %zu implant character layers; "
                "then its final state holds\n",
                request.scene.c_str(), plan.spec.duration_s, live_scene.length_from.c_str(), plan.spec.keyframes.size(),
                plan.spec.tinnitus.size(), plan.spec.maskers.size(), plan.spec.characters.size());
    std::printf("input: the live ports, from the start of the timeline (now)%s; calibration: a digital RMS of 1.0 is %.1f dB SPL (%s)\n",
                live_scene.ignored_inputs == 0 ? ""
                : live_scene.ignored_inputs == 1 ? ", in place of the scene's [[input]] file, which is not read"
                                                 : ", in place of the scene's [[input]] files, which are not read",
                plan.spec.calibration_db_spl, live_scene.calibration_from.c_str());
    std::printf("Ctrl-C to stop\n");
  } else {
    std::printf("listener %s%s\n", request.listener.c_str(), request.aid.empty() ? "" : (", aid " + request.aid).c_str());
    std::printf("type a listener (as --listener takes it)%s and Enter to change; Ctrl-C to stop\n",
                request.aid.empty() ? "" : ", or aid SPEC / aid none");
  }
  std::fflush(stdout);

  if (!scene) {
    std::thread stdin_reader(read_listeners, shared, move_s, request.listener, request.aid);
    stdin_reader.detach();  // blocked in a read until a line comes: it is never joined
  }
  const auto start = std::chrono::steady_clock::now();
  bool said_scene_ended = false, said_start = false;
  std::int64_t said_change = -1;
  while (!g_stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // Where 0 s is in JACK's frame time, for other clients that record or play in step with it: in
    // either mode, the output depends on where the input falls on this client's own frame count
    // (the hearing-loss model's STFT hops from its first frame), not only on the input.
    if (const std::int64_t first = c.first_cycle_frame.load(std::memory_order_relaxed); !said_start && first >= 0) {
      std::printf("timeline: 0 s is JACK frame %lld (this client's first cycle)\n", static_cast<long long>(first));
      std::fflush(stdout);
      said_start = true;
    }
    if (scene) {
      // The output is the timeline `latency` frames ago.
      const ScenePlan& plan = *live_scene.plan;
      if (!said_scene_ended && c.frames_played.load(std::memory_order_relaxed) - latency >= plan.frames) {
        std::printf("the scene's %.2f s have played: its final state holds until Ctrl-C\n", plan.spec.duration_s);
        std::fflush(stdout);
        said_scene_ended = true;
      }
      continue;
    }
    // A typed change is designed first (longer on a busy machine), then taken at a cycle's start:
    // where, on the timeline, its move begins.
    if (const std::int64_t taken = c.engine.last_change_frame(); taken != said_change && taken >= 0) {
      std::printf("change taken at %.3f s on the timeline (frame %lld)\n", double(taken) / rate, static_cast<long long>(taken));
      std::fflush(stdout);
      said_change = taken;
    }
    std::lock_guard lock(c.control);
    c.engine.collect_retired();
  }
  {
    std::lock_guard lock(c.control);
    c.closing = true;
    jack_deactivate(c.client);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("stopped after %.1f s (%.1f s of audio processed): %ld xruns\n", seconds,
              double(c.frames_played.load(std::memory_order_relaxed)) / rate, c.xruns.load());
  std::fflush(stdout);
  std::lock_guard lock(c.control);
  jack_client_close(c.client);
  c.client = nullptr;
  return kExitOk;
}

}  // namespace earshot::cli
