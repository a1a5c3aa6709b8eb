#pragma once
// One ear of the engine: acoustic hearing (the hearing-loss model, optional temporal jitter),
// electric hearing (a cochlear implant), or both (EAS: acoustic below the map's crossover,
// electric above), each path delayed so the ear's output has exactly the engine's latency.
// prepare() allocates; process() never allocates, locks or throws.
#include <memory>
#include <vector>

#include "core/butterworth.hpp"
#include "core/hearing_loss_design.hpp"
#include "core/hearing_loss_processor.hpp"
#include "core/implant_design.hpp"
#include "core/implant_processor.hpp"
#include "core/temporal_jitter.hpp"

namespace earshot {

struct EarPlan {
  std::shared_ptr<const HearingLossPlan> acoustic;  // null: no acoustic hearing
  std::shared_ptr<const ImplantPlan> implant;       // null: no implant
  TemporalJitterParams jitter;                      // on the acoustic path
  double sample_rate_hz = 0.0;
  double crossover_hz = 0.0;                        // EAS: acoustic path low-passed here
  int acoustic_latency_frames = 0;                  // hearing-loss model + jitter
  int implant_latency_frames = 0;
  int latency_frames() const { return std::max(acoustic ? acoustic_latency_frames : 0, implant ? implant_latency_frames : 0); }
};

// `seed` differs per ear (each ear its own random phases).
Result<EarPlan> design_ear(const EarProfile& ear, const HearingLossParams& hearing, const TemporalJitterParams& jitter,
                           unsigned seed);

class EarProcessor {
 public:
  // Output delayed to `latency_frames` (at least plan.latency_frames()).
  void prepare(std::shared_ptr<const EarPlan> plan, int latency_frames, unsigned jitter_seed);
  void reset() noexcept;
  void process(const float* in, float* out, int frames) noexcept;  // in may equal out

 private:
  static constexpr int kBlock = 1024;
  struct Delay {
    std::vector<float> line;
    int delay = 0, pos = 0;
    void prepare(int frames);
    void reset() noexcept;
    void process(float* x, int n) noexcept;
  };

  std::shared_ptr<const EarPlan> plan_;
  HearingLossProcessor acoustic_;
  TemporalJitter jitter_;
  ImplantProcessor implant_;
  Biquad crossover_[2];
  Delay acoustic_delay_, implant_delay_;
  std::vector<float> acoustic_buffer_, implant_buffer_;
};

}  // namespace earshot
