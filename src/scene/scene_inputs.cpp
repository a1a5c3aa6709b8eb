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

SceneInputSamples::SceneInputSamples(std::vector<std::vector<float>> channels, double sample_rate_hz)
    : channels_(std::move(channels)), sample_rate_hz_(sample_rate_hz) {}

std::int64_t SceneInputSamples::read(float* interleaved, std::int64_t frames) {
  const std::int64_t n = std::clamp<std::int64_t>(this->frames() - position_, 0, frames);
  const std::size_t c = channels_.size();
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < c; ++k) interleaved[static_cast<std::size_t>(i) * c + k] = channels_[k][static_cast<std::size_t>(position_ + i)];
  }
  position_ += n;
  return n;
}

SceneInputMix::SceneInputMix(const SceneTimeline& timeline) : timeline_(timeline) {}

void SceneInputMix::add(std::unique_ptr<SceneInputSource> source, double gain_db, double start_s) {
  if (!source || source->channels() < 1) return;
  const double fs = timeline_.sample_rate_hz;
  Input in;
  in.gain = static_cast<float>(std::pow(10.0, gain_db / 20.0));
  in.offset = static_cast<std::int64_t>(std::llround(start_s * fs));
  in.resampled = source->sample_rate_hz() != fs;
  in.frames = source->frames();
  if (in.resampled) {
    in.resamplers.resize(static_cast<std::size_t>(source->channels()));
    for (auto& r : in.resamplers) r.prepare(std::lround(fs), std::lround(source->sample_rate_hz()), source->frames());
    in.frames = in.resamplers.front().output_frames();
  }
  in.source = std::move(source);
  inputs_.push_back(std::move(in));
}

void SceneInputMix::pull(Input& in, std::int64_t count, std::array<std::vector<float>, 2>& out) {
  const int channels = in.source->channels();
  // Source frames [in.read_frames, in.read_frames + wanted), de-interleaved into in.channel
  // (channel-major); silence where the source ends before its header said.
  auto read_source = [&](std::int64_t wanted) {
    in.interleaved.resize(static_cast<std::size_t>(wanted * channels));
    std::int64_t got = 0;
    for (std::int64_t r; got < wanted && (r = in.source->read(in.interleaved.data() + got * channels, wanted - got)) > 0;) got += r;
    std::fill(in.interleaved.begin() + got * channels, in.interleaved.end(), 0.0f);
    in.channel.resize(static_cast<std::size_t>(wanted * channels));
    for (int c = 0; c < channels; ++c) {
      for (std::int64_t i = 0; i < wanted; ++i) in.channel[static_cast<std::size_t>(c * wanted + i)] = in.interleaved[static_cast<std::size_t>(i * channels + c)];
    }
    in.read_frames += wanted;
  };
  for (int c = 0; c < channels && c < 2; ++c) out[c].resize(static_cast<std::size_t>(count));
  if (!in.resampled) {
    read_source(count);
    for (int c = 0; c < channels && c < 2; ++c) std::copy_n(in.channel.begin() + c * count, count, out[c].begin());
    return;
  }
  // Each channel's resampler, fed what its next outputs need; the samples are resample_rational's
  // (scene inputs were resampled whole before, and renders keep their bytes).
  auto& first = in.resamplers.front();
  const std::int64_t wanted = first.input_needed(in.next_output + count) - in.read_frames;
  if (wanted > 0) {
    read_source(wanted);
    for (int c = 0; c < channels; ++c) in.resamplers[static_cast<std::size_t>(c)].push(in.channel.data() + c * wanted, wanted);
  }
  in.resampled_block.resize(static_cast<std::size_t>(count));
  for (int c = 0; c < channels && c < 2; ++c) {
    in.resamplers[static_cast<std::size_t>(c)].pull(in.resampled_block.data(), count);
    for (std::int64_t i = 0; i < count; ++i) out[c][static_cast<std::size_t>(i)] = static_cast<float>(in.resampled_block[static_cast<std::size_t>(i)]);
  }
  in.next_output += count;
}

void SceneInputMix::read(const std::array<float*, 2>& ears, int frames) {
  for (float* ear : ears) std::fill(ear, ear + frames, 0.0f);
  const std::int64_t begin = position_, end = position_ + frames;
  position_ = end;
  for (Input& in : inputs_) {
    // The frames of this input that fall in [begin, end) and before the timeline's end.
    const std::int64_t from = std::max({begin, in.offset, std::int64_t{0}});
    const std::int64_t to = std::min({end, in.offset + in.frames, timeline_.frames});
    if (to <= from) continue;
    pull(in, to - from, block_);
    const int last = std::min(in.source->channels(), 2) - 1;
    for (int e = 0; e < 2; ++e) {
      const std::vector<float>& src = block_[static_cast<std::size_t>(std::min(e, last))];
      float* ear = ears[e] + (from - begin);
      for (std::int64_t i = 0; i < to - from; ++i) ear[i] += in.gain * src[static_cast<std::size_t>(i)];
    }
  }
}

}  // namespace earshot
