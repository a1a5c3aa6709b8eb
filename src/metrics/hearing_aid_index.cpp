#include "metrics/hearing_aid_index.hpp"

#include "metrics/haspi.hpp"
#include "metrics/hasqi.hpp"
#include "support/random_source.hpp"
#include "support/seed.hpp"

namespace earshot {

const char* display_name(HearingAidIndex index) { return index == HearingAidIndex::haspi_v2 ? "HASPI v2" : "HASQI v2"; }

bool ears_alike_for_indices(const Listener& listener) {
  return haspi_audiogram_db_hl(listener.left.air_db_hl) == haspi_audiogram_db_hl(listener.right.air_db_hl) &&
         haspi_applies(listener.left) == haspi_applies(listener.right);
}

std::uint64_t hearing_aid_index_seed(HearingAidIndex index, std::uint64_t seed, int ear) {
  const std::uint64_t tag = index == HearingAidIndex::haspi_v2 ? kSeedHaspiDither : kSeedHasqiNoise;
  return derive_seed(seed, {tag, static_cast<std::uint64_t>(ear)});
}

std::string hearing_aid_index_not_applicable(HearingAidIndex index, const EarProfile& profile, int ear) {
  // HASPI and HASQI share Kates' model of acoustic hearing (haspi_applies): an implant, or an EAS
  // ear whose acoustic part mixes with electric hearing, is outside it.
  if (haspi_applies(profile)) return "";
  const std::string short_name = index == HearingAidIndex::haspi_v2 ? "HASPI" : "HASQI";
  return std::string("the ") + (ear == 0 ? "left" : "right") + " ear hears through a cochlear implant (" + profile.label + "); " +
         short_name + " models acoustic hearing only";
}

Result<double> hearing_aid_index(HearingAidIndex index, const std::vector<double>& reference, double reference_rate_hz,
                                 const std::vector<double>& test, double test_rate_hz, const EarProfile& profile, int ear,
                                 double level1_db_spl, std::uint64_t seed) {
  if (const std::string why = hearing_aid_index_not_applicable(index, profile, ear); !why.empty()) {
    return SpecErrors{{"listener", why}};
  }
  RandomSource random(hearing_aid_index_seed(index, seed, ear));
  const auto audiogram = haspi_audiogram_db_hl(profile.air_db_hl);
  if (index == HearingAidIndex::haspi_v2) {
    auto s = haspi_v2(reference, reference_rate_hz, test, test_rate_hz, audiogram, level1_db_spl, random);
    if (!s) return s.errors();
    return s.value().intelligibility;
  }
  auto s = hasqi_v2(reference, reference_rate_hz, test, test_rate_hz, audiogram, level1_db_spl, random);
  if (!s) return s.errors();
  return s.value().combined;
}

}  // namespace earshot
