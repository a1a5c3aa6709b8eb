#pragma once
// Renders a scene plan, block by block: each ear's processors (moving continuously within a run
// of states, crossfaded at equal power across structural changes), the implant character, the
// tinnitus and masker layers, and the perspective mix with the room sound. prepare() allocates;
// process() never allocates, locks or throws. Every output is latency_frames() late.
//
// The mix per ear is  P room + (1 - P) (listener + layers),  P the perspective. The stems are
// the three terms as they enter the mix, so they sum to it.
#include <array>
#include <functional>
#include <memory>
#include <vector>

#include "scene/coloured_noise.hpp"
#include "dsp/delay_line.hpp"
#include "engine/ear_processor.hpp"
#include "scene/implant_character.hpp"
#include "scene/scene_design.hpp"
#include "scene/tinnitus.hpp"

namespace earshot {

// Caller-owned buffers, each `frames` long; null: not wanted (mix is required).
struct SceneOutputs {
  std::array<float*, 2> mix{};
  std::array<float*, 2> room{};
  std::array<float*, 2> listener{};
  // Layer stems: tinnitus layers first, then maskers; two per layer (left, right). Empty: none.
  std::vector<std::array<float*, 2>> layers;
};

class SceneRenderer {
 public:
  void prepare(std::shared_ptr<const ScenePlan> plan);
  void reset() noexcept;
  int latency_frames() const noexcept { return plan_->latency_frames; }
  int layer_count() const noexcept { return static_cast<int>(plan_->spec.tinnitus.size() + plan_->spec.maskers.size()); }
  // in: the left and right ears' input (may be the same buffer).
  void process(const std::array<const float*, 2>& in, const SceneOutputs& out, int frames) noexcept;

 private:
  static constexpr int kBlock = 128;  // parameters move at least this often (2.9 ms at 44.1 kHz)
  void process_block(const std::array<const float*, 2>& in, const SceneOutputs& out, int offset, int n) noexcept;
  // The timeline at frames first_frame ... first_frame + n - 1, as far as the mix uses it.
  void timeline_points(std::int64_t first_frame, int n, TimelinePoint* points) const noexcept;
  // Whether a point's progress changes the mix: its move changes the perspective or the processor.
  bool progress_matters(const TimelinePoint& q) const noexcept;

  struct Ear {
    std::vector<EarProcessor> processors;
    std::vector<std::vector<float>> buffers;  // one block per processor
    std::vector<float> listener, layers, room;
    DelayLine room_delay;       // the room sound, aligned with the listener's
    DelayLine character_pad;    // ears without a character, aligned with those with one
    std::unique_ptr<ImplantCharacter> character;
    std::vector<TinnitusGenerator> tinnitus;  // one per tinnitus layer
    std::vector<MaskerGenerator> maskers;     // one per masker layer
  };

  std::shared_ptr<const ScenePlan> plan_;
  std::array<Ear, 2> ears_;
  std::vector<float> layer_scratch_;
  std::vector<TimelinePoint> heard_;  // per frame of the block: timeline at the processors' output
  std::vector<TimelinePoint> mixed_;  // ... and at the final output
  std::int64_t position_ = 0;         // input frames taken in
};

// The scene's input, pulled in timeline order: fill the next `frames` frames of each ear
// (scene/scene_inputs.hpp's SceneInputMix::read reads files so, block by block).
using SceneInputPull = std::function<void(const std::array<float*, 2>& ears, int frames)>;

// Offline, streamed both ways: the input pulled chunk by chunk (plan.frames in all), and the
// whole scene with its latency removed handed to `sink` chunk by chunk (the outputs' pointers and
// their frame count, in timeline order; plan.frames in all). Stems are filled only if asked for.
// Allocates (chunk buffers) but holds neither input nor output: memory does not grow with length.
void render_scene(std::shared_ptr<const ScenePlan> plan, const SceneInputPull& input, bool stems,
                  const std::function<void(const SceneOutputs& chunk, int frames)>& sink);
// The same, from input in memory (silence past its end).
void render_scene(std::shared_ptr<const ScenePlan> plan, const std::array<std::vector<float>, 2>& input, bool stems,
                  const std::function<void(const SceneOutputs& chunk, int frames)>& sink);

// Offline, in memory: every output plan.frames long.
struct SceneRender {
  std::array<std::vector<float>, 2> mix, room, listener;
  std::vector<std::array<std::vector<float>, 2>> layers;  // tinnitus layers, then maskers
};
SceneRender render_scene(std::shared_ptr<const ScenePlan> plan, const std::array<std::vector<float>, 2>& input, bool stems);

}  // namespace earshot
