#pragma once
// The engine: per-ear processor graph for a listener (acoustic, implant or both; see
// EarProcessor), with input channels mapped to ears and every ear aligned to one latency.
//   mono input, ears alike     -> one output channel (the common ear)
//   mono input, ears differ    -> two output channels, the same sound at both ears
//   stereo input               -> left channel to the left ear, right to the right
// unless the host fixes the output channels (EngineSpec::output_channels: plugins, live hosts).
// Configuration flows spec -> validate -> design (pure) -> EnginePlan (immutable) -> Engine.
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/ear_processor.hpp"

namespace earshot {

struct EngineSpec {
  Listener listener;
  HearingLossParams hearing;   // rate, field, calibration, smearing
  TemporalJitterParams jitter; // optional, after the hearing-loss model (off by default)
  int input_channels = 1;
  // 0: as the listener needs (above); 1 or 2: fixed by the host. One output needs ears alike.
  int output_channels = 0;
};

struct EnginePlan {
  int input_channels = 1;
  int output_channels = 1;
  std::vector<int> input_for_output;  // which input channel feeds each output channel (ear)
  std::vector<std::shared_ptr<const EarPlan>> ears;  // one per output channel
  Listener listener;
  HearingLossParams hearing;
  TemporalJitterParams jitter;
  int latency_frames = 0;      // the slowest ear's; every ear is delayed to it
};

SpecErrors validate(const EngineSpec& spec);
// With `designs`, each ear's hearing-loss design comes from that cache (hearing_loss_design_cache.hpp:
// the same plan, designed once for the renders of a batch that share a listener and rate).
Result<EnginePlan> design_engine(const EngineSpec& spec, HearingLossDesignCache* designs = nullptr);

// The temporal-jitter noise seed of output `ear` (each ear its own: phase locking degrades
// independently in the two ears).
std::uint64_t jitter_seed(const EnginePlan& plan, int ear);

// Offline: the whole input through a fresh engine, latency removed, outputs as long as the input.
// Allocates; for analyses and reports (the CLI's render streams instead). threads > 1 (or 0: the
// cores) renders the ears side by side (ThreadedEngine), with the same output.
std::vector<std::vector<float>> render_offline(std::shared_ptr<const EnginePlan> plan,
                                               const std::vector<std::vector<float>>& input_channels, int threads = 1);

class Engine {
 public:
  void prepare(std::shared_ptr<const EnginePlan> plan);  // may allocate
  void reset() noexcept;
  // in: input_channels pointers; out: output_channels pointers; frames any count; outputs may
  // alias inputs (in place). Never allocates. The output does not depend on how the frames are
  // split into calls.
  void process(const float* const* in, float* const* out, int frames) noexcept;
  int latency_frames() const noexcept { return plan_ ? plan_->latency_frames : 0; }
  const EnginePlan& plan() const noexcept { return *plan_; }

 private:
  static constexpr int kChunkFrames = 1024;  // inputs are copied this many frames at a time (in place)

  std::shared_ptr<const EnginePlan> plan_;
  std::vector<EarProcessor> ears_;
  std::vector<std::vector<float>> input_copy_;  // per input channel, kChunkFrames
};

}  // namespace earshot
