#include "plugins/earshot/plugin_parameters.hpp"

namespace earshot::plugin {

const std::array<ParamInfo, kParamCount>& param_table() {
  // Ranges: audiogram values as the CLI accepts them (-10..120 dB HL); calibration as the engine
  // accepts it; tinnitus between 125 Hz and 16 kHz (where tinnitus is matched clinically; Tyler &
  // Conrad-Armes 1983); the custom audiogram's default is N3's shape (Bisgaard et al. 2010),
  // so switching a preset to "custom" starts from a typical moderate loss.
  static const std::array<ParamInfo, kParamCount> table = {{
      {"severity", "Severity", "%", 0, 100, 100, ParamInfo::continuous},
      {"left_preset", "Left preset", "", 0, kPresetCount - 1, 0, ParamInfo::preset},
      {"right_preset", "Right preset", "", 0, kPresetCount - 1, 0, ParamInfo::preset},
      {"link_ears", "Link ears", "", 0, 1, 1, ParamInfo::boolean},
      {"left_250", "Left 250 Hz", "dB HL", -10, 120, 35, ParamInfo::continuous},
      {"left_500", "Left 500 Hz", "dB HL", -10, 120, 35, ParamInfo::continuous},
      {"left_1000", "Left 1000 Hz", "dB HL", -10, 120, 40, ParamInfo::continuous},
      {"left_2000", "Left 2000 Hz", "dB HL", -10, 120, 50, ParamInfo::continuous},
      {"left_3000", "Left 3000 Hz", "dB HL", -10, 120, 55, ParamInfo::continuous},
      {"left_4000", "Left 4000 Hz", "dB HL", -10, 120, 60, ParamInfo::continuous},
      {"left_6000", "Left 6000 Hz", "dB HL", -10, 120, 65, ParamInfo::continuous},
      {"left_8000", "Left 8000 Hz", "dB HL", -10, 120, 65, ParamInfo::continuous},
      {"right_250", "Right 250 Hz", "dB HL", -10, 120, 35, ParamInfo::continuous},
      {"right_500", "Right 500 Hz", "dB HL", -10, 120, 35, ParamInfo::continuous},
      {"right_1000", "Right 1000 Hz", "dB HL", -10, 120, 40, ParamInfo::continuous},
      {"right_2000", "Right 2000 Hz", "dB HL", -10, 120, 50, ParamInfo::continuous},
      {"right_3000", "Right 3000 Hz", "dB HL", -10, 120, 55, ParamInfo::continuous},
      {"right_4000", "Right 4000 Hz", "dB HL", -10, 120, 60, ParamInfo::continuous},
      {"right_6000", "Right 6000 Hz", "dB HL", -10, 120, 65, ParamInfo::continuous},
      {"right_8000", "Right 8000 Hz", "dB HL", -10, 120, 65, ParamInfo::continuous},
      {"calibration_db_spl", "Calibration", "dB SPL", 60, 140, 100, ParamInfo::continuous},
      {"smearing", "Smearing", "", 0, 1, 1, ParamInfo::boolean},
      {"seed", "Seed", "", 1, 65535, 1, ParamInfo::integer},
      {"tinnitus_on", "Tinnitus", "", 0, 1, 0, ParamInfo::boolean},
      {"tinnitus_hz", "Tinnitus frequency", "Hz", 125, 16000, 4000, ParamInfo::continuous},
      {"tinnitus_db_spl", "Tinnitus level", "dB SPL", 0, 100, 40, ParamInfo::continuous},
      {"masker_colour", "Masker colour", "", 0, 2, 0, ParamInfo::colour},
      {"masker_db_spl", "Masker level (0 = off)", "dB SPL", 0, 110, 0, ParamInfo::continuous},
      {"perspective", "Perspective (0 listener, 100 room)", "%", 0, 100, 0, ParamInfo::continuous},
      // The aid: off by default (a project from before the aid sounds as it did); NAL-R, the rule
      // `--aid` users name most; MPO 0: the limiter's level from the ear's loss
      // (hearing_aid/maximum_output.hpp), as the CLI's default.
      {"left_aid", "Left hearing aid", "", 0, 1, 0, ParamInfo::boolean},
      {"right_aid", "Right hearing aid", "", 0, 1, 0, ParamInfo::boolean},
      {"left_aid_rule", "Left aid prescription", "", 0, float(kAidRuleNames.size() - 1), 0, ParamInfo::aid_rule},
      {"right_aid_rule", "Right aid prescription", "", 0, float(kAidRuleNames.size() - 1), 0, ParamInfo::aid_rule},
      {"aid_wdrc", "Aid compression (WDRC)", "", 0, 1, 0, ParamInfo::boolean},
      {"aid_nr", "Aid noise reduction", "", 0, 1, 0, ParamInfo::boolean},
      {"aid_mpo_db_spl", "Aid MPO (below 80: from the loss)", "dB SPL", 0, 140, 0, ParamInfo::continuous},
  }};
  return table;
}

}  // namespace earshot::plugin
