#pragma once
// Shared helpers for the tests: real-data locations, synthetic tones, one-shot renders.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "scene/scene_spec.hpp"

namespace earshot::test {

// $EARSHOT_CORPUS (shared/corpus) and its sibling oracles folder ($EARSHOT_ORACLES overrides).
std::optional<std::filesystem::path> corpus_dir();
std::optional<std::filesystem::path> oracles_dir();

// Mono float samples and rate of a file (any format libsndfile reads; first channel).
std::vector<float> read_mono(const std::filesystem::path& path, double* sample_rate_hz = nullptr);

// A sine at `level_db_spl` (RMS) under calibration `calibration_db_spl`.
std::vector<float> tone(double frequency_hz, double level_db_spl, double sample_rate_hz, double seconds,
                        double calibration_db_spl = 100.0);

// Whole-signal offline render through the engine, delay-compensated, same length as the input.
std::vector<float> render(const std::vector<float>& input, const Listener& listener, const HearingLossParams& params,
                          const TemporalJitterParams& jitter = {});

// Level (dB SPL) of the steady part (after `skip_s`) of a rendered signal.
double steady_level_db(const std::vector<float>& x, double sample_rate_hz, double calibration_db_spl, double skip_s = 0.3);

Listener listener(const std::string& spec);

// The largest sample-to-sample step of x over [from, to) (a click shows as a step).
double largest_step(const std::vector<float>& x, std::size_t from, std::size_t to);

// Spectral flux: summed rise in magnitude from one 1024-frame Hann frame to the next (hop 256),
// the largest over [from, to) (a click or a sudden change of sound shows as a spike).
double largest_flux(const std::vector<float>& x, std::size_t from, std::size_t to);

// A scene keyframe: at `time_s`, a move to listener `who`.
SceneKeyframe keyframe(double time_s, const std::string& who, double transition_s = 0.0,
                       TransitionCurve curve = TransitionCurve::linear, double perspective = 0.0);

// Rows of a comma-separated file (no quoting), header skipped.
std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& path);

// A file's whole contents (empty if it cannot be read), and a file written with exactly this text.
std::string slurp(const std::filesystem::path& path);
void write_text(const std::filesystem::path& path, const std::string& text);

}  // namespace earshot::test
