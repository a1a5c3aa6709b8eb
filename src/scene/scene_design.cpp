#include "scene/scene_design.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "support/seed.hpp"

namespace earshot {

int ScenePlan::keyframe_at(std::int64_t frame) const {
  const auto it = std::upper_bound(move_begin.begin(), move_begin.end(), frame);
  return std::max(0, static_cast<int>(it - move_begin.begin()) - 1);
}

TimelinePoint ScenePlan::at(std::int64_t frame) const {
  const int k = keyframe_at(frame);
  if (k == 0 || frame >= move_end[k]) return {k, k, 0.0};
  const double u = double(frame - move_begin[k]) / double(move_end[k] - move_begin[k]);
  return {k - 1, k, transition_progress(spec.keyframes[k].curve, u)};
}

Result<ScenePlan> design_scene(const SceneSpec& spec) {
  SpecErrors errors = validate(spec);
  if (!errors.empty()) return errors;

  ScenePlan plan;
  plan.spec = spec;
  const double fs = spec.sample_rate_hz;
  plan.frames = static_cast<std::int64_t>(std::llround(spec.duration_s * fs));
  const int keys = static_cast<int>(spec.keyframes.size());
  for (const auto& key : spec.keyframes) {
    plan.move_begin.push_back(static_cast<std::int64_t>(std::llround(key.time_s * fs)));
    plan.move_end.push_back(static_cast<std::int64_t>(std::llround((key.time_s + key.move_s()) * fs)));
  }

  HearingLossParams hearing;
  hearing.sample_rate_hz = fs;
  hearing.field = spec.field;
  hearing.calibration_db_spl = spec.calibration_db_spl;
  hearing.smearing = spec.smearing;
  hearing.seed = spec.seed;
  const TemporalJitterParams no_jitter;

  for (int e = 0; e < 2; ++e) {
    SceneEarTrack& track = plan.ears[e];
    for (int k = 0; k < keys; ++k) {
      const EarProfile& ear = spec.keyframes[k].listener.ear(e);
      const EarProfile& prev_ear = k == 0 ? ear : spec.keyframes[k - 1].listener.ear(e);
      if (k > 0 && ear == prev_ear && track.states.back()) {
        track.states.push_back(track.states.back());
        continue;
      }
      // The same seed per ear as a static render of this listener, so a held state is that render.
      auto designed = design_ear(ear, hearing, no_jitter, derive_seed(spec.seed, {kSeedEar, std::uint64_t(e)}));
      if (!designed) {
        for (const auto& err : designed.errors()) {
          errors.push_back({"keyframe[" + std::to_string(k) + "].listener." + ear_name(e) + "." + err.field,
                            at_time(spec.keyframes[k].time_s) + err.message});
        }
        track.states.push_back(nullptr);
        continue;
      }
      track.states.push_back(std::make_shared<const EarPlan>(std::move(designed).value()));
    }
  }
  if (!errors.empty()) return errors;

  for (int e = 0; e < 2; ++e) {
    for (const auto& state : plan.ears[e].states) plan.processor_latency_frames = std::max(plan.processor_latency_frames, state->latency_frames());
  }
  for (const auto& c : spec.characters) {
    plan.character_latency_frames = std::max(plan.character_latency_frames, ImplantCharacter::latency_frames_for(c.params, fs));
  }
  plan.latency_frames = plan.processor_latency_frames + plan.character_latency_frames;

  // Processors: a new one wherever the ear's state cannot be reached continuously.
  const auto warmup = static_cast<std::int64_t>(std::llround(kWarmupS * fs));
  for (auto& track : plan.ears) {
    for (int k = 0; k < keys; ++k) {
      const bool continuous = k > 0 && (track.states[k] == track.states[k - 1] || morphable(*track.states[k - 1], *track.states[k]));
      if (k == 0 || !continuous) {
        SceneEarTrack::ProcessorSpan span;
        span.first_keyframe = span.last_keyframe = k;
        span.begin_frame = k == 0 ? 0 : std::max<std::int64_t>(0, plan.move_begin[k] - warmup);
        track.processors.push_back(span);
      }
      track.processors.back().last_keyframe = k;
      track.processor.push_back(static_cast<int>(track.processors.size()) - 1);
    }
    for (auto& span : track.processors) {
      const int next = span.last_keyframe + 1;
      // Heard until the move away from its last state ends; its output is latency_frames late. The
      // final state's processor never stops: a render past the timeline's end (live, until
      // stopped) holds that state (offline, the render ends with the timeline anyway).
      span.end_frame = next < keys ? plan.move_end[next] + plan.latency_frames : std::numeric_limits<std::int64_t>::max();
    }
  }

  // Tinnitus levels per keyframe. A sensation level needs an ear that hears acoustically while the
  // layer sounds.
  for (std::size_t i = 0; i < spec.tinnitus.size(); ++i) {
    const auto& layer = spec.tinnitus[i];
    std::array<std::vector<double>, 2> levels;
    const std::string field = "tinnitus[" + std::to_string(i) + "]";
    for (int e = 0; e < 2; ++e) {
      for (int k = 0; k < keys; ++k) {
        if (layer.params.level_db_spl || !includes(layer.ears, e)) {
          levels[e].push_back(layer.params.level_db_spl.value_or(0.0));
          continue;
        }
        const EarProfile& ear = spec.keyframes[k].listener.ear(e);
        const double held_from = spec.keyframes[k].time_s;
        const double held_to = k + 1 < keys ? spec.keyframes[k + 1].time_s + spec.keyframes[k + 1].move_s() : spec.duration_s;
        const bool sounding = held_from < layer.params.span.end_s && held_to > layer.params.span.start_s;
        if (!sounding) {
          levels[e].push_back(-100.0);
          continue;
        }
        const double t = std::max(held_from, layer.params.span.start_s);
        if (!ear.hears_acoustically()) {
          errors.push_back({field + ".level_db_sl", at_time(t) + "the " + std::string(ear_name(e)) +
                                                        " ear hears through an implant only (keyframe[" + std::to_string(k) +
                                                        "]), so it has no acoustic threshold: give level_db_spl"});
          levels[e].push_back(-100.0);
          continue;
        }
        const double level = sensation_level_to_output_db_spl(*layer.params.level_db_sl, layer.params.frequency_hz, ear, spec.field,
                                                              kDefaultCatchUpDbSpl);
        if (level > 110.0) {
          errors.push_back({field + ".level_db_sl", at_time(t) + format_number(*layer.params.level_db_sl) + " dB above the " +
                                                        ear_name(e) + " ear's threshold (" +
                                                        format_number(std::round(ear.air_loss_db_hl(layer.params.frequency_hz))) +
                                                        " dB HL) renders at " + format_number(std::round(level)) +
                                                        " dB SPL, above 110: give level_db_spl"});
        }
        levels[e].push_back(level);
      }
    }
    plan.tinnitus_level_db_spl.push_back(std::move(levels));
  }
  if (!errors.empty()) return errors;
  return plan;
}

}  // namespace earshot
