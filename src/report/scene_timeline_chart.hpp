#pragma once
// The picture of a scene, PNG or SVG: a title; time (s) along the bottom over the whole scene;
// keyframes as dashed lines across every lane, each named at the top (number and listener); and,
// each lane labelled on the left, from the top:
//   - per ear, the listener's state over time on a log frequency axis (125 Hz .. 8 kHz): acoustic
//     hearing as its threshold on the colour map, light at 0 dB HL to black at 120 dB HL (a
//     colour bar), moving as the scene moves; an implant's electrode bands as teal stripes, one per
//     electrode; EAS both;
//   - one strip per layer: tinnitus (amber), masker (grey), implant character (magenta), each as
//     light as it is strong;
//   - the perspective: white where the room's sound is heard, dark where the listener's;
//   - per ear, the spectrogram of the render (0-8 kHz, calibrated, 0-90 dB SPL, a colour bar).
#include <array>
#include <string>
#include <vector>

#include "report/chart_canvas.hpp"
#include "scene/scene_design.hpp"

namespace earshot {

// The picture's spectrograms are drawn from the whole render held in memory (8 bytes a frame, 21 MB
// a minute at 44.1 kHz), unlike the streamed render itself: a scene with a picture is limited to
// this length, refused before anything is read (README, "Limits").
inline constexpr double kMaxSceneTimelineImageDurationS = 1200.0;  // 20 minutes

// The width rule: the time axis takes kTimelinePxPerS pixels a second of the scene, at least
// kMinTimelinePlotPx and at most kMaxTimelinePlotPx; the lane labels and colour bars add
// kTimelineMarginsPx. A 62 s scene is 1240 + 270 = 1510 px wide, an 11-minute one 13470 px (its
// first 30 s take 600 px); 20 minutes are compressed into 16000 px.
inline constexpr double kTimelinePxPerS = 20.0;
inline constexpr int kMinTimelinePlotPx = 900, kMaxTimelinePlotPx = 16000, kTimelineMarginsPx = 270;
// An asked-for width (--width) is the whole picture's, within these.
inline constexpr int kMinTimelineWidthPx = 600, kMaxTimelineWidthPx = 20000;

int scene_timeline_width_px(double duration_s);

struct SceneTimelineChartOptions {
  int width_px = 0;  // 0: scene_timeline_width_px(the scene's duration)
  std::string title = "Scene";  // the picture's title, e.g. the scene file's name
};

// Where the time axis lies in the picture, in its pixels: for a front end that marks a position
// over it (the web page's player).
struct SceneTimelineChart {
  std::string bytes;  // the file's
  int width_px = 0, height_px = 0;
  double plot_left_px = 0.0, plot_right_px = 0.0, plot_top_px = 0.0, plot_bottom_px = 0.0;  // 0 s .. the scene's end
};

SceneTimelineChart scene_timeline_chart(const ScenePlan& plan, const std::array<std::vector<float>, 2>& render, double calibration_db_spl,
                                        ChartFormat format, const SceneTimelineChartOptions& options = {});

}  // namespace earshot
