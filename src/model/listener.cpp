#include "model/listener.hpp"


namespace earshot {

static bool same_points(const Audiogram& a, const Audiogram& b) {
  if (a.points.size() != b.points.size()) return false;
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    if (a.points[i].frequency_hz != b.points[i].frequency_hz || a.points[i].level_db_hl != b.points[i].level_db_hl)
      return false;
  }
  return true;
}

bool EarProfile::operator==(const EarProfile& other) const {
  return same_points(air_db_hl, other.air_db_hl) && same_points(air_bone_gap_db, other.air_bone_gap_db) &&
         implant == other.implant && aid == other.aid;
}

EarProfile normal_ear() {
  EarProfile ear;
  ear.label = "normal";
  ear.air_db_hl.points = {{250, 0}, {8000, 0}};
  return ear;
}

SpecErrors validate(const EarProfile& ear, const std::string& field) {
  SpecErrors errors = validate(ear.air_db_hl, field + ".audiogram");
  if (ear.implant) {
    for (auto& e : validate(*ear.implant, field + ".implant")) errors.push_back(std::move(e));
  }
  if (ear.aid) {
    for (auto& e : validate(*ear.aid, field + ".aid")) errors.push_back(std::move(e));
  }
  if (ear.aid && !ear.hears_acoustically()) {
    errors.push_back({field + ".aid", "this ear hears through its implant only (no acoustic crossover): a hearing aid needs acoustic hearing"});
  }
  if (!ear.air_bone_gap_db.empty()) {
    const std::string gap_field = field + ".air_bone_gap";
    for (std::size_t i = 0; i < ear.air_bone_gap_db.points.size(); ++i) {
      const auto& p = ear.air_bone_gap_db.points[i];
      if (!(p.level_db_hl >= 0.0 && p.level_db_hl <= kMaxAirBoneGapDb)) {
        errors.push_back({gap_field + "[" + std::to_string(i) + "].gap_db",
                          format_number(p.level_db_hl) + " dB is outside the allowed 0..." + format_number(kMaxAirBoneGapDb) + " dB"});
      } else if (p.level_db_hl > ear.air_db_hl.at(p.frequency_hz) + 10.0) {
        errors.push_back({gap_field + "[" + std::to_string(i) + "].gap_db",
                          format_number(p.level_db_hl) + " dB at " + format_number(p.frequency_hz) +
                              " Hz exceeds the air-conduction threshold (" + format_number(ear.air_db_hl.at(p.frequency_hz)) +
                              " dB HL): bone conduction cannot be worse than air conduction"});
      }
    }
    // Frequencies of the gap follow the same rules as an audiogram's.
    Audiogram freq_only = ear.air_bone_gap_db;
    for (auto& p : freq_only.points) p.level_db_hl = 0.0;
    for (auto& e : validate(freq_only, gap_field)) {
      if (e.field.find("frequency_hz") != std::string::npos) errors.push_back(e);
    }
  }
  return errors;
}

SpecErrors validate(const Listener& listener) {
  SpecErrors errors = validate(listener.left, "left");
  for (auto& e : validate(listener.right, "right")) errors.push_back(std::move(e));
  return errors;
}

}  // namespace earshot
