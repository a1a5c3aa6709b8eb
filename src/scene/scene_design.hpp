#pragma once
// A scene's plan (pure design; may allocate), handed immutable to SceneRenderer:
//   - every keyframe's ear states, designed once (an unchanged ear shares its plan);
//   - the processors each ear needs: one per run of keyframes it can move through continuously
//     (acoustic states of one layout: thresholds, recruitment and smearing mixed per place in dB,
//     see HearingLossProcessor::set_blend); a structural change (acoustic <-> implant, one map to
//     another) starts a new processor, which runs from kWarmupS before its move so that its
//     filters, envelopes and limiter are settled when it is heard, and is crossfaded in at equal
//     power with its delay matched;
//   - the final state's processors run on past the timeline's end, so a render beyond it (live,
//     until stopped) holds that state;
//   - one latency for every path (the slowest ear state, plus the implant character's frames);
//   - each tinnitus layer's output level per ear per keyframe.
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/ear_processor.hpp"
#include "scene/scene_spec.hpp"

namespace earshot {

// A processor that joins in the middle of a scene starts this long before it is heard.
inline constexpr double kWarmupS = 0.25;

struct SceneEarTrack {
  std::vector<std::shared_ptr<const EarPlan>> states;  // per keyframe
  std::vector<int> processor;                          // per keyframe: the processor that renders it
  struct ProcessorSpan {
    int first_keyframe = 0, last_keyframe = 0;
    std::int64_t begin_frame = 0, end_frame = 0;       // input frames during which it runs
  };
  std::vector<ProcessorSpan> processors;
};

// Where the timeline is: moving from keyframe `from` to `to` (the same when holding), `progress`
// of the way there (the curve applied).
struct TimelinePoint {
  int from = 0, to = 0;
  double progress = 0.0;
};

struct ScenePlan {
  SceneSpec spec;
  std::int64_t frames = 0;                       // the timeline's length
  std::vector<std::int64_t> move_begin, move_end;  // per keyframe, in frames
  std::array<SceneEarTrack, 2> ears;
  // [layer][ear][keyframe]: output level of each tinnitus layer (dB SPL) while that keyframe holds.
  std::vector<std::array<std::vector<double>, 2>> tinnitus_level_db_spl;
  int processor_latency_frames = 0;   // the slowest ear state's
  int character_latency_frames = 0;   // the implant character's analysis (0 without one)
  int latency_frames = 0;             // every output's

  TimelinePoint at(std::int64_t frame) const;
  // The listener state that holds at a time (the one being moved to during a move).
  int keyframe_at(std::int64_t frame) const;
};

Result<ScenePlan> design_scene(const SceneSpec& spec);

}  // namespace earshot
