#include "engine/ear_processor.hpp"

#include <algorithm>

namespace earshot {

Result<EarPlan> design_ear(const EarProfile& ear, const HearingLossParams& hearing, const TemporalJitterParams& jitter,
                           std::uint64_t seed, HearingLossDesignCache* designs, bool implant_carrier_tables) {
  EarPlan plan;
  plan.sample_rate_hz = hearing.sample_rate_hz;
  plan.jitter = jitter;
  SpecErrors errors;
  if (ear.hears_acoustically()) {
    HearingLossParams params = hearing;
    params.seed = seed;
    auto acoustic = designs ? designs->design(params, ear) : design_hearing_loss(params, ear);
    if (!acoustic) return acoustic.errors();
    plan.acoustic = std::make_shared<const HearingLossPlan>(std::move(acoustic).value());
    plan.acoustic_latency_frames = plan.acoustic->latency_frames + temporal_jitter_latency_frames(jitter, hearing.sample_rate_hz);
    if (ear.aid) plan = aided_plan(std::move(plan), *ear.aid, ear.air_db_hl, hearing.calibration_db_spl);
  }
  if (ear.implant) {
    auto implant = design_implant(*ear.implant, {hearing.sample_rate_hz, hearing.calibration_db_spl, seed, implant_carrier_tables});
    if (!implant) {
      for (const auto& e : implant.errors()) errors.push_back({e.field.empty() ? "implant" : "implant." + e.field, e.message});
      return errors;
    }
    plan.implant = std::make_shared<const ImplantPlan>(std::move(implant).value());
    plan.implant_latency_frames = plan.implant->latency_frames;
    plan.crossover_hz = ear.implant->acoustic_crossover_hz;
  }
  return plan;
}

EarPlan aided_plan(EarPlan plan, const AidSettings& aid, const Audiogram& air_db_hl, double calibration_db_spl) {
  plan.aid = std::make_shared<const HearingAidPlan>(design_hearing_aid(aid, air_db_hl, plan.sample_rate_hz, calibration_db_spl));
  plan.acoustic_latency_frames += plan.aid->latency_frames;
  return plan;
}

bool morphable(const EarPlan& a, const EarPlan& b) {
  return a.acoustic && b.acoustic && !a.implant && !b.implant && same_layout(*a.acoustic, *b.acoustic) &&
         a.jitter.rms_ms == b.jitter.rms_ms && a.jitter.bandwidth_hz == b.jitter.bandwidth_hz &&
         a.jitter.cutoff_hz == b.jitter.cutoff_hz && a.acoustic_latency_frames == b.acoustic_latency_frames &&
         // The blend is inside the hearing-loss model; an aid in front of it must be the same one.
         (a.aid == nullptr) == (b.aid == nullptr) && (!a.aid || (a.aid->equaliser_taps == b.aid->equaliser_taps && a.aid->settings == b.aid->settings));
}

void EarProcessor::set_blend(const EarPlan& from, const EarPlan& to, float alpha) noexcept {
  acoustic_.set_blend(from.acoustic.get(), to.acoustic.get(), alpha);
}

void EarProcessor::prepare(std::shared_ptr<const EarPlan> plan, int latency_frames, std::uint64_t jitter_seed) {
  plan_ = std::move(plan);
  const EarPlan& p = *plan_;
  if (p.acoustic) {
    acoustic_.prepare(p.acoustic);
    if (p.aid) aid_.prepare(p.aid);
    jitter_.prepare(p.jitter, p.sample_rate_hz, jitter_seed);
    acoustic_delay_.prepare(latency_frames - p.acoustic_latency_frames);
    acoustic_buffer_.assign(kBlock, 0.0f);
  }
  if (p.implant) {
    implant_.prepare(p.implant);
    implant_delay_.prepare(latency_frames - p.implant_latency_frames);
    implant_buffer_.assign(kBlock, 0.0f);
  }
  // EAS: the acoustic path hears the low frequencies only (fourth-order Butterworth low-pass).
  if (p.acoustic && p.implant) {
    crossover_[0] = butterworth_lowpass2(p.crossover_hz, p.sample_rate_hz);
    crossover_[1] = crossover_[0];
  }
  reset();
}

void EarProcessor::reset() noexcept {
  if (plan_->acoustic) {
    acoustic_.reset();
    jitter_.reset();
    if (plan_->aid) aid_.reset();
  }
  if (plan_->implant) implant_.reset();
  for (auto& s : crossover_) s.reset();
  acoustic_delay_.reset();
  implant_delay_.reset();
}

void EarProcessor::process(const float* in, float* out, int frames) noexcept {
  const EarPlan& p = *plan_;
  for (int done = 0; done < frames;) {
    const int n = std::min(kBlock, frames - done);
    const float* x = in + done;
    float* y = out + done;
    if (p.acoustic) {
      float* a = acoustic_buffer_.data();
      if (p.implant) {
        for (int i = 0; i < n; ++i) a[i] = static_cast<float>(crossover_[1].step(crossover_[0].step(x[i])));
      } else {
        std::copy(x, x + n, a);
      }
      if (p.aid) aid_.process(a, a, n);
      acoustic_.process(a, a, n);
      jitter_.process(a, a, n);
      acoustic_delay_.process(a, n);
    }
    if (p.implant) {
      float* e = implant_buffer_.data();
      implant_.process(x, e, n);
      implant_delay_.process(e, n);
    }
    // Written last: in may equal out. The flags in locals and the buffers through their own
    // pointers, so that the loop vectorises (y might alias p or the vectors' members otherwise).
    const bool acoustic = p.acoustic != nullptr, implant = p.implant != nullptr;
    const float* a = acoustic_buffer_.data();
    const float* e = implant_buffer_.data();
    for (int i = 0; i < n; ++i) y[i] = (acoustic ? a[i] : 0.0f) + (implant ? e[i] : 0.0f);
    done += n;
  }
}

}  // namespace earshot
