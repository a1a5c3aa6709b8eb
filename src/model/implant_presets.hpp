#pragma once
// Named cochlear-implant and vocoder listeners (one ear), each with its sources:
//   ci:nucleus-ace   ci:ab-hires   ci:medel-cis   eas:nucleus-hybrid
//   vocoder:noise-N  vocoder:sine-N  (N = 1...24 bands)
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audiology/audiogram.hpp"
#include "model/implant_map.hpp"

namespace earshot {

struct ImplantPreset {
  std::string name;
  ImplantMap map;
  Audiogram residual_hearing_db_hl;  // acoustic thresholds of the implanted ear (used by EAS)
  std::string description;
};

inline constexpr int kMaxVocoderBands = 24;

// Whether `name` (lower case) is in the implant presets' namespace: ci:, eas: or vocoder:.
bool is_implant_preset_name(std::string_view name);

// The preset named `name` (lower case), or nothing.
std::optional<ImplantPreset> implant_preset(std::string_view name);

// The device presets and a few vocoders, for `earshot listeners`.
std::vector<ImplantPreset> listed_implant_presets();

// Thresholds of an ear with no usable acoustic hearing (a cochlear implant without EAS).
Audiogram deaf_ear_audiogram();

}  // namespace earshot
