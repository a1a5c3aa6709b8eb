#include "scene/scene_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/denormals.hpp"
#include "support/seed.hpp"

namespace earshot {
namespace {

// Each layer and ear its own random stream, apart from the ears' models' own seeds (support/seed.hpp).
std::uint64_t layer_seed(unsigned scene_seed, std::uint64_t kind, std::size_t layer, int ear) {
  return derive_seed(scene_seed, {kind, layer, std::uint64_t(ear)});
}

double perspective_at(const SceneSpec& spec, const TimelinePoint& p) {
  const double a = spec.keyframes[p.from].perspective, b = spec.keyframes[p.to].perspective;
  return a + p.progress * (b - a);
}

}  // namespace

void SceneRenderer::prepare(std::shared_ptr<const ScenePlan> plan) {
  plan_ = std::move(plan);
  const ScenePlan& p = *plan_;
  const double fs = p.spec.sample_rate_hz;
  for (int e = 0; e < 2; ++e) {
    Ear& ear = ears_[e];
    const SceneEarTrack& track = p.ears[e];
    ear.processors.clear();
    ear.processors.resize(track.processors.size());
    ear.buffers.assign(track.processors.size(), std::vector<float>(kBlock, 0.0f));
    for (std::size_t j = 0; j < track.processors.size(); ++j) {
      // Jitter seed as the engine's, so a held state renders as a static render would.
      ear.processors[j].prepare(track.states[track.processors[j].first_keyframe], p.processor_latency_frames,
                                derive_seed(p.spec.seed, {kSeedEar, std::uint64_t(e), kSeedJitter}));
    }
    ear.listener.assign(kBlock, 0.0f);
    ear.layers.assign(kBlock, 0.0f);
    ear.room.assign(kBlock, 0.0f);
    ear.room_delay.prepare(p.latency_frames);
    ear.character.reset();
    int character_latency = 0;
    for (const auto& layer : p.spec.characters) {
      if (!includes(layer.ears, e)) continue;
      ear.character = std::make_unique<ImplantCharacter>();
      ear.character->prepare(layer.params, fs);
      character_latency = ear.character->latency_frames();
    }
    ear.character_pad.prepare(p.character_latency_frames - character_latency);
    ear.tinnitus.assign(p.spec.tinnitus.size(), TinnitusGenerator{});
    for (std::size_t i = 0; i < p.spec.tinnitus.size(); ++i) {
      ear.tinnitus[i].prepare(p.spec.tinnitus[i].params, fs, p.spec.calibration_db_spl, layer_seed(p.spec.seed, kSeedTinnitus, i, e));
    }
    ear.maskers.assign(p.spec.maskers.size(), MaskerGenerator{});
    for (std::size_t i = 0; i < p.spec.maskers.size(); ++i) {
      ear.maskers[i].prepare(p.spec.maskers[i].params, fs, p.spec.calibration_db_spl, layer_seed(p.spec.seed, kSeedMasker, i, e));
    }
  }
  layer_scratch_.assign(kBlock, 0.0f);
  heard_.assign(kBlock, TimelinePoint{});
  mixed_.assign(kBlock, TimelinePoint{});
  reset();
}

void SceneRenderer::reset() noexcept {
  for (auto& ear : ears_) {
    for (auto& proc : ear.processors) proc.reset();
    ear.room_delay.reset();
    ear.character_pad.reset();
    if (ear.character) ear.character->reset();
    for (auto& t : ear.tinnitus) t.reset();
    for (auto& m : ear.maskers) m.reset();
  }
  position_ = 0;
}

void SceneRenderer::process(const std::array<const float*, 2>& in, const SceneOutputs& out, int frames) noexcept {
  const ScopedFlushDenormals flush_denormals;
  // Pieces end on a fixed grid of kBlock timeline frames, and everything that moves per block is
  // taken from the grid block, so the output does not depend on the host's block size.
  for (int offset = 0; offset < frames;) {
    const int n = std::min(kBlock - static_cast<int>(position_ % kBlock), frames - offset);
    process_block(in, out, offset, n);
    offset += n;
  }
}

bool SceneRenderer::progress_matters(const TimelinePoint& q) const noexcept {
  const ScenePlan& p = *plan_;
  if (q.from == q.to) return false;
  if (p.spec.keyframes[q.from].perspective != p.spec.keyframes[q.to].perspective) return true;
  for (const auto& track : p.ears) {
    if (track.processor[q.from] != track.processor[q.to]) return true;
  }
  return false;
}

void SceneRenderer::timeline_points(std::int64_t first_frame, int n, TimelinePoint* points) const noexcept {
  const ScenePlan& p = *plan_;
  // Within one keyframe's hold or move (the ends agree), the frames between do too. The progress
  // through a move is read per frame only where it weighs something per frame: a perspective
  // that changes, or a crossfade between processors. Elsewhere the listener and the perspective
  // take nothing from it (a weight times no difference), so the block's first point stands for all.
  const TimelinePoint first = p.at(first_frame), last = p.at(first_frame + n - 1);
  if (first.from == last.from && first.to == last.to && !progress_matters(first)) {
    std::fill(points, points + n, first);
    return;
  }
  for (int i = 0; i < n; ++i) points[i] = p.at(first_frame + i);
}

void SceneRenderer::process_block(const std::array<const float*, 2>& in, const SceneOutputs& out, int offset, int n) noexcept {
  const ScenePlan& p = *plan_;
  const std::int64_t t_in = position_;
  const int processor_latency = p.processor_latency_frames, latency = p.latency_frames;
  // The timeline where the processors' output is (the combine) and where the final output is.
  timeline_points(t_in - processor_latency, n, heard_.data());
  timeline_points(t_in - latency, n, mixed_.data());
  // The states a processor renders move with the analysis frames it is computing now, whose sound
  // leaves about half its latency later. One value per grid block (see process()).
  const std::int64_t grid_start = t_in - t_in % kBlock;
  const TimelinePoint moving = p.at(grid_start + kBlock / 2 - processor_latency / 2);
  const std::size_t tinnitus_layers = p.spec.tinnitus.size();
  const std::int64_t out_frame = t_in - latency;

  for (int e = 0; e < 2; ++e) {
    Ear& ear = ears_[e];
    const SceneEarTrack& track = p.ears[e];
    const float* x = in[e] + offset;

    for (std::size_t j = 0; j < track.processors.size(); ++j) {
      const auto& span = track.processors[j];
      float* buffer = ear.buffers[j].data();
      // A processor runs for whole grid blocks, so when it starts does not depend on block sizes.
      if (!(span.begin_frame < grid_start + kBlock && grid_start < span.end_frame)) {
        std::fill(buffer, buffer + n, 0.0f);
        continue;
      }
      const int from = std::clamp(moving.from, span.first_keyframe, span.last_keyframe);
      const int to = std::clamp(moving.to, span.first_keyframe, span.last_keyframe);
      const EarPlan& a = *track.states[from];
      const EarPlan& b = *track.states[to];
      if (a.acoustic && !a.implant) ear.processors[j].set_blend(a, b, from == to ? 0.0f : static_cast<float>(moving.progress));
      ear.processors[j].process(x, buffer, n);
    }

    // The listener: one processor, or two crossfaded at equal power (their sounds are unrelated).
    float* listener = ear.listener.data();
    for (int i = 0; i < n; ++i) {
      const TimelinePoint& h = heard_[i];
      const int pa = track.processor[h.from], pb = track.processor[h.to];
      if (pa == pb) {
        listener[i] = ear.buffers[pa][i];
      } else {
        const double angle = 0.5 * std::numbers::pi * h.progress;
        listener[i] = static_cast<float>(std::cos(angle) * ear.buffers[pa][i] + std::sin(angle) * ear.buffers[pb][i]);
      }
    }
    if (ear.character) ear.character->process(listener, listener, n, t_in - processor_latency);
    ear.character_pad.process(listener, n);

    float* room = ear.room.data();
    std::copy(x, x + n, room);
    ear.room_delay.process(room, n);

    // Layers, each also kept as a stem if asked for.
    float* layers = ear.layers.data();
    std::fill(layers, layers + n, 0.0f);
    float* scratch = layer_scratch_.data();
    const std::size_t layer_count = tinnitus_layers + p.spec.maskers.size();
    for (std::size_t l = 0; l < layer_count; ++l) {
      const bool tinnitus = l < tinnitus_layers;
      const EarSelection ears = tinnitus ? p.spec.tinnitus[l].ears : p.spec.maskers[l - tinnitus_layers].ears;
      float* stem = l < out.layers.size() && out.layers[l][e] ? out.layers[l][e] + offset : nullptr;
      if (!includes(ears, e)) {
        if (stem) std::fill(stem, stem + n, 0.0f);
        continue;
      }
      if (tinnitus) {
        const auto& levels = p.tinnitus_level_db_spl[l][e];
        auto level_at = [&](std::int64_t frame) {
          const TimelinePoint q = p.at(frame);
          return levels[q.from] + q.progress * (levels[q.to] - levels[q.from]);
        };
        ear.tinnitus[l].process(scratch, n, out_frame, level_at);
      } else {
        ear.maskers[l - tinnitus_layers].process(scratch, n, out_frame);
      }
      for (int i = 0; i < n; ++i) layers[i] += scratch[i];
      if (stem) {
        for (int i = 0; i < n; ++i) stem[i] = static_cast<float>((1.0 - perspective_at(p.spec, mixed_[i])) * scratch[i]);
      }
    }

    // Perspective: the room's sound and the listener's (with what only the listener hears).
    float* mix = out.mix[e] + offset;
    float* room_out = out.room[e] ? out.room[e] + offset : nullptr;
    float* listener_out = out.listener[e] ? out.listener[e] + offset : nullptr;
    for (int i = 0; i < n; ++i) {
      const double share = perspective_at(p.spec, mixed_[i]);
      const double r = share * room[i], l = (1.0 - share) * listener[i], y = (1.0 - share) * layers[i];
      mix[i] = static_cast<float>(r + l + y);
      if (room_out) room_out[i] = static_cast<float>(r);
      if (listener_out) listener_out[i] = static_cast<float>(l);
    }
  }
  position_ += n;
}

void render_scene(std::shared_ptr<const ScenePlan> plan, const SceneInputPull& input, bool stems,
                  const std::function<void(const SceneOutputs& chunk, int frames)>& sink) {
  SceneRenderer renderer;
  renderer.prepare(plan);
  const std::int64_t frames = plan->frames;
  const int latency = renderer.latency_frames();
  constexpr int kChunk = 8192;
  auto buffers = [](std::array<std::vector<float>, 2>& a) {
    for (auto& v : a) v.assign(kChunk, 0.0f);
    return std::array<float*, 2>{a[0].data(), a[1].data()};
  };
  std::array<std::vector<float>, 2> in_chunk, mix, room, listener;
  std::vector<std::array<std::vector<float>, 2>> layers(stems ? renderer.layer_count() : 0);
  buffers(in_chunk);
  SceneOutputs out;
  out.mix = buffers(mix);
  if (stems) {
    out.room = buffers(room);
    out.listener = buffers(listener);
    for (auto& l : layers) out.layers.push_back(buffers(l));
  }
  // Input frame f (silence past the input's end) comes out as timeline frame f - latency: the
  // first `latency` frames out are dropped.
  auto feed = [&](std::int64_t start, int n) {
    const int taken = static_cast<int>(std::clamp<std::int64_t>(frames - start, 0, n));
    if (taken > 0) input({in_chunk[0].data(), in_chunk[1].data()}, taken);
    for (auto& ear : in_chunk) std::fill(ear.begin() + taken, ear.begin() + n, 0.0f);
    renderer.process({in_chunk[0].data(), in_chunk[1].data()}, out, n);
  };
  for (std::int64_t start = 0; start < latency; start += kChunk) feed(start, static_cast<int>(std::min<std::int64_t>(kChunk, latency - start)));
  for (std::int64_t start = latency; start < frames + latency; start += kChunk) {
    const int n = static_cast<int>(std::min<std::int64_t>(kChunk, frames + latency - start));
    feed(start, n);
    sink(out, n);
  }
}

void render_scene(std::shared_ptr<const ScenePlan> plan, const std::array<std::vector<float>, 2>& input, bool stems,
                  const std::function<void(const SceneOutputs& chunk, int frames)>& sink) {
  std::int64_t position = 0;
  auto from_memory = [&](const std::array<float*, 2>& ears, int n) {
    for (int e = 0; e < 2; ++e) {
      const auto& src = input[e];
      for (int i = 0; i < n; ++i) {
        const std::int64_t f = position + i;
        ears[e][i] = f < static_cast<std::int64_t>(src.size()) ? src[static_cast<std::size_t>(f)] : 0.0f;
      }
    }
    position += n;
  };
  render_scene(std::move(plan), from_memory, stems, sink);
}

SceneRender render_scene(std::shared_ptr<const ScenePlan> plan, const std::array<std::vector<float>, 2>& input, bool stems) {
  SceneRender result;
  render_scene(plan, input, stems, [&](const SceneOutputs& chunk, int n) {
    auto append = [&](std::array<std::vector<float>, 2>& to, const std::array<float*, 2>& from) {
      for (int e = 0; e < 2; ++e) to[e].insert(to[e].end(), from[e], from[e] + n);
    };
    append(result.mix, chunk.mix);
    if (stems) {
      append(result.room, chunk.room);
      append(result.listener, chunk.listener);
      result.layers.resize(chunk.layers.size());
      for (std::size_t l = 0; l < chunk.layers.size(); ++l) append(result.layers[l], chunk.layers[l]);
    }
  });
  return result;
}

}  // namespace earshot
