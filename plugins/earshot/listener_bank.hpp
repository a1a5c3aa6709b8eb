#pragma once
// Everything the plugin may render at one set of design settings, designed at once off the audio
// thread: for each ear, the plan of every preset (so a preset change needs no design and is taken
// at a block boundary the moment it is asked for, the same in a live host and in an offline
// render), the processors that render them, the dry path and the tinnitus and masker layers.
//
// Severity moves an acoustic listener the way scenes move (HearingLossProcessor::set_blend: the
// loss per place, the conductive attenuation and the excitation in dB, mixed from normal hearing
// to the preset), and an implanted or deaf-and-implanted listener by the equal-power crossfade
// scenes use for structural changes. Normal hearing is the model's identity (the hearing-loss
// design is exact for normal hearing, hearing_loss_design.hpp), so its sound is the input delayed
// by the latency: the dry path.
#include <array>
#include <cstdint>
#include <memory>

#include "engine/ear_processor.hpp"
#include "dsp/delay_line.hpp"
#include "scene/coloured_noise.hpp"
#include "scene/tinnitus.hpp"
#include "support/spec_error.hpp"
#include "plugins/earshot/plugin_parameters.hpp"

namespace earshot::plugin {

// What a bank is designed for: any change of these means a new bank (designed on the worker).
struct BankSettings {
  double sample_rate_hz = 48000.0;
  double calibration_db_spl = 100.0;
  bool smearing = true;
  std::uint64_t seed = 1;
  std::array<std::array<float, 8>, 2> custom_db_hl{};  // left, right (right = left when linked)
  double tinnitus_hz = 4000.0;
  NoiseColour masker_colour = NoiseColour::white;
  bool operator==(const BankSettings&) const = default;
};

// The masker is prepared at this level and scaled to masker_db_spl on the audio thread.
inline constexpr double kMaskerReferenceDbSpl = 60.0;

struct EarBank {
  std::array<std::shared_ptr<const EarPlan>, kPresetCount> plans;
  std::shared_ptr<const EarPlan> normal;
  std::array<bool, kPresetCount> acoustic{};   // moves per place from normal (else crossfades)
  // Two processors for acoustic presets (a preset change fades from one to the other); one each
  // for the structural presets (null for acoustic ones).
  std::array<std::unique_ptr<EarProcessor>, 2> blend;
  std::array<std::unique_ptr<EarProcessor>, kPresetCount> structural;
  DelayLine dry;
  TinnitusGenerator tinnitus;
  MaskerGenerator masker;
};

struct ListenerBank {
  BankSettings settings;
  int latency_frames = 0;  // every preset of both ears is delayed to this
  std::array<EarBank, 2> ears;
};

// The hearing-loss model's latency at this rate (normal hearing's design, cheap): what the plugin
// reports before its first bank is designed. A bank's latency is its slowest plan's (the
// acoustic model's, longer than every implant preset's analysis at 48 kHz: 16 ms against 4.6-5.2
// ms; bench/plugin_bench.cpp prints them), the same for every bank at one rate.
int acoustic_latency_frames(double sample_rate_hz);

// Allocates; about a second of work (36 plans; the implants' carrier tables dominate), the two
// ears on two threads. Errors name the setting.
Result<std::unique_ptr<ListenerBank>> design_listener_bank(const BankSettings& settings);

}  // namespace earshot::plugin
