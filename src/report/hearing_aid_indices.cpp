#include "report/hearing_aid_indices.hpp"

#include <algorithm>

#include "engine/aided_speech_and_noise.hpp"
#include "metrics/haspi.hpp"
#include "metrics/hasqi.hpp"
#include "support/random_source.hpp"
#include "support/seed.hpp"

namespace earshot {
namespace {

std::vector<double> as_double(const std::vector<float>& x) { return std::vector<double>(x.begin(), x.end()); }

EarHearingAidIndices score_ear(const EarProfile& profile, int ear, const std::vector<float>& reference, const std::vector<double>& processed,
                               const HearingAidIndicesInput& in) {
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
    RandomSource random(derive_seed(in.seed, {kSeedHaspiDither, static_cast<std::uint64_t>(ear)}));
    const auto s = haspi_v2(clean, in.sample_rate_hz, processed, in.sample_rate_hz, audiogram, in.calibration_db_spl, random);
    if (s) out.haspi_v2.value = s.value().intelligibility;
    else out.haspi_v2.not_scored = "HASPI: " + describe(s.errors());
  }
  {
    RandomSource random(derive_seed(in.seed, {kSeedHasqiNoise, static_cast<std::uint64_t>(ear)}));
    const auto s = hasqi_v2(clean, in.sample_rate_hz, processed, in.sample_rate_hz, audiogram, in.calibration_db_spl, random);
    if (s) out.hasqi_v2.value = s.value().combined;
    else out.hasqi_v2.not_scored = "HASQI: " + describe(s.errors());
  }
  return out;
}

}  // namespace

std::array<EarHearingAidIndices, 2> hearing_aid_indices(const Listener& listener, const HearingAidIndicesInput& in) {
  static const std::vector<std::vector<float>> kQuiet;
  const std::vector<std::vector<float>>& speech = *in.speech;
  const std::vector<std::vector<float>>& noise = in.noise ? *in.noise : kQuiet;
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
    std::vector<double> processed(s.begin(), s.end());
    for (std::size_t i = 0; i < std::min(n.size(), processed.size()); ++i) processed[i] += n[i];
    const std::vector<float>& reference = speech[std::min<std::size_t>(static_cast<std::size_t>(ear), speech.size() - 1)];
    out[static_cast<std::size_t>(ear)] = score_ear(listener.ear(ear), ear, reference, processed, in);
  }
  return out;
}

}  // namespace earshot
