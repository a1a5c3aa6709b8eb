#pragma once
// `earshot scene`: reads a scene file and its inputs, mixes the inputs onto the timeline,
// calibrates, renders, and writes the render, optionally the stems (room, listener per ear, each
// layer) and a timeline picture. `--check` validates the file and its inputs' headers only.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace earshot::cli {

struct SceneRequest {
  std::filesystem::path scene;
  std::optional<std::filesystem::path> output;    // required unless check_only
  std::optional<std::filesystem::path> stems;     // a folder (created if missing)
  std::optional<std::filesystem::path> timeline;  // a picture of the timeline, .png or .svg
  std::optional<int> timeline_width_px;           // its width; none: by the scene's length (report/scene_timeline_chart.hpp)
  bool check_only = false;
  int bits = 0;
  std::optional<double> from_s, to_s;  // --from/--to: write only this window of the timeline (seconds)
  bool audible = false;                // --audible: not physical; each ear's level given back (engine/audible_gain.hpp)
  // Called now and then with the fraction done (0 to 1, both passes), for a progress display.
  std::function<void(double)> progress;
};

struct SceneSummary {
  double sample_rate_hz = 0.0;
  double duration_s = 0.0;
  int keyframes = 0, tinnitus_layers = 0, maskers = 0, characters = 0;
  int processors[2] = {0, 0};    // per ear: one per run of continuously reachable states
  std::string calibration_mode;  // "level", "calibration" (empty for --check)
  double calibration_db_spl = 0.0;
  double output_long_term_db_spl[2] = {-300.0, -300.0};
  int latency_removed_frames = 0;
  std::int64_t clipped_samples = 0;
  bool windowed = false;               // --from/--to given
  double window_from_s = 0.0, window_to_s = 0.0;
  std::vector<double> audible_gain_db;  // --audible: the gain given each ear's render; empty without it
  std::vector<std::string> downmixed;  // "input 'x.wav': 5.1 (...) downmixed to the two ears by ITU-R BS.775: ..."
  std::vector<std::string> written;
  // The timeline picture's size and where its time axis (0 s .. the end) lies in it, in pixels.
  int timeline_width_px = 0, timeline_height_px = 0;
  double timeline_plot_left_px = 0.0, timeline_plot_right_px = 0.0, timeline_plot_top_px = 0.0, timeline_plot_bottom_px = 0.0;
  std::string text() const;  // what the CLI prints
};

class OutputSet;

// Throws CliError. With `into`, the outputs join that set, which the caller commits.
SceneSummary run_scene(const SceneRequest& request, OutputSet* into = nullptr);

}  // namespace earshot::cli
