#pragma once
// The listener, per ear: an air-conduction audiogram (dB HL) and an optional conductive part
// (air-bone gap, dB), which acts as a linear attenuation in front of the cochlea. The sensorineural
// loss is the air-conduction threshold less the air-bone gap. An ear may wear a cochlear implant:
// it then hears through the implant, and acoustically too only with EAS (the map's crossover). An
// ear that hears acoustically may wear a hearing aid, in front of its acoustic path.
#include <optional>
#include <string>

#include "audiology/audiogram.hpp"
#include "model/aid_settings.hpp"
#include "model/implant_map.hpp"
#include "support/spec_error.hpp"

namespace earshot {

struct EarProfile {
  std::string label;          // how the user named it: "N3", "age:70:female", "250:20,..."
  Audiogram air_db_hl;        // air-conduction thresholds
  Audiogram air_bone_gap_db;  // conductive part; empty = purely sensorineural
  std::optional<ImplantMap> implant;  // a cochlear implant on this ear
  std::optional<AidSettings> aid;     // a hearing aid on this ear's acoustic path

  bool hears_acoustically() const { return !implant || implant->acoustic_crossover_hz > 0.0; }

  double air_loss_db_hl(double frequency_hz) const { return air_db_hl.at(frequency_hz); }
  double conductive_loss_db(double frequency_hz) const { return air_bone_gap_db.at(frequency_hz); }
  double sensorineural_loss_db_hl(double frequency_hz) const {
    return air_loss_db_hl(frequency_hz) - conductive_loss_db(frequency_hz);
  }
  bool operator==(const EarProfile& other) const;
};

// "left" (0) or "right" (1), as fields and messages name ears.
inline const char* ear_name(int ear) { return ear == 0 ? "left" : "right"; }

struct Listener {
  EarProfile left;
  EarProfile right;
  const EarProfile& ear(int index) const { return index == 0 ? left : right; }  // 0 = left, 1 = right
  // Both ears hear alike: a mono input can be rendered to a mono output.
  bool symmetric() const { return left == right; }
};

EarProfile normal_ear();

// Largest air-bone gap accepted: a maximal conductive loss is about 60 dB (Moore 2007, ch. 1).
inline constexpr double kMaxAirBoneGapDb = 70.0;

// All problems with one ear ("left", "right") or a whole listener.
SpecErrors validate(const EarProfile& ear, const std::string& field);
SpecErrors validate(const Listener& listener);

}  // namespace earshot
