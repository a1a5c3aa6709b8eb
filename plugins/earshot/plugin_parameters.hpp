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
  kLinkEars,            // on: the right ear follows the left (preset and custom audiogram)
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

inline constexpr std::array<const char*, 3> kMaskerColourNames = {"white", "pink", "brown"};

struct ParamInfo {
  const char* symbol;
  const char* name;
  const char* unit;
  float min, max, def;
  enum Kind { continuous, integer, boolean, preset, colour } kind;
};

// The table (index = Param).
const std::array<ParamInfo, kParamCount>& param_table();

}  // namespace earshot::plugin
