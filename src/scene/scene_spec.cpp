#include "scene/scene_spec.hpp"

#include <algorithm>
#include <cmath>

#include "hearing_loss/hearing_loss_design.hpp"

namespace earshot {

bool includes(EarSelection s, int ear) {
  return s == EarSelection::both || (ear == 0 ? s == EarSelection::left : s == EarSelection::right);
}

const char* to_string(EarSelection s) {
  switch (s) {
    case EarSelection::left: return "left";
    case EarSelection::right: return "right";
    case EarSelection::both: return "both";
  }
  return "both";
}

double last_moment_s(const SceneSpec& s) {
  double last = 0.0;
  auto later = [&](double t) {
    if (std::isfinite(t)) last = std::max(last, t);
  };
  for (std::size_t k = 1; k < s.keyframes.size(); ++k) later(s.keyframes[k].time_s + s.keyframes[k].move_s());
  auto span = [&](const LayerSpan& l) {
    later(l.start_s + l.ramp_s);
    later(l.end_s);
  };
  for (const auto& t : s.tinnitus) span(t.params.span);
  for (const auto& m : s.maskers) span(m.params.span);
  for (const auto& c : s.characters) later(c.params.start_s);
  return last;
}

std::string at_time(double time_s) { return "at " + format_number(time_s) + " s: "; }

SpecErrors validate(const SceneSpec& s) {
  SpecErrors errors;
  if (!(s.sample_rate_hz >= kMinSampleRateHz && s.sample_rate_hz <= kMaxSampleRateHz)) {
    errors.push_back({"sample_rate_hz", format_number(s.sample_rate_hz) + " Hz is outside the supported " +
                                            format_number(kMinSampleRateHz) + "..." + format_number(kMaxSampleRateHz) + " Hz"});
  }
  if (!(std::isfinite(s.duration_s) && s.duration_s > 0.0)) {
    errors.push_back({"duration_s", format_number(s.duration_s) + " s: a scene needs some time"});
  } else if (s.duration_s > kMaxSceneDurationS ||
             s.duration_s * s.sample_rate_hz > static_cast<double>(kMaxSceneFrames)) {
    errors.push_back({"duration_s", format_number(s.duration_s) + " s at " + format_number(s.sample_rate_hz) +
                                        " Hz is more than a scene's limit of " + format_number(kMaxSceneDurationS) + " s and " +
                                        std::to_string(kMaxSceneFrames) + " frames"});
  }
  if (s.keyframes.size() > kMaxSceneKeyframes) {
    errors.push_back({"keyframe", std::to_string(s.keyframes.size()) + " keyframes: the limit is " + std::to_string(kMaxSceneKeyframes)});
    return errors;  // (not one error per keyframe)
  }
  if (const std::size_t layers = s.tinnitus.size() + s.maskers.size() + s.characters.size(); layers > kMaxSceneLayers) {
    errors.push_back({"layers", std::to_string(layers) + " tinnitus, masker and implant_character layers: the limit is " +
                                    std::to_string(kMaxSceneLayers) + " together"});
    return errors;
  }
  if (!(std::isfinite(s.calibration_db_spl) && s.calibration_db_spl >= 0.0 && s.calibration_db_spl <= 160.0)) {
    errors.push_back({"calibration_db_spl", format_number(s.calibration_db_spl) + " dB SPL is outside 0...160 dB SPL"});
  }
  if (s.keyframes.empty()) errors.push_back({"keyframe", "a scene needs at least one keyframe (the listener at 0 s)"});

  for (std::size_t k = 0; k < s.keyframes.size(); ++k) {
    const SceneKeyframe& key = s.keyframes[k];
    const std::string field = "keyframe[" + std::to_string(k) + "]";
    if (!std::isfinite(key.time_s) || key.time_s < 0.0) {
      errors.push_back({field + ".time_s", format_number(key.time_s) + " s: times start at 0 s"});
      continue;
    }
    if (k == 0 && key.time_s != 0.0) {
      errors.push_back({field + ".time_s", at_time(key.time_s) + "the first keyframe is the listener at 0 s"});
    }
    if (k > 0) {
      const SceneKeyframe& prev = s.keyframes[k - 1];
      if (key.time_s <= prev.time_s) {
        errors.push_back({field + ".time_s", at_time(key.time_s) + "goes back in time (keyframe[" + std::to_string(k - 1) + "] is at " +
                                                 format_number(prev.time_s) + " s); keyframe times must increase"});
      } else if (k > 1) {
        const double prev_end = prev.time_s + prev.move_s();
        if (key.time_s < prev_end - 1e-9) {
          errors.push_back({field + ".time_s", at_time(key.time_s) + "starts before keyframe[" + std::to_string(k - 1) + "]'s " +
                                                   (prev.curve == TransitionCurve::cut ? "cut" : "transition") + " ends (" +
                                                   format_number(prev_end) + " s); moves may not overlap"});
        }
      }
    }
    if (key.time_s > s.duration_s && s.duration_s > 0.0) {
      errors.push_back({field + ".time_s", at_time(key.time_s) + "after the scene ends (" + format_number(s.duration_s) + " s)"});
    }
    if (k == 0 && (key.transition_s != 0.0 || key.curve == TransitionCurve::cut)) {
      errors.push_back({field + ".transition_s", "the first keyframe is where the scene starts: it has no move into it"});
    } else if (key.curve == TransitionCurve::cut && key.transition_s != 0.0) {
      errors.push_back({field + ".transition_s", at_time(key.time_s) + "a cut has no transition time (it is " +
                                                     format_number(kCutS * 1000.0) + " ms); give curve linear, exponential or smooth"});
    } else if (!(std::isfinite(key.transition_s) && key.transition_s >= 0.0 && key.transition_s <= 3600.0)) {
      errors.push_back({field + ".transition_s", at_time(key.time_s) + format_number(key.transition_s) + " s is outside 0...3600 s"});
    }
    if (!(key.perspective >= 0.0 && key.perspective <= 1.0)) {
      errors.push_back({field + ".perspective", at_time(key.time_s) + format_number(key.perspective) +
                                                    " is outside 0 (the listener's) ... 1 (the room's)"});
    }
    for (auto& e : validate(key.listener)) errors.push_back({field + ".listener." + e.field, at_time(key.time_s) + e.message});
  }

  for (std::size_t i = 0; i < s.tinnitus.size(); ++i) {
    for (auto& e : validate(s.tinnitus[i].params, s.sample_rate_hz, "tinnitus[" + std::to_string(i) + "]")) errors.push_back(std::move(e));
  }
  for (std::size_t i = 0; i < s.maskers.size(); ++i) {
    for (auto& e : validate(s.maskers[i].params, "masker[" + std::to_string(i) + "]")) errors.push_back(std::move(e));
  }
  for (std::size_t i = 0; i < s.characters.size(); ++i) {
    const std::string field = "implant_character[" + std::to_string(i) + "]";
    for (auto& e : validate(s.characters[i].params, s.sample_rate_hz, field)) errors.push_back(std::move(e));
    for (std::size_t j = 0; j < i; ++j) {
      const bool shared = (includes(s.characters[i].ears, 0) && includes(s.characters[j].ears, 0)) ||
                          (includes(s.characters[i].ears, 1) && includes(s.characters[j].ears, 1));
      if (shared) {
        errors.push_back({field + ".ear", "implant_character[" + std::to_string(j) + "] already shapes this ear; one character per ear"});
      }
    }
  }
  return errors;
}

}  // namespace earshot
