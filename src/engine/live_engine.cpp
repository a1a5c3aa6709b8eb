#include "engine/live_engine.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "dsp/denormals.hpp"
#include "model/implant_presets.hpp"

namespace earshot {

// The audio thread never locks: its counters must be lock-free atomics.
static_assert(std::atomic<std::int64_t>::is_always_lock_free);

struct LiveEngine::State {
  std::shared_ptr<const EnginePlan> plan;
  std::array<std::unique_ptr<EarProcessor>, 2> ears;  // one per output channel, at the engine's latency
  std::int64_t move_frames = 1;                         // how long the move into this state takes
};

namespace {

constexpr int kChunkFrames = 256;        // the audio thread works in chunks of at most this many frames
constexpr int kParameterFrames = 32;     // a move's share is updated this often (0.7 ms at 44.1 kHz)
constexpr double kShortestMoveS = 0.005; // even a "sudden" change is a 5 ms move: no click

EngineSpec engine_spec(const LiveEngineSpec& spec, const Listener& listener) {
  EngineSpec e;
  e.listener = listener;
  e.hearing = spec.hearing;
  e.jitter = spec.jitter;
  e.input_channels = spec.input_channels;
  e.output_channels = spec.output_channels;
  return e;
}

// A designed listener with its ear processors prepared, at the engine's fixed latency.
Result<std::unique_ptr<LiveEngine::State>> design_state(const LiveEngineSpec& spec, const Listener& listener,
                                                        int latency_frames) {
  auto plan = design_engine(engine_spec(spec, listener));
  if (!plan) return plan.errors();
  if (plan.value().latency_frames > latency_frames) {
    return SpecErrors{{"listener", "needs " + std::to_string(plan.value().latency_frames) +
                                       " frames of latency, more than the " + std::to_string(latency_frames) +
                                       " this engine was prepared with (a hearing aid, or a custom implant map with a slower "
                                       "analysis): prepare the engine with this listener, or with room for an aid"}};
  }
  auto state = std::make_unique<LiveEngine::State>();
  state->plan = std::make_shared<const EnginePlan>(std::move(plan).value());
  for (int e = 0; e < state->plan->output_channels; ++e) {
    state->ears[e] = std::make_unique<EarProcessor>();
    state->ears[e]->prepare(state->plan->ears[e], latency_frames, jitter_seed(*state->plan, e));
  }
  return state;
}

}  // namespace

SpecErrors validate(const LiveEngineSpec& spec) {
  SpecErrors errors = validate(spec.hearing);
  for (auto& e : validate(spec.jitter, spec.hearing.sample_rate_hz)) errors.push_back(std::move(e));
  if (spec.input_channels < 1 || spec.input_channels > 2) {
    errors.push_back({"input_channels", std::to_string(spec.input_channels) + " input channels: give 1 or 2"});
  }
  if (spec.output_channels < 1 || spec.output_channels > 2) {
    errors.push_back({"output_channels", std::to_string(spec.output_channels) + " output channels: give 1 or 2"});
  }
  return errors;
}

int live_latency_frames(const LiveEngineSpec& spec) {
  // Every listener's latency is its slowest path: the acoustic model (the same for any audiogram
  // at this rate and window) or an implant's analysis. Take the most of normal hearing and every
  // device preset, each designed as the engine would design it.
  std::vector<Listener> candidates{Listener{normal_ear(), normal_ear()}};
  for (const auto& preset : listed_implant_presets()) {
    Listener l;
    l.left.implant = preset.map;
    l.left.air_db_hl = preset.residual_hearing_db_hl;
    l.right = l.left;
    candidates.push_back(l);
  }
  if (spec.room_for_aid) {
    // The slowest aid: noise reduction in front of the compressor (their delays add). An aid's
    // delay does not depend on the audiogram it is fitted to (fixed filter and window lengths).
    AidSettings slowest(PrescriptionRule::nal_r);
    slowest.compression = true;
    slowest.noise_reduction = true;
    Listener l{normal_ear(), normal_ear()};
    l.left.aid = slowest;
    l.right.aid = slowest;
    candidates.push_back(l);
  }
  // An engine's latency is its slowest ear's (design_engine); each candidate's ears are alike. The
  // implants are designed without their carrier tables (1.1 s of CPU at 48 kHz for all presets):
  // only their timing counts here.
  int latency = 0;
  for (const auto& listener : candidates) {
    if (auto ear = design_ear(listener.left, spec.hearing, spec.jitter, 1, nullptr, false)) {
      latency = std::max(latency, ear.value().latency_frames());
    }
  }
  return latency;
}

LiveEngine::LiveEngine() = default;

LiveEngine::~LiveEngine() {
  delete pending_.exchange(nullptr);
  delete retired_.exchange(nullptr);
  delete active_;
  delete incoming_;
}

SpecErrors LiveEngine::prepare(const LiveEngineSpec& spec, const Listener& listener) {
  SpecErrors errors = validate(spec);
  if (!errors.empty()) return errors;
  // The most any listener may need, or this one's if it needs more (an aid, a slower custom map).
  int latency = live_latency_frames(spec);
  if (auto plan = design_engine(engine_spec(spec, listener))) latency = std::max(latency, plan.value().latency_frames);
  auto state = design_state(spec, listener, latency);
  if (!state) return state.errors();
  delete pending_.exchange(nullptr);
  delete retired_.exchange(nullptr);
  delete active_;
  delete incoming_;
  incoming_ = nullptr;
  spec_ = spec;
  latency_frames_ = latency;
  active_ = std::move(state).value().release();
  for (int c = 0; c < 2; ++c) {
    scratch_in_[c] = std::make_unique<float[]>(kChunkFrames);
    scratch_a_[c] = std::make_unique<float[]>(kChunkFrames);
    scratch_b_[c] = std::make_unique<float[]>(kChunkFrames);
  }
  move_frames_ = move_done_ = 0;
  moving_.store(false);
  frames_processed_.store(0, std::memory_order_release);
  last_change_frame_.store(-1, std::memory_order_release);
  return {};
}

SpecErrors LiveEngine::set_listener(const Listener& listener, double move_s) {
  collect_retired();
  if (!active_) return {{"engine", "not prepared: call prepare first"}};
  if (!(move_s >= 0.0 && move_s <= 3600.0)) {
    return {{"move_s", format_number(move_s) + " s is outside 0..3600 s"}};
  }
  auto designed = design_state(spec_, listener, latency_frames_);
  if (!designed) return designed.errors();
  State* state = std::move(designed).value().release();
  // The move's length travels with the state: the audio thread reads it when it takes the state.
  state->move_frames =
      std::max<std::int64_t>(std::llround(std::max(move_s, kShortestMoveS) * spec_.hearing.sample_rate_hz), 1);
  delete pending_.exchange(state, std::memory_order_acq_rel);  // a change not yet taken is replaced
  return {};
}

void LiveEngine::collect_retired() noexcept { delete retired_.exchange(nullptr, std::memory_order_acq_rel); }

bool LiveEngine::changing() const noexcept {
  return pending_.load(std::memory_order_acquire) != nullptr || moving_.load(std::memory_order_acquire);
}

void LiveEngine::reset() noexcept {
  if (incoming_) finish_move();
  if (active_) {
    for (auto& ear : active_->ears) {
      if (ear) ear->reset();
    }
  }
}

void LiveEngine::take_pending() noexcept {
  // A new state is taken only when no move is running and the retired slot is free, so the audio
  // thread never has to free anything or keep a list.
  if (incoming_ || retired_.load(std::memory_order_acquire) != nullptr) return;
  State* next = pending_.exchange(nullptr, std::memory_order_acq_rel);
  if (!next) return;
  incoming_ = next;
  move_frames_ = next->move_frames;
  move_done_ = 0;
  for (int e = 0; e < spec_.output_channels; ++e) {
    blend_ear_[e] = morphable(*active_->plan->ears[e], *incoming_->plan->ears[e]);
  }
  last_change_frame_.store(frames_processed_.load(std::memory_order_relaxed), std::memory_order_release);
  moving_.store(true, std::memory_order_release);
}

void LiveEngine::finish_move() noexcept {
  for (int e = 0; e < spec_.output_channels; ++e) {
    if (blend_ear_[e]) {
      // The processor that moved keeps going, now rendering the new state alone; the new state's
      // unused processor leaves with the old state.
      const EarPlan& to = *incoming_->plan->ears[e];
      active_->ears[e]->set_blend(to, to, 0.0f);
      std::swap(active_->ears[e], incoming_->ears[e]);
    }
  }
  State* old = active_;
  active_ = incoming_;
  incoming_ = nullptr;
  retired_.store(old, std::memory_order_release);  // the slot was free when the move began
  moving_.store(false, std::memory_order_release);
}

void LiveEngine::render(const float* const* in, float* const* out, int frames) noexcept {
  const EnginePlan& plan = *active_->plan;
  for (int c = 0; c < spec_.input_channels; ++c) std::copy(in[c], in[c] + frames, scratch_in_[c].get());
  for (int e = 0; e < spec_.output_channels; ++e) {
    const float* x = scratch_in_[plan.input_for_output[e]].get();
    if (!incoming_) {
      active_->ears[e]->process(x, out[e], frames);
      continue;
    }
    // The share of the new state over this piece: constant within kParameterFrames, as scenes do.
    const double share = std::min(1.0, double(move_done_ + frames) / double(move_frames_));
    if (blend_ear_[e]) {
      active_->ears[e]->set_blend(*plan.ears[e], *incoming_->plan->ears[e], static_cast<float>(share));
      active_->ears[e]->process(x, out[e], frames);
      continue;
    }
    // Structural change: both processors run, crossfaded at equal power (their sounds are unrelated).
    float* a = scratch_a_[e].get();
    float* b = scratch_b_[e].get();
    active_->ears[e]->process(x, a, frames);
    incoming_->ears[e]->process(x, b, frames);
    float* y = out[e];
    for (int i = 0; i < frames; ++i) {
      const double u = std::min(1.0, double(move_done_ + i + 1) / double(move_frames_));
      const double angle = 0.5 * std::numbers::pi * u;
      y[i] = static_cast<float>(std::cos(angle) * a[i] + std::sin(angle) * b[i]);
    }
  }
  if (incoming_) {
    move_done_ += frames;
    if (move_done_ >= move_frames_) finish_move();
  }
}

void LiveEngine::process(const float* const* in, float* const* out, int frames) noexcept {
  if (!active_) return;
  const ScopedFlushDenormals flush_denormals;
  take_pending();
  for (int done = 0; done < frames;) {
    // Pieces end on the kParameterFrames grid of the move, so a move renders the same whatever
    // the host's block size.
    int n = std::min(kChunkFrames, frames - done);
    if (incoming_) n = std::min<int>(n, kParameterFrames - static_cast<int>(move_done_ % kParameterFrames));
    const float* in_piece[2] = {in[0] + done, spec_.input_channels > 1 ? in[1] + done : nullptr};
    float* out_piece[2] = {out[0] + done, spec_.output_channels > 1 ? out[1] + done : nullptr};
    render(in_piece, out_piece, n);
    done += n;
  }
  frames_processed_.store(frames_processed_.load(std::memory_order_relaxed) + frames, std::memory_order_release);
}

}  // namespace earshot
