#include "report/hearing_aid_indices.hpp"

#include <algorithm>
#include <cmath>

#include "engine/aided_speech_and_noise.hpp"
#include "metrics/haspi.hpp"
#include "metrics/hasqi.hpp"
#include "support/random_source.hpp"
#include "support/seed.hpp"

namespace earshot {
namespace {

// The aid runs this far past the excerpt's end: more than any aid's latency (tens of ms), so that
// the frames of the excerpt that the aid delays are filled with the input that follows them.
constexpr double kAidRunOnSeconds = 1.0;

std::vector<double> as_double(const std::vector<float>& x) { return std::vector<double>(x.begin(), x.end()); }

std::vector<std::vector<float>> first_frames(const std::vector<std::vector<float>>& channels, std::size_t frames) {
  std::vector<std::vector<float>> out;
  for (const auto& c : channels) out.emplace_back(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(std::min(frames, c.size())));
  return out;
}

// `stream`: the input channel the ear hears (0 for a mono input), which names the random draws.
EarHearingAidIndices score_ear(const EarProfile& profile, int ear, std::uint64_t stream, const std::vector<float>& reference,
                               const std::vector<double>& processed, const HearingAidIndicesInput& in) {
  EarHearingAidIndices out;
  if (!haspi_applies(profile)) {
    const std::string why = std::string("the ") + ear_name(ear) + " ear hears through a cochlear implant (" + profile.label +
                            "); HASPI and HASQI model acoustic hearing only";
    out.haspi_v2.not_scored = why;
    out.hasqi_v2.not_scored = why;
    return out;
  }
  const std::vector<double> clean = as_double(reference);
  const std::array<double, 6> audiogram = haspi_audiogram_db_hl(profile.air_db_hl);
  {
    RandomSource random(derive_seed(in.seed, {kSeedHaspiDither, stream}));
    const auto s = haspi_v2(clean, in.sample_rate_hz, processed, in.sample_rate_hz, audiogram, in.calibration_db_spl, random);
    if (s) out.haspi_v2.value = s.value().intelligibility;
    else out.haspi_v2.not_scored = "HASPI: " + describe(s.errors());
  }
  {
    RandomSource random(derive_seed(in.seed, {kSeedHasqiNoise, stream}));
    const auto s = hasqi_v2(clean, in.sample_rate_hz, processed, in.sample_rate_hz, audiogram, in.calibration_db_spl, random);
    if (s) out.hasqi_v2.value = s.value().combined;
    else out.hasqi_v2.not_scored = "HASQI: " + describe(s.errors());
  }
  return out;
}

}  // namespace

std::size_t hearing_aid_indices_frames(std::size_t frames, double sample_rate_hz, double max_seconds) {
  return std::min(frames, static_cast<std::size_t>(std::floor(max_seconds * sample_rate_hz)));
}

std::array<EarHearingAidIndices, 2> hearing_aid_indices(const Listener& listener, const HearingAidIndicesInput& in) {
  // The input as far as the aid needs it: the excerpt and its run-on.
  const std::size_t frames = in.speech->front().size();
  const std::size_t excerpt = hearing_aid_indices_frames(frames, in.sample_rate_hz, in.max_seconds);
  const std::size_t run_frames = std::min(frames, excerpt + static_cast<std::size_t>(std::ceil(kAidRunOnSeconds * in.sample_rate_hz)));
  const std::vector<std::vector<float>> speech = first_frames(*in.speech, run_frames);
  const std::vector<std::vector<float>> noise = in.noise ? first_frames(*in.noise, run_frames) : std::vector<std::vector<float>>{};
  // What reaches each ear's eardrum before the ear: the aid's output for speech + noise where the
  // ear wears an aid, else speech + noise. The phase-inversion pair gives the aid's output for
  // speech + noise exactly as the sum of its speech and noise halves ((a + b)/2 + (a - b)/2 = a),
  // so the aid runs as it does for the aided SII (engine/aided_speech_and_noise.hpp).
  const AidedSpeechAndNoise at_ears = aided_speech_and_noise(listener, speech, noise, in.sample_rate_hz, in.calibration_db_spl);
  const bool alike = listener.symmetric() && speech.size() == 1 && noise.size() <= 1;
  std::array<EarHearingAidIndices, 2> out;
  for (int ear = 0; ear < 2; ++ear) {
    if (ear == 1 && alike) {
      out[1] = out[0];
      break;
    }
    const std::vector<float>& s = at_ears.speech[static_cast<std::size_t>(ear)];
    const std::vector<float>& n = at_ears.noise[static_cast<std::size_t>(ear)];
    std::vector<double> processed(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(excerpt));
    for (std::size_t i = 0; i < std::min(n.size(), excerpt); ++i) processed[i] += n[i];
    const std::vector<float>& whole = speech[std::min<std::size_t>(static_cast<std::size_t>(ear), speech.size() - 1)];
    const std::vector<float> reference(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(excerpt));
    const std::size_t channels = std::max(speech.size(), noise.size());
    out[static_cast<std::size_t>(ear)] = score_ear(listener.ear(ear), ear, std::min<std::size_t>(static_cast<std::size_t>(ear), channels - 1), reference, processed, in);
  }
  return out;
}

}  // namespace earshot
