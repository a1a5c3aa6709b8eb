#include "engine/engine.hpp"

#include <algorithm>
#include <string>

#include "dsp/denormals.hpp"
#include "engine/threaded_engine.hpp"
#include "support/seed.hpp"

namespace earshot {

SpecErrors validate(const EngineSpec& spec) {
  SpecErrors errors = validate(spec.listener);
  for (auto& e : validate(spec.hearing)) errors.push_back(std::move(e));
  for (auto& e : validate(spec.jitter, spec.hearing.sample_rate_hz)) errors.push_back(std::move(e));
  if (spec.input_channels < 1 || spec.input_channels > 2) {
    errors.push_back({"input_channels", std::to_string(spec.input_channels) +
                                            " channels cannot be mapped to a listener's two ears: give a mono "
                                            "file (both ears) or a stereo file (left, right)"});
  }
  if (spec.output_channels < 0 || spec.output_channels > 2) {
    errors.push_back({"output_channels", std::to_string(spec.output_channels) +
                                             " output channels: give 1 (ears alike) or 2 (left, right), or 0 for "
                                             "as many as the listener needs"});
  } else if (spec.output_channels == 1 && (spec.input_channels == 2 || !spec.listener.symmetric())) {
    errors.push_back({"output_channels", spec.input_channels == 2
                                             ? "one output channel cannot carry a stereo input's two ears: give 2"
                                             : "one output channel cannot carry a listener whose ears differ: give 2"});
  }
  return errors;
}

Result<EnginePlan> design_engine(const EngineSpec& spec, HearingLossDesignCache* designs) {
  SpecErrors errors = validate(spec);
  if (!errors.empty()) return errors;
  EnginePlan plan;
  plan.listener = spec.listener;
  plan.hearing = spec.hearing;
  plan.jitter = spec.jitter;
  plan.input_channels = spec.input_channels;
  const bool one_ear = spec.input_channels == 1 && spec.listener.symmetric();
  plan.output_channels = spec.output_channels != 0 ? spec.output_channels : one_ear ? 1 : 2;
  const EarProfile* ears[2] = {&spec.listener.left, &spec.listener.right};
  for (int c = 0; c < plan.output_channels; ++c) {
    // Each ear its own random phases.
    auto ear = design_ear(*ears[c], spec.hearing, spec.jitter, derive_seed(spec.hearing.seed, {kSeedEar, std::uint64_t(c)}), designs);
    if (!ear) {
      for (const auto& e : ear.errors()) errors.push_back({std::string(ear_name(c)) + "." + e.field, e.message});
      continue;
    }
    plan.ears.push_back(std::make_shared<const EarPlan>(std::move(ear).value()));
    plan.input_for_output.push_back(spec.input_channels == 1 ? 0 : c);
  }
  if (!errors.empty()) return errors;
  for (const auto& ear : plan.ears) plan.latency_frames = std::max(plan.latency_frames, ear->latency_frames());
  return plan;
}

std::vector<std::vector<float>> render_offline(std::shared_ptr<const EnginePlan> plan,
                                               const std::vector<std::vector<float>>& input, int threads) {
  ThreadedEngine engine;
  engine.prepare(std::move(plan), threads);
  const int latency = engine.latency_frames();
  const std::size_t frames = input.front().size();
  std::vector<std::vector<float>> padded(input.size()), out(engine.plan().output_channels);
  std::vector<const float*> in_ptr;
  std::vector<float*> out_ptr;
  for (std::size_t c = 0; c < input.size(); ++c) {
    padded[c] = input[c];
    padded[c].resize(frames + latency, 0.0f);
    in_ptr.push_back(padded[c].data());
  }
  for (auto& o : out) {
    o.assign(frames + latency, 0.0f);
    out_ptr.push_back(o.data());
  }
  engine.process(in_ptr.data(), out_ptr.data(), static_cast<int>(frames + latency));
  for (auto& o : out) o.erase(o.begin(), o.begin() + latency);
  return out;
}

std::uint64_t jitter_seed(const EnginePlan& plan, int ear) {
  return derive_seed(plan.hearing.seed, {kSeedEar, static_cast<std::uint64_t>(ear), kSeedJitter});
}

void Engine::prepare(std::shared_ptr<const EnginePlan> plan) {
  plan_ = std::move(plan);
  ears_.clear();
  ears_.resize(plan_->ears.size());
  for (std::size_t c = 0; c < ears_.size(); ++c) {
    ears_[c].prepare(plan_->ears[c], plan_->latency_frames, jitter_seed(*plan_, static_cast<int>(c)));
  }
  input_copy_.assign(static_cast<std::size_t>(plan_->input_channels), std::vector<float>(kChunkFrames, 0.0f));
}

void Engine::reset() noexcept {
  for (auto& e : ears_) e.reset();
}

void Engine::process(const float* const* in, float* const* out, int frames) noexcept {
  const ScopedFlushDenormals flush_denormals;
  // The input is copied first: a host may pass out[0] == in[0], and with a mono input both ears
  // read that channel, so the first ear's output must not become the second ear's input.
  for (int done = 0; done < frames;) {
    const int n = std::min(kChunkFrames, frames - done);
    for (std::size_t c = 0; c < input_copy_.size(); ++c) std::copy(in[c] + done, in[c] + done + n, input_copy_[c].data());
    for (std::size_t c = 0; c < ears_.size(); ++c) {
      ears_[c].process(input_copy_[static_cast<std::size_t>(plan_->input_for_output[c])].data(), out[c] + done, n);
    }
    done += n;
  }
}

}  // namespace earshot
