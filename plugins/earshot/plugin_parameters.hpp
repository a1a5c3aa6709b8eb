#pragma once
// The plugin's parameters: symbol, name, unit, range, default, scale points. The symbols are the
// issue's, so DAW projects and scripts can name them; the README's table is this one. Kept apart
// from DPF so the renderer and its tests read the same table the host sees.
#include <array>
#include <cstdint>

namespace earshot::plugin {

enum Param : std::uint32_t {
  kSeverity,            // 0..100 %: normal hearing -> the chosen listener, per place in dB
  kLeftPreset,
  kRightPreset,
  kLinkEars,            // on: the right ear follows the left (preset, custom audiogram, aid and its rule)
  kLeft250, kLeft500, kLeft1000, kLeft2000, kLeft3000, kLeft4000, kLeft6000, kLeft8000,
  kRight250, kRight500, kRight1000, kRight2000, kRight3000, kRight4000, kRight6000, kRight8000,
  kCalibrationDbSpl,    // dB SPL of a digital full-scale RMS of 1.0
  kSmearing,
  kSeed,
  kTinnitusOn,
  kTinnitusHz,
  kTinnitusDbSpl,
  kMaskerColour,
  kMaskerDbSpl,         // 0 = off
  kPerspective,         // 0 %: what the listener hears ... 100 %: the room (the unprocessed sound)
  // The hearing aid (issue 16). Appended after the first parameters, never inserted among them:
  // hosts store parameters by index (CLAP and VST3 ids, LV2 port indices), so a DAW project saved
  // before the aid existed keeps every value where it was.
  kLeftAid,             // on: the left ear wears the aid (an instant switch, faded: the bank holds it)
  kRightAid,            // follows left_aid when the ears are linked
  kLeftAidRule,         // the prescription the left aid is fitted with (a change designs a new bank)
  kRightAidRule,        // follows left_aid_rule when the ears are linked
  kAidWdrc,             // both ears' aids: wide-dynamic-range compression with an output limiter
  kAidNr,               // both ears' aids: single-channel noise reduction in front
  kAidMpoDbSpl,         // both ears' limiters (with wdrc); below kMinMpoDbSpl: from each ear's loss
  kParamCount
};

// The presets a left_preset / right_preset value names, in scale-point order. Each but "custom"
// is a listener the CLI's --listener accepts (formats/listener_spec_parser.hpp); "custom" is the
// ear's own audiogram from the *_250 ... *_8000 parameters.
inline constexpr int kPresetCount = 18;
inline constexpr std::array<const char*, kPresetCount> kPresetNames = {
    "normal", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "S1", "S2", "S3",
    "ci:nucleus-ace", "ci:ab-hires", "ci:medel-cis", "eas:nucleus-hybrid", "vocoder:noise-8", "deaf", "custom"};
inline constexpr int kCustomPreset = kPresetCount - 1;

// The audiometric frequencies of the custom audiogram parameters.
inline constexpr std::array<double, 8> kCustomFrequenciesHz = {250, 500, 1000, 2000, 3000, 4000, 6000, 8000};

// The prescriptions a left_aid_rule / right_aid_rule value names, in scale-point order: the rules
// of `--aid` (audiology/prescription.hpp), in PrescriptionRule's order.
inline constexpr std::array<const char*, 5> kAidRuleNames = {"nal-r", "nal-rp", "fig6", "half-gain", "pogo"};

inline constexpr std::array<const char*, 3> kMaskerColourNames = {"white", "pink", "brown"};

struct ParamInfo {
  const char* symbol;
  const char* name;
  const char* unit;
  float min, max, def;
  enum Kind { continuous, integer, boolean, preset, colour, aid_rule } kind;
};

// The table (index = Param).
const std::array<ParamInfo, kParamCount>& param_table();

}  // namespace earshot::plugin
