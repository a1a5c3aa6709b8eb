// The C++ facade's convenience functions (include/earshot/earshot.hpp). They hold no rules of
// their own beyond what `earshot render` does (apps/cli/render_job.cpp): the same checks, the same
// calibration (P.56 active level of all channels together, or a fixed calibration), the same
// engine spec and the same latency removal, so a render here equals the CLI's sample for sample.
#include "earshot/earshot.hpp"

#include <cmath>
#include <memory>
#include <string>

namespace earshot {

const char* version() noexcept { return EARSHOT_VERSION_STRING; }

Result<Listener> parse_listener(std::string_view text, std::string_view field) {
  auto parsed = parse_listener_spec(text, field);
  if (!parsed) return parsed.errors();
  SpecErrors errors = validate(parsed.value());
  if (!errors.empty()) return errors;
  return std::move(parsed).value();
}

namespace {

SpecErrors one(std::string field, std::string message) { return {SpecError{std::move(field), std::move(message)}}; }

// The input as the CLI accepts it: rate, channel count, equal lengths, finite samples.
SpecErrors check_input(const std::vector<std::vector<float>>& channels, double sample_rate_hz) {
  if (!(sample_rate_hz >= kMinSampleRateHz && sample_rate_hz <= kMaxSampleRateHz)) {
    return one("sample_rate_hz", format_number(sample_rate_hz) + " Hz is outside the supported " +
                                     format_number(kMinSampleRateHz) + "..." + format_number(kMaxSampleRateHz) + " Hz");
  }
  if (channels.empty() || channels.size() > 2) {
    return one("input", std::to_string(channels.size()) +
                            " channels; a listener has two ears: give 1 channel (both ears) or 2 (left, right)");
  }
  if (channels.size() == 2 && channels[0].size() != channels[1].size()) {
    return one("input", "the channels differ in length (" + std::to_string(channels[0].size()) + " and " +
                            std::to_string(channels[1].size()) + " frames)");
  }
  if (channels[0].empty()) return one("input", "no frames");
  for (std::size_t c = 0; c < channels.size(); ++c) {
    for (std::size_t i = 0; i < channels[c].size(); ++i) {
      if (!std::isfinite(channels[c][i])) {
        return one("input", "a NaN or infinite sample at frame " + std::to_string(i) + " (channel " +
                                std::to_string(c + 1) + ")");
      }
    }
  }
  return {};
}

struct Calibration {
  double calibration_db_spl = 0.0;
  double input_active_db_spl = -300.0;
};

Result<Calibration> calibrate(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                              const RenderOptions& options) {
  if (options.level_db_spl && options.calibration_db_spl) {
    return one("level_db_spl", "give level_db_spl or calibration_db_spl, not both");
  }
  if (options.level_db_spl && !(*options.level_db_spl >= 0.0 && *options.level_db_spl <= 130.0)) {
    return one("level_db_spl", format_number(*options.level_db_spl) + " dB SPL is outside 0...130 dB SPL");
  }
  if (options.calibration_db_spl && !std::isfinite(*options.calibration_db_spl)) {
    return one("calibration_db_spl", "must be a finite number of dB SPL");
  }
  if (SpecErrors errors = check_input(channels, sample_rate_hz); !errors.empty()) return errors;
  std::vector<SpeechLevel> levels;
  for (const auto& channel : channels) {
    ActiveSpeechLevelMeter meter(sample_rate_hz);
    meter.add(channel.data(), channel.size());
    levels.push_back(meter.result());
  }
  const SpeechLevel level = combine_channels(levels);
  if (level.long_term_db <= -299.0) return one("input", "digital silence");
  Calibration c;
  if (options.calibration_db_spl) {
    c.calibration_db_spl = *options.calibration_db_spl;
  } else {
    if (level.silent) {
      return one("level_db_spl", "the input has no active speech to measure (ITU-T P.56); give calibration_db_spl instead");
    }
    c.calibration_db_spl = options.level_db_spl.value_or(kDefaultSpeechLevelDbSpl) - level.active_db;
  }
  c.input_active_db_spl = level.silent ? -300.0 : level.active_db + c.calibration_db_spl;
  return c;
}

}  // namespace

Result<double> render_calibration_db_spl(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                                         const RenderOptions& options) {
  auto c = calibrate(channels, sample_rate_hz, options);
  if (!c) return c.errors();
  return c.value().calibration_db_spl;
}

Result<Rendering> render(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                         const Listener& listener, const RenderOptions& options) {
  auto calibration = calibrate(channels, sample_rate_hz, options);
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
  auto plan = design_engine(spec);
  if (!plan) return plan.errors();
  auto shared = std::make_shared<const EnginePlan>(std::move(plan).value());
  Rendering r;
  r.latency_removed_frames = shared->latency_frames;
  r.channels = render_offline(std::move(shared), channels);
  r.calibration_db_spl = calibration.value().calibration_db_spl;
  r.input_active_db_spl = calibration.value().input_active_db_spl;
  return r;
}

Result<Rendering> render(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                         std::string_view listener, const RenderOptions& options) {
  auto parsed = parse_listener(listener);
  if (!parsed) return parsed.errors();
  return render(channels, sample_rate_hz, parsed.value(), options);
}

}  // namespace earshot
