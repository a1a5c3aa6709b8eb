#pragma once
// One ear of the engine: a hearing aid (optional, in front of the acoustic path), acoustic hearing (the hearing-loss model, optional temporal jitter),
// electric hearing (a cochlear implant), or both (EAS: acoustic below the map's crossover,
// electric above), each path delayed so the ear's output has exactly the engine's latency.
// prepare() allocates; process() never allocates, locks or throws.
#include <memory>
#include <vector>

#include "dsp/butterworth.hpp"
#include "dsp/delay_line.hpp"
#include "hearing_aid/hearing_aid_design.hpp"
#include "hearing_aid/hearing_aid_processor.hpp"
#include "hearing_loss/hearing_loss_design.hpp"
#include "hearing_loss/hearing_loss_design_cache.hpp"
#include "hearing_loss/hearing_loss_processor.hpp"
#include "implant/implant_design.hpp"
#include "implant/implant_processor.hpp"
#include "hearing_loss/temporal_jitter.hpp"

namespace earshot {

struct EarPlan {
  std::shared_ptr<const HearingLossPlan> acoustic;  // null: no acoustic hearing
  std::shared_ptr<const ImplantPlan> implant;       // null: no implant
  std::shared_ptr<const HearingAidPlan> aid;        // null: unaided; else in front of the acoustic path
  TemporalJitterParams jitter;                      // on the acoustic path
  double sample_rate_hz = 0.0;
  double crossover_hz = 0.0;                        // EAS: acoustic path low-passed here
  int acoustic_latency_frames = 0;                  // hearing aid + hearing-loss model + jitter
  int implant_latency_frames = 0;
  int latency_frames() const { return std::max(acoustic ? acoustic_latency_frames : 0, implant ? implant_latency_frames : 0); }
};

// `seed` is the ear's own, derive_seed(user seed, {kSeedEar, ear}) (support/seed.hpp).
// With `designs`, the hearing-loss design comes from that cache (the same plan, designed once for
// renders that share the ear and rate). Without `implant_carrier_tables`, an implant's plan has its
// timing but not its carriers (ImplantDesignParams::carrier_tables): a plan for its latency only.
Result<EarPlan> design_ear(const EarProfile& ear, const HearingLossParams& hearing, const TemporalJitterParams& jitter,
                           std::uint64_t seed, HearingLossDesignCache* designs = nullptr, bool implant_carrier_tables = true);

// An unaided plan that hears acoustically, with `aid` fitted to `air_db_hl` in front of its acoustic
// path: what design_ear gives for the ear wearing that aid (design_ear calls this). The hearing-loss
// and implant designs do not depend on the aid, so a front end that keeps an ear's unaided plan
// (the plugin's listener bank) adds an aid without designing them again.
EarPlan aided_plan(EarPlan plan, const AidSettings& aid, const Audiogram& air_db_hl, double calibration_db_spl);

// Two states of an ear that one processor can move between continuously (scenes): both purely
// acoustic, with the same analysis layout and temporal jitter. Anything else (acoustic <-> implant,
// one implant map to another) is a structural change, crossfaded between two processors.
bool morphable(const EarPlan& a, const EarPlan& b);

class EarProcessor {
 public:
  // Output delayed to `latency_frames` (at least plan.latency_frames()).
  void prepare(std::shared_ptr<const EarPlan> plan, int latency_frames, std::uint64_t jitter_seed);
  void reset() noexcept;
  void process(const float* in, float* out, int frames) noexcept;  // in may equal out
  // Render a mix of two morphable states (see HearingLossProcessor::set_blend); the plans must
  // outlive their use. Never allocates.
  void set_blend(const EarPlan& from, const EarPlan& to, float alpha) noexcept;

 private:
  static constexpr int kBlock = 1024;

  std::shared_ptr<const EarPlan> plan_;
  HearingAidProcessor aid_;
  HearingLossProcessor acoustic_;
  TemporalJitter jitter_;
  ImplantProcessor implant_;
  Biquad crossover_[2];
  DelayLine acoustic_delay_, implant_delay_;
  std::vector<float> acoustic_buffer_, implant_buffer_;
};

}  // namespace earshot
