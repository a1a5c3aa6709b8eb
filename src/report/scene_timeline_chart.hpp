#pragma once
// A picture of a scene (PNG): time left to right, and from the top
//   - per ear, the listener's state over time on a log frequency axis (125 Hz bottom, 8 kHz top):
//     acoustic hearing as its threshold, pale (0 dB HL) to black (120 dB HL, no hearing), moving as
//     the scene moves; an implant's electrode bands in teal, one stripe per electrode; EAS both;
//   - one strip per layer: tinnitus (amber), masker (grey), implant character (magenta), each as
//     bright as it is strong;
//   - the perspective: white where the room's sound is heard, dark where the listener's;
//   - per ear, the spectrogram of the render (0-8 kHz, calibrated, 0-90 dB SPL);
// with a white tick at the start of every keyframe's move.
#include <array>
#include <string>
#include <vector>

#include "scene/scene_design.hpp"

namespace earshot {

// The picture's spectrograms are drawn from the whole render held in memory (8 bytes a frame, 21 MB
// a minute at 44.1 kHz), unlike the streamed render itself: a scene with a picture is limited to
// this length, refused before anything is read (README, "Limits").
inline constexpr double kMaxSceneTimelineImageDurationS = 1200.0;  // 20 minutes

// PNG file bytes.
std::string encode_scene_timeline(const ScenePlan& plan, const std::array<std::vector<float>, 2>& render, double calibration_db_spl);

}  // namespace earshot
