#include "engine/aided_speech_and_noise.hpp"

#include <algorithm>
#include <memory>

#include "hearing_aid/hearing_aid_design.hpp"
#include "hearing_aid/hearing_aid_processor.hpp"

namespace earshot {
namespace {

// The whole signal through a fresh aid, its latency removed: the input followed by `latency`
// frames of silence flushes its end out, and the first `latency` output frames are dropped.
std::vector<float> through_aid(const std::shared_ptr<const HearingAidPlan>& plan, const std::vector<float>& x) {
  HearingAidProcessor aid;
  aid.prepare(plan);
  const std::size_t latency = static_cast<std::size_t>(plan->latency_frames);
  std::vector<float> padded(x.size() + latency, 0.0f);
  std::copy(x.begin(), x.end(), padded.begin());
  constexpr int kBlockFrames = 4096;
  for (std::size_t at = 0; at < padded.size(); at += kBlockFrames) {
    const int n = static_cast<int>(std::min<std::size_t>(kBlockFrames, padded.size() - at));
    aid.process(padded.data() + at, padded.data() + at, n);
  }
  return std::vector<float>(padded.begin() + static_cast<std::ptrdiff_t>(latency), padded.end());
}

}  // namespace

AidedSpeechAndNoise aided_speech_and_noise(const Listener& listener, const std::vector<std::vector<float>>& speech,
                                           const std::vector<std::vector<float>>& noise, double sample_rate_hz,
                                           double calibration_db_spl) {
  AidedSpeechAndNoise out;
  for (int ear = 0; ear < 2; ++ear) {
    const std::vector<float>& s = speech[std::min<std::size_t>(ear, speech.size() - 1)];
    const std::vector<float>* n = noise.empty() ? nullptr : &noise[std::min<std::size_t>(ear, noise.size() - 1)];
    const EarProfile& profile = listener.ear(ear);
    if (!profile.aid || profile.implant) {
      out.speech[ear] = s;
      if (n) out.noise[ear] = *n;
      continue;
    }
    const auto plan = std::make_shared<const HearingAidPlan>(
        design_hearing_aid(*profile.aid, profile.air_db_hl, sample_rate_hz, calibration_db_spl));
    if (!n) {
      out.speech[ear] = through_aid(plan, s);
      continue;
    }
    std::vector<float> sum(s.size()), difference(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      sum[i] = s[i] + (*n)[i];
      difference[i] = s[i] - (*n)[i];
    }
    const std::vector<float> a = through_aid(plan, sum), b = through_aid(plan, difference);
    out.speech[ear].resize(s.size());
    out.noise[ear].resize(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      out.speech[ear][i] = 0.5f * (a[i] + b[i]);
      out.noise[ear][i] = 0.5f * (a[i] - b[i]);
    }
  }
  return out;
}

Listener without_aids(Listener listener) {
  listener.left.aid.reset();
  listener.right.aid.reset();
  return listener;
}

bool has_aid(const Listener& listener) { return listener.left.aid.has_value() || listener.right.aid.has_value(); }

}  // namespace earshot
