#include "scene/scene_inputs.hpp"

#include "scene/scene_spec.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/rational_resampler.hpp"

namespace earshot {

SceneTimeline scene_timeline(const std::vector<SceneInputHeader>& inputs, std::optional<double> duration_s) {
  SceneTimeline t;
  double end_s = 0.0;
  for (const auto& in : inputs) {
    if (t.sample_rate_hz == 0.0) t.sample_rate_hz = in.sample_rate_hz;
    end_s = std::max(end_s, in.start_s + in.frames / in.sample_rate_hz);
  }
  t.duration_s = duration_s.value_or(end_s);
  // (A length beyond any limit stays representable: check_scene_timeline refuses it.)
  const double frames = t.duration_s * t.sample_rate_hz;
  t.frames = frames >= 0.0 && frames < 9e18 ? static_cast<std::int64_t>(std::llround(frames)) : INT64_MAX;
  return t;
}

SpecErrors check_scene_timeline(const SceneTimeline& t) {
  if (t.duration_s <= kMaxSceneDurationS && t.frames <= kMaxSceneFrames) return {};
  return {{"duration_s", "the timeline lasts " + format_number(t.duration_s) + " s (" + std::to_string(t.frames) + " frames at " +
                             format_number(t.sample_rate_hz) + " Hz): a scene's limit is " + format_number(kMaxSceneDurationS) +
                             " s and " + std::to_string(kMaxSceneFrames) + " frames"}};
}

SceneInputMix::SceneInputMix(const SceneTimeline& timeline) : timeline_(timeline) {
  for (auto& m : mix_) m.assign(static_cast<std::size_t>(std::max<std::int64_t>(timeline.frames, 0)), 0.0f);
}

void SceneInputMix::add(const std::vector<std::vector<float>>& channels, double sample_rate_hz, double gain_db, double start_s) {
  if (channels.empty()) return;
  const double fs = timeline_.sample_rate_hz;
  const std::int64_t frames = timeline_.frames;
  std::vector<std::vector<float>> resampled;
  const std::vector<std::vector<float>>* source = &channels;
  if (sample_rate_hz != fs) {
    const long up = std::lround(fs), down = std::lround(sample_rate_hz);
    for (const auto& c : channels) {
      const std::vector<double> r = resample_rational(std::vector<double>(c.begin(), c.end()), up, down);
      resampled.emplace_back(r.begin(), r.end());
    }
    source = &resampled;
  }
  const float gain = static_cast<float>(std::pow(10.0, gain_db / 20.0));
  const auto offset = static_cast<std::int64_t>(std::llround(start_s * fs));
  for (int e = 0; e < 2; ++e) {
    const std::vector<float>& src = (*source)[std::min<std::size_t>(e, source->size() - 1)];
    for (std::size_t i = 0; i < src.size(); ++i) {
      const std::int64_t f = offset + static_cast<std::int64_t>(i);
      if (f >= frames) break;
      mix_[e][static_cast<std::size_t>(f)] += gain * src[i];
    }
  }
}

}  // namespace earshot
