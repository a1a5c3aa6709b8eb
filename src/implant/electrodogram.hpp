#pragma once
// The electrodogram: every pulse the sound processor delivers for a whole signal, timed on the
// input's clock (the analysis delay removed, so a pulse lines up with the sound that caused it).
// Offline analysis (allocates); the same ImplantSoundProcessor as the real-time engine.
#include <memory>
#include <vector>

#include "implant/implant_design.hpp"

namespace earshot {

struct ElectrodogramPulse {
  double time_s = 0.0;
  int electrode = 0;       // position among the active electrodes (apical first)
  int number = 0;          // the device's electrode number
  float current_ua = 0.0f;
};

std::vector<ElectrodogramPulse> electrodogram(std::shared_ptr<const ImplantPlan> plan, const std::vector<float>& samples);

}  // namespace earshot
