#pragma once
// An implanted ear's pulses for a whole signal, with the rules every front end shares (the CLI's
// `earshot electrodogram`, Python's earshot.electrodogram): which ear (the one asked for, else the
// implanted ear, left first), which input channel reaches it (mono: both ears; stereo: left,
// right), how the signal is calibrated (engine/calibration.hpp: the active speech level presented
// at level_db_spl, or a fixed calibration_db_spl), and the implant designed at the input's rate
// (implant/implant_design.hpp). Errors name "ear", "listener", "listener.left"/"listener.right"
// (no implant there), the input's fields (engine/input_check.hpp) or the calibration's.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calibration.hpp"
#include "implant/electrodogram.hpp"
#include "model/listener.hpp"

namespace earshot {

struct ElectrodogramRendering {
  std::string ear;                           // "left" or "right"
  std::shared_ptr<const ImplantPlan> plan;   // the designed implant (electrodes, T and C levels)
  std::vector<ElectrodogramPulse> pulses;    // in time order
  Calibration calibration;
};

// ear: "left", "right", or empty for the implanted ear. channels: 1 or 2, equal lengths.
Result<ElectrodogramRendering> render_electrodogram(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                                                    const Listener& listener, std::string_view ear,
                                                    const CalibrationRequest& calibration);

}  // namespace earshot
