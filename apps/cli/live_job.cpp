#include "apps/cli/live_job.hpp"

#include <jack/jack.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "apps/cli/cli_error.hpp"
#include "apps/cli/library_errors.hpp"
#include "engine/live_engine.hpp"
#include "support/spec_error.hpp"

namespace earshot::cli {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }

struct LiveClient {
  jack_client_t* client = nullptr;
  jack_port_t* in[2]{};
  jack_port_t* out[2]{};
  LiveEngine engine;
  std::atomic<long> xruns{0};
  std::mutex control;      // the control threads' (main, stdin): never taken on the audio thread
  bool closing = false;    // under `control`
  ~LiveClient() {
    if (client) jack_client_close(client);
  }
};

// JACK's audio thread: the engine's process() never allocates, locks or throws.
int process(jack_nframes_t frames, void* arg) {
  auto* c = static_cast<LiveClient*>(arg);
  const float* in[2];
  float* out[2];
  for (int e = 0; e < 2; ++e) {
    in[e] = static_cast<const float*>(jack_port_get_buffer(c->in[e], frames));
    out[e] = static_cast<float*>(jack_port_get_buffer(c->out[e], frames));
  }
  c->engine.process(in, out, static_cast<int>(frames));
  return 0;
}

int on_xrun(void* arg) {
  static_cast<LiveClient*>(arg)->xruns.fetch_add(1);
  return 0;
}

// The engine's fixed latency added to what passes through: hosts and other clients see it.
void on_latency(jack_latency_callback_mode_t mode, void* arg) {
  auto* c = static_cast<LiveClient*>(arg);
  const auto latency = static_cast<jack_nframes_t>(c->engine.latency_frames());
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

// stdin: each line a listener; a bad one is reported and the current listener goes on.
void read_listeners(std::shared_ptr<LiveClient> c, double move_s) {
  std::string line;
  while (std::getline(std::cin, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const std::string text = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    try {
      const Listener listener = listener_from_argument(text);
      std::lock_guard lock(c->control);
      if (c->closing) return;
      if (auto errors = c->engine.set_listener(listener, move_s); !errors.empty()) {
        std::fprintf(stderr, "earshot live: %s\n", describe(errors).c_str());
        continue;
      }
      std::printf("listener: %s (a %.2f s move)\n", text.c_str(), move_s);
      std::fflush(stdout);
    } catch (const CliError& e) {
      std::fprintf(stderr, "earshot live: %s\n", e.what());
    }
  }
}

}  // namespace

int run_live(const LiveRequest& request) {
  if (!(request.calibration_db_spl >= 0.0 && request.calibration_db_spl <= 200.0)) {
    throw CliError(kExitUsage, "--calibration " + format_number(request.calibration_db_spl) + " dB SPL is outside 0..200");
  }
  if (!(request.move_s >= 0.0 && request.move_s <= 60.0)) {
    throw CliError(kExitUsage, "--move " + format_number(request.move_s) + " s is outside 0..60");
  }
  if (request.connect.size() > 2) {
    throw CliError(kExitUsage, "--connect takes one port (both ears) or two (left, right), not " +
                                   std::to_string(request.connect.size()));
  }
  const Listener listener = listener_from_argument(request.listener);

  // Shared with the stdin reader, which may be blocked in a read when the client stops: the last
  // of the two to let go frees it.
  auto shared = std::make_shared<LiveClient>();
  LiveClient& c = *shared;
  jack_status_t status{};
  c.client = jack_client_open(request.client_name.c_str(), JackNoStartServer, &status);
  if (!c.client) throw CliError(kExitMissingTool, "no JACK server is running (start one, e.g. `jackd -d alsa` or `jackd -d dummy`)");
  const double rate = jack_get_sample_rate(c.client);

  LiveEngineSpec spec;
  spec.hearing.sample_rate_hz = rate;
  spec.hearing.calibration_db_spl = request.calibration_db_spl;
  spec.input_channels = 2;
  spec.output_channels = 2;
  if (auto errors = c.engine.prepare(spec, listener); !errors.empty()) throw CliError(kExitUsage, describe(errors));

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

  const int latency = c.engine.latency_frames();
  std::printf("earshot live: client %s at %.0f Hz, %u-frame periods; latency %.2f ms (%d frames); listener %s\n",
              name.c_str(), rate, jack_get_buffer_size(c.client), 1000.0 * latency / rate, latency, request.listener.c_str());
  std::printf("type a listener (as --listener takes it) and Enter to change; Ctrl-C to stop\n");
  std::fflush(stdout);

  std::thread stdin_reader(read_listeners, shared, request.move_s);
  stdin_reader.detach();  // blocked in a read until a line comes: it is never joined
  const auto start = std::chrono::steady_clock::now();
  while (!g_stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard lock(c.control);
    c.engine.collect_retired();
  }
  {
    std::lock_guard lock(c.control);
    c.closing = true;
    jack_deactivate(c.client);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("stopped after %.1f s: %ld xruns\n", seconds, c.xruns.load());
  std::fflush(stdout);
  std::lock_guard lock(c.control);
  jack_client_close(c.client);
  c.client = nullptr;
  return kExitOk;
}

}  // namespace earshot::cli
