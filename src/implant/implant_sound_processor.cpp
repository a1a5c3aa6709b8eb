#include "implant/implant_sound_processor.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/real_fft.hpp"

namespace earshot {

ImplantSoundProcessor::ImplantSoundProcessor() = default;
ImplantSoundProcessor::~ImplantSoundProcessor() = default;
ImplantSoundProcessor::ImplantSoundProcessor(ImplantSoundProcessor&&) noexcept = default;
ImplantSoundProcessor& ImplantSoundProcessor::operator=(ImplantSoundProcessor&&) noexcept = default;

void ImplantSoundProcessor::prepare(std::shared_ptr<const ImplantPlan> plan) {
  plan_ = std::move(plan);
  const ImplantPlan& p = *plan_;
  const int bands = static_cast<int>(p.electrodes.size());
  scratch_.assign(static_cast<std::size_t>(std::ceil(p.frames_per_stimulation_frame)) + 2, 0.0f);
  if (p.map.strategy == ImplantStrategy::ace) {
    fft_ = std::make_unique<RealFft>(p.fft_size);
    history_.assign(2 * static_cast<std::size_t>(p.fft_size), 0.0f);
  } else {
    bank_.prepare(p);
  }
  envelopes_.assign(bands, 0.0f);
  order_.resize(bands);
  pulses_.resize(bands);
  reset();
}

void ImplantSoundProcessor::reset() noexcept {
  const ImplantPlan& p = *plan_;
  clock_ = 0;
  frame_index_ = 0;
  next_clock_ = p.frame_clock(1);
  pre_emphasis_ = p.pre_emphasis_filter;
  pre_emphasis_.reset();
  agc_envelope_ = 0.0f;
  std::fill(history_.begin(), history_.end(), 0.0f);
  history_pos_ = 0;
  bank_.reset();
  std::fill(envelopes_.begin(), envelopes_.end(), 0.0f);
}

void ImplantSoundProcessor::push(const float* in, int frames) noexcept {
  const ImplantPlan& p = *plan_;
  float* x = scratch_.data();
  // Front end: pre-emphasis, then a peak-following limiter (no gain change below the knee).
  for (int i = 0; i < frames; ++i) {
    float v = in[i];
    if (p.pre_emphasis) v = static_cast<float>(pre_emphasis_.step(v));
    if (p.map.agc) {
      const float a = std::abs(v);
      const float coeff = a > agc_envelope_ ? p.agc_attack : p.agc_release;
      agc_envelope_ = coeff * agc_envelope_ + (1.0f - coeff) * a;
      if (agc_envelope_ > p.agc_knee) v *= p.agc_knee / agc_envelope_;
    }
    x[i] = v;
  }
  if (p.map.strategy == ImplantStrategy::ace) {
    const int n = p.fft_size;
    for (int i = 0; i < frames; ++i) {
      history_[history_pos_] = history_[history_pos_ + n] = x[i];
      if (++history_pos_ == n) history_pos_ = 0;
    }
  } else {
    bank_.push(x, frames);
  }
  clock_ += frames;
}

void ImplantSoundProcessor::analyse_fft() noexcept {
  const ImplantPlan& p = *plan_;
  RealFft& f = *fft_;
  const float* h = history_.data() + history_pos_;
  float* time = f.time();
  for (int i = 0; i < f.size(); ++i) time[i] = p.window[i] * h[i];
  f.forward();
  const RealFft::Bin* spec = f.spectrum();
  for (std::size_t b = 0; b < p.band_bins.size(); ++b) {
    const auto& bb = p.band_bins[b];
    double power = 0.0;
    for (std::size_t j = 0; j < bb.weights.size(); ++j) {
      const auto& c = spec[bb.first_bin + j];
      power += bb.weights[j] * (double(c[0]) * c[0] + double(c[1]) * c[1]);
    }
    envelopes_[b] = static_cast<float>(std::sqrt(power));
  }
}

void ImplantSoundProcessor::select_and_map() noexcept {
  const ImplantPlan& p = *plan_;
  const int bands = static_cast<int>(envelopes_.size());
  for (int b = 0; b < bands; ++b) order_[b] = b;
  int chosen = bands;
  if (p.map.maxima < bands) {
    // n-of-m: the n largest envelopes this frame; ties go to the more apical band.
    std::nth_element(order_.begin(), order_.begin() + p.map.maxima, order_.end(), [&](int a, int b) {
      return envelopes_[a] > envelopes_[b] || (envelopes_[a] == envelopes_[b] && a < b);
    });
    chosen = p.map.maxima;
  }
  // Delivered basal to apical, one after another.
  std::sort(order_.begin(), order_.begin() + chosen, [](int a, int b) { return a > b; });
  int count = 0;
  for (int j = 0; j < chosen; ++j) {
    const int b = order_[j];
    const double proportion = p.loudness.proportion(envelopes_[b]);
    if (proportion < 0.0) continue;  // below the base level: no pulse
    const auto& e = p.electrodes[b];
    StimulationPulse& pulse = pulses_[count];
    pulse.electrode = b;
    pulse.current_ua = static_cast<float>(e.current_ua(proportion));
    pulse.offset_frames = static_cast<float>(count * p.pulse_slot_frames);
    ++count;
  }
  frame_.pulse_count = count;
}

const StimulationFrame& ImplantSoundProcessor::analyse() noexcept {
  const ImplantPlan& p = *plan_;
  if (p.map.strategy == ImplantStrategy::ace) {
    analyse_fft();
  } else {
    for (std::size_t b = 0; b < envelopes_.size(); ++b) envelopes_[b] = static_cast<float>(bank_.detector(static_cast<int>(b)) * p.envelope_scale);
  }
  select_and_map();
  frame_.index = frame_index_;
  frame_.time_frames = clock_ - p.analysis_delay_frames;
  frame_.pulses = pulses_.data();
  frame_.envelopes = envelopes_.data();
  ++frame_index_;
  next_clock_ = p.frame_clock(frame_index_ + 1);
  return frame_;
}

}  // namespace earshot
