#pragma once
// A scene's input audio on its timeline (docs/scenes.md, [[input]]): the timeline runs at the
// first input's sample rate and lasts duration_s, or to the end of the last input; each input is
// placed at its start time with its gain, mono to both ears and stereo to left and right, resampled
// to the timeline's rate if it has another (dsp/rational_resampler.hpp), and cut at the end.
// Decoding files is the front end's business: this takes decoded samples, one input at a time, so a
// front end need hold only one decoded input beside the mix.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "support/spec_error.hpp"

namespace earshot {

// What the timeline needs to know of an input before its samples are read (a file's header).
struct SceneInputHeader {
  double sample_rate_hz = 0.0;
  std::int64_t frames = 0;
  double start_s = 0.0;
};

struct SceneTimeline {
  double sample_rate_hz = 0.0;
  double duration_s = 0.0;
  std::int64_t frames = 0;
};

// The first input's rate; duration_s if given, else the last input's end.
SceneTimeline scene_timeline(const std::vector<SceneInputHeader>& inputs, std::optional<double> duration_s);

// The timeline against the scene's limits (scene/scene_spec.hpp: kMaxSceneDurationS,
// kMaxSceneFrames), before a mix is allocated: field "duration_s", the length and the limit.
SpecErrors check_scene_timeline(const SceneTimeline& timeline);

class SceneInputMix {
 public:
  explicit SceneInputMix(const SceneTimeline& timeline);
  // One input: one or two channels (left, right) of equal length at `sample_rate_hz`.
  void add(const std::vector<std::vector<float>>& channels, double sample_rate_hz, double gain_db, double start_s);
  // The two ears' mix; the object is empty afterwards.
  std::array<std::vector<float>, 2> take() { return std::move(mix_); }

 private:
  SceneTimeline timeline_;
  std::array<std::vector<float>, 2> mix_;
};

}  // namespace earshot
