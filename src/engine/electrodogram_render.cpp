#include "engine/electrodogram_render.hpp"

#include "engine/input_check.hpp"

namespace earshot {

Result<ElectrodogramRendering> render_electrodogram(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                                                    const Listener& listener, std::string_view ear,
                                                    const CalibrationRequest& calibration) {
  if (SpecErrors errors = validate(calibration); !errors.empty()) return errors;
  if (!ear.empty() && ear != "left" && ear != "right") {
    return SpecErrors{{"ear", "'" + std::string(ear) + "' is not known: use left or right"}};
  }
  if (!listener.left.implant && !listener.right.implant) {
    return SpecErrors{{"listener", "the listener has no cochlear implant: use ci:..., eas:..., vocoder:... or a map in a .toml profile"}};
  }
  ElectrodogramRendering out;
  out.ear = ear.empty() ? (listener.left.implant ? "left" : "right") : std::string(ear);
  const EarProfile& profile = out.ear == "left" ? listener.left : listener.right;
  if (!profile.implant) {
    return SpecErrors{{"listener." + out.ear, "the " + out.ear + " ear (" + profile.label +
                                                  ") has no cochlear implant: use ci:..., eas:..., vocoder:... or a map in a .toml profile"}};
  }
  if (SpecErrors errors = check_input(channels, sample_rate_hz); !errors.empty()) return errors;
  const auto& x = channels.size() == 2 && out.ear == "right" ? channels[1] : channels[0];
  auto calibrated = calibrate(calibration, {x.data()}, x.size(), sample_rate_hz);
  if (!calibrated) return calibrated.errors();
  out.calibration = calibrated.value();
  auto designed = design_implant(*profile.implant, {sample_rate_hz, out.calibration.calibration_db_spl, 1});
  if (!designed) return designed.errors();
  out.plan = std::make_shared<const ImplantPlan>(std::move(designed).value());
  out.pulses = electrodogram(out.plan, x);
  return out;
}

}  // namespace earshot
