// The C API (include/earshot/earshot.h): a front end like the CLI, which is why it lives outside
// src/ (src/ knows no front end): it turns C arguments into the library's specs, calls the C++
// facade and the LiveEngine, and maps Results and exceptions to NULL / non-zero returns with a
// one-line message. Nothing throws across it: every entry point that can fail catches everything.
#include "earshot/earshot.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "earshot/earshot.hpp"

struct earshot_engine {
  static constexpr int kSilenceFrames = 1024;
  earshot::LiveEngine live;
  std::vector<float> silence = std::vector<float>(kSilenceFrames, 0.0f);  // input for process(in = NULL)
};

namespace {

// Copies message into the caller's buffer, truncated to error_size - 1 bytes plus a NUL.
void set_error(char* error, size_t error_size, const std::string& message) noexcept {
  if (error == nullptr || error_size == 0) return;
  const size_t n = std::min(message.size(), error_size - 1);
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

void clear_error(char* error, size_t error_size) noexcept { set_error(error, error_size, std::string()); }

// Runs body (which returns the success value), mapping every exception to `failed` plus a message.
template <class T, class Body>
T guarded(char* error, size_t error_size, T failed, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    set_error(error, error_size, "out of memory");
  } catch (const std::exception& e) {
    try {
      set_error(error, error_size, std::string("internal error: ") + e.what());
    } catch (...) {
      set_error(error, error_size, "internal error");
    }
  } catch (...) {
    set_error(error, error_size, "internal error");
  }
  return failed;
}

}  // namespace

extern "C" {

const char* earshot_version(void) { return earshot::version(); }

int earshot_render_channels(const char* listener, int input_channels, char* error, size_t error_size) {
  return guarded(error, error_size, -1, [&]() -> int {
    if (listener == nullptr) {
      set_error(error, error_size, "listener: NULL; give a listener such as \"normal\" or \"N3\"");
      return -1;
    }
    if (input_channels != 1 && input_channels != 2) {
      set_error(error, error_size, "input_channels: " + std::to_string(input_channels) + " is not allowed: give 1 or 2");
      return -1;
    }
    auto parsed = earshot::parse_listener(listener);
    if (!parsed) {
      set_error(error, error_size, earshot::describe(parsed.errors()));
      return -1;
    }
    clear_error(error, error_size);
    return input_channels == 1 && parsed.value().symmetric() ? 1 : 2;
  });
}

int earshot_render(const char* listener, earshot_level_mode mode, double db_spl, const float* const* in,
                   int input_channels, size_t frames, double sample_rate_hz, float* const* out,
                   int output_channels, double* calibration_db_spl_used, char* error, size_t error_size) {
  return guarded(error, error_size, 1, [&]() -> int {
    auto fail = [&](const std::string& message) {
      set_error(error, error_size, message);
      return 1;
    };
    if (listener == nullptr) return fail("listener: NULL; give a listener such as \"normal\" or \"N3\"");
    if (mode != EARSHOT_SPEECH_LEVEL && mode != EARSHOT_CALIBRATION) {
      return fail("mode: " + std::to_string(static_cast<int>(mode)) +
                  " is not allowed: give EARSHOT_SPEECH_LEVEL or EARSHOT_CALIBRATION");
    }
    if (input_channels != 1 && input_channels != 2) {
      return fail("input_channels: " + std::to_string(input_channels) + " is not allowed: give 1 or 2");
    }
    if (output_channels != 1 && output_channels != 2) {
      return fail("output_channels: " + std::to_string(output_channels) + " is not allowed: give 1 or 2");
    }
    if (in == nullptr) return fail("in: NULL; give input_channels channel pointers");
    if (out == nullptr) return fail("out: NULL; give output_channels channel pointers");
    for (int c = 0; c < input_channels; ++c) {
      if (in[c] == nullptr) return fail("in[" + std::to_string(c) + "]: NULL");
    }
    for (int c = 0; c < output_channels; ++c) {
      if (out[c] == nullptr) return fail("out[" + std::to_string(c) + "]: NULL");
    }
    auto parsed = earshot::parse_listener(listener);
    if (!parsed) return fail(earshot::describe(parsed.errors()));
    const int needed = input_channels == 1 && parsed.value().symmetric() ? 1 : 2;
    if (output_channels < needed) {
      return fail("output_channels: 1 is not enough: this listener's ears differ (or the input is stereo), give 2");
    }
    std::vector<std::vector<float>> channels;
    for (int c = 0; c < input_channels; ++c) channels.emplace_back(in[c], in[c] + frames);
    earshot::RenderOptions options;
    if (mode == EARSHOT_SPEECH_LEVEL) {
      options.level_db_spl = db_spl;
    } else {
      options.calibration_db_spl = db_spl;
    }
    auto rendered = earshot::render(channels, sample_rate_hz, parsed.value(), options);
    if (!rendered) return fail(earshot::describe(rendered.errors()));
    const auto& result = rendered.value().channels;
    for (int c = 0; c < output_channels; ++c) {
      const auto& source = result[std::min<std::size_t>(c, result.size() - 1)];
      std::copy(source.begin(), source.end(), out[c]);
    }
    if (calibration_db_spl_used != nullptr) *calibration_db_spl_used = rendered.value().calibration.calibration_db_spl;
    clear_error(error, error_size);
    return 0;
  });
}

earshot_engine* earshot_engine_create(const char* listener, double sample_rate_hz, int input_channels,
                                      int output_channels, double calibration_db_spl, char* error,
                                      size_t error_size) {
  return guarded(error, error_size, static_cast<earshot_engine*>(nullptr), [&]() -> earshot_engine* {
    if (listener == nullptr) {
      set_error(error, error_size, "listener: NULL; give a listener such as \"normal\" or \"N3\"");
      return nullptr;
    }
    auto parsed = earshot::parse_listener(listener);
    if (!parsed) {
      set_error(error, error_size, earshot::describe(parsed.errors()));
      return nullptr;
    }
    earshot::LiveEngineSpec spec;
    spec.hearing.sample_rate_hz = sample_rate_hz;
    spec.hearing.calibration_db_spl = calibration_db_spl;
    spec.input_channels = input_channels;
    spec.output_channels = output_channels;
    auto engine = std::make_unique<earshot_engine>();
    earshot::SpecErrors errors = engine->live.prepare(spec, parsed.value());
    if (!errors.empty()) {
      set_error(error, error_size, earshot::describe(errors));
      return nullptr;
    }
    clear_error(error, error_size);
    return engine.release();
  });
}

int earshot_engine_set_listener(earshot_engine* engine, const char* listener, double move_s, char* error,
                                size_t error_size) {
  return guarded(error, error_size, 1, [&]() -> int {
    if (engine == nullptr) {
      set_error(error, error_size, "engine: NULL; create one with earshot_engine_create");
      return 1;
    }
    if (listener == nullptr) {
      set_error(error, error_size, "listener: NULL; give a listener such as \"normal\" or \"N3\"");
      return 1;
    }
    auto parsed = earshot::parse_listener(listener);
    if (!parsed) {
      set_error(error, error_size, earshot::describe(parsed.errors()));
      return 1;
    }
    earshot::SpecErrors errors = engine->live.set_listener(parsed.value(), move_s);
    if (!errors.empty()) {
      set_error(error, error_size, earshot::describe(errors));
      return 1;
    }
    clear_error(error, error_size);
    return 0;
  });
}

void earshot_engine_process(earshot_engine* engine, const float* const* in, float* const* out, int frames) {
  if (engine == nullptr || out == nullptr || frames <= 0) return;
  const int out_channels = engine->live.spec().output_channels;
  for (int c = 0; c < out_channels; ++c) {
    if (out[c] == nullptr) return;
  }
  if (in == nullptr) {
    // Silence in (a host with no input yet, or ringing out): the engine still runs, so its state
    // and any tail go on as they would with zeros; chunks of the preallocated silent buffer.
    const float* silent[2] = {engine->silence.data(), engine->silence.data()};
    for (int done = 0; done < frames;) {
      const int n = std::min(frames - done, earshot_engine::kSilenceFrames);
      float* chunk[2] = {out[0] + done, out_channels > 1 ? out[1] + done : nullptr};
      engine->live.process(silent, chunk, n);
      done += n;
    }
    return;
  }
  for (int c = 0; c < engine->live.spec().input_channels; ++c) {
    if (in[c] == nullptr) return;
  }
  engine->live.process(in, out, frames);
}

int earshot_engine_latency_frames(const earshot_engine* engine) {
  return engine == nullptr ? 0 : engine->live.latency_frames();
}

void earshot_engine_destroy(earshot_engine* engine) {
  try {
    delete engine;
  } catch (...) {
    // A destructor that throws would end the program; LiveEngine's does not. Nothing to report.
  }
}

}  // extern "C"
