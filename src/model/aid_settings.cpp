#include "model/aid_settings.hpp"

namespace earshot {
namespace {

void check_range(double value, double lo, double hi, const std::string& field, const char* unit, SpecErrors& errors) {
  if (value >= lo && value <= hi) return;  // false for NaN too
  errors.push_back({field, format_number(value) + " " + unit + " is outside " + format_number(lo) + ".." + format_number(hi) + " " + unit});
}

}  // namespace

SpecErrors validate(const AidSettings& aid, const std::string& field) {
  SpecErrors errors;
  const bool timing_set = aid.attack_ms != kDefaultAttackMs || aid.release_ms != kDefaultReleaseMs || aid.mpo_db_spl.has_value();
  if (timing_set && !aid.compression) {
    errors.push_back({field, "attack, release and MPO belong to the compressor: turn it on (wdrc, or compression = true)"});
  }
  check_range(aid.attack_ms, kMinAttackMs, kMaxAttackMs, field + ".attack_ms", "ms", errors);
  check_range(aid.release_ms, kMinReleaseMs, kMaxReleaseMs, field + ".release_ms", "ms", errors);
  if (aid.nr_floor_db != kDefaultNrFloorDb && !aid.noise_reduction) {
    errors.push_back({field, "a noise-reduction floor belongs to noise reduction: turn it on (nr, or noise_reduction = true)"});
  }
  check_range(aid.nr_floor_db, kMinNrFloorDb, kMaxNrFloorDb, field + ".nr_floor_db", "dB", errors);
  if (aid.mpo_db_spl) check_range(*aid.mpo_db_spl, kMinMpoDbSpl, kMaxMpoDbSpl, field + ".mpo_db_spl", "dB SPL", errors);
  return errors;
}

}  // namespace earshot
