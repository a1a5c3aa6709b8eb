#pragma once
// The listener vocabulary shared by every front end (CLI flag, profile file, Python, plugin):
//   normal | N1..N7 | S1..S3                      Bisgaard (2010) standard audiograms
//   deaf                                          no usable hearing (120 dB HL everywhere)
//   250:20,500:25,1000:35,...                     an audiogram, FREQUENCY_HZ:LEVEL_DB_HL
//   age:70:female | age:65:male:p90               ISO 7029:2017, optional percentile p5..p95
//   noise:95dBA:25y:age:50:male[:p90]             ISO 1999:2013 noise exposure + ISO 7029 age
//   ci:nucleus-ace | ci:ab-hires | ci:medel-cis    cochlear implants (see implant_presets.hpp)
//   eas:nucleus-hybrid                            electric-acoustic stimulation
//   vocoder:noise-N | vocoder:sine-N              CI simulations, N bands
//   left=SPEC,right=SPEC                          different ears (';' also separates)
#include <string_view>

#include "model/listener.hpp"

namespace earshot {

// One ear from a preset name or audiogram. `field` names it in errors ("listener.left").
Result<EarProfile> parse_ear_spec(std::string_view text, std::string_view field);

// A whole listener: one spec for both ears, or left=...,right=...
Result<Listener> parse_listener_spec(std::string_view text, std::string_view field = "listener");

}  // namespace earshot
