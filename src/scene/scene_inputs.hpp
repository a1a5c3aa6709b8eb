#pragma once
// A scene's input audio on its timeline (docs/scenes.md, [[input]]): the timeline runs at the
// first input's sample rate and lasts duration_s, or to the end of the last input; each input is
// placed at its start time with its gain, mono to both ears and stereo to left and right, resampled
// to the timeline's rate if it has another (dsp/rational_resampler.hpp), and cut at the end.
// Decoding files is the front end's business: each input is a SceneInputSource that the mix reads
// block by block as the timeline advances, so a scene of any length is mixed in constant memory
// (issue 11: a scene used to hold every input whole, 31 MB a minute at 44.1 kHz).
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "dsp/rational_resampler.hpp"
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
// kMaxSceneFrames), before anything is read: field "duration_s", the length and the limit.
SpecErrors check_scene_timeline(const SceneTimeline& timeline);

// One input's decoded samples, read in order (a file reader in a front end, or samples in memory).
class SceneInputSource {
 public:
  virtual ~SceneInputSource() = default;
  virtual int channels() const = 0;               // 1 (both ears) or 2 (left, right)
  virtual double sample_rate_hz() const = 0;
  virtual std::int64_t frames() const = 0;        // as the header says; a source that ends early reads as silence after
  // Up to `frames` frames, interleaved; returns the frames read (0 at the end).
  virtual std::int64_t read(float* interleaved, std::int64_t frames) = 0;
};

// Samples already in memory: one or two channels of equal length.
class SceneInputSamples final : public SceneInputSource {
 public:
  SceneInputSamples(std::vector<std::vector<float>> channels, double sample_rate_hz);
  int channels() const override { return static_cast<int>(channels_.size()); }
  double sample_rate_hz() const override { return sample_rate_hz_; }
  std::int64_t frames() const override { return channels_.empty() ? 0 : static_cast<std::int64_t>(channels_[0].size()); }
  std::int64_t read(float* interleaved, std::int64_t frames) override;

 private:
  std::vector<std::vector<float>> channels_;
  double sample_rate_hz_;
  std::int64_t position_ = 0;
};

class SceneInputMix {
 public:
  explicit SceneInputMix(const SceneTimeline& timeline);
  SceneInputMix(const SceneInputMix&) = delete;
  SceneInputMix& operator=(const SceneInputMix&) = delete;
  // Inputs are summed in the order added (which decides the last bit of each sum).
  void add(std::unique_ptr<SceneInputSource> source, double gain_db, double start_s);
  // The next `frames` frames of the two ears' mix; silence past the timeline's end.
  void read(const std::array<float*, 2>& ears, int frames);
  std::int64_t position() const { return position_; }

 private:
  struct Input {
    std::unique_ptr<SceneInputSource> source;
    float gain = 1.0f;
    std::int64_t offset = 0;   // the timeline frame of its first (resampled) frame
    std::int64_t frames = 0;   // its length at the timeline's rate
    std::int64_t read_frames = 0;  // source frames read so far
    std::int64_t next_output = 0;  // resampled frames handed out so far
    bool resampled = false;
    std::vector<RationalResamplerStream> resamplers;  // one per channel, when resampled
    std::vector<float> interleaved, channel;
    std::vector<double> resampled_block;
  };
  // Input `in`'s next `count` frames at the timeline's rate, channel by channel, into out[c].
  void pull(Input& in, std::int64_t count, std::array<std::vector<float>, 2>& out);

  SceneTimeline timeline_;
  std::vector<Input> inputs_;
  std::int64_t position_ = 0;
  std::array<std::vector<float>, 2> block_;
};

}  // namespace earshot
