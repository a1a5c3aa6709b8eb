// The C++ facade's convenience functions (include/earshot/earshot.hpp). They hold no rules of
// their own: listeners are read by formats/listener_reader, input is checked by
// engine/input_check and calibrated by engine/calibration, exactly as `earshot render` does
// (apps/cli/render_job.cpp), with the same engine spec and the same latency removal, so a render
// here equals the CLI's sample for sample.
#include "earshot/earshot.hpp"

#include <filesystem>
#include <memory>
#include <string>

#include "formats/file_errors.hpp"
#include "hearing_loss/hearing_loss_design_cache.hpp"

namespace earshot {
namespace {

// The process's hearing-loss designs (hearing_loss/hearing_loss_design_cache.hpp): calls for the
// same ear at the same rate share one design (its band weights and smearing matrix) whatever their
// level, calibration and seed, and render the same samples as a fresh design (a Python loop over
// files for one listener designs it once). Never destroyed: a render may still run on another
// thread while the process exits.
HearingLossDesignCache& process_designs() {
  static auto* designs = new HearingLossDesignCache();
  return *designs;
}

}  // namespace

const char* version() noexcept { return EARSHOT_VERSION_STRING; }

Result<Listener> parse_listener(std::string_view text) {
  auto listener = read_listener(text);
  const auto file = listener_file(text);
  if (listener || !file) return listener;
  // A file's errors (profile or Clarity listener file) carry field paths inside it: one error
  // naming the listener argument, its message naming the file and those fields, as the CLI prints it.
  return SpecErrors{{"listener", describe(*file, listener.errors())}};
}

Result<Rendering> render(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                         const Listener& listener, const RenderOptions& options) {
  const CalibrationRequest request{options.level_db_spl, options.calibration_db_spl};
  if (SpecErrors errors = validate(request); !errors.empty()) return errors;
  if (SpecErrors errors = check_input(channels, sample_rate_hz); !errors.empty()) return errors;
  std::vector<const float*> pointers;
  for (const auto& c : channels) pointers.push_back(c.data());
  auto calibration = calibrate(request, pointers, channels.front().size(), sample_rate_hz);
  if (!calibration) return calibration.errors();
  EngineSpec spec;
  spec.listener = listener;
  spec.input_channels = static_cast<int>(channels.size());
  spec.hearing.sample_rate_hz = sample_rate_hz;
  spec.hearing.field = options.field;
  spec.hearing.calibration_db_spl = calibration.value().calibration_db_spl;
  spec.hearing.smearing = options.smearing;
  spec.hearing.seed = options.seed;
  spec.jitter = options.jitter;
  auto plan = design_engine(spec, &process_designs());
  if (!plan) return plan.errors();
  auto shared = std::make_shared<const EnginePlan>(std::move(plan).value());
  Rendering r;
  r.latency_removed_frames = shared->latency_frames;
  r.channels = render_offline(std::move(shared), channels);
  r.calibration = calibration.value();
  return r;
}

Result<Rendering> render(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                         std::string_view listener, const RenderOptions& options) {
  auto parsed = parse_listener(listener);
  if (!parsed) return parsed.errors();
  return render(channels, sample_rate_hz, parsed.value(), options);
}

}  // namespace earshot
