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
//
// The hearing aid: each ear's bank also holds every preset that hears acoustically with that ear's
// aid on (BankSettings::aid, fitted to the preset's audiogram: engine/ear_processor.hpp's
// aided_plan, the CLI's `--aid` path), in a processor of its own, so left_aid / right_aid switch
// the aid on and off at a block boundary with no design, like a preset change. An aided ear is a
// structural state (the aid is fitted to the full loss; blending the loss per place under it would
// amplify a near-normal ear): severity crossfades from normal hearing to the aided ear.
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
  // The aid each ear wears when it is switched on (left, right).
  std::array<AidSettings, 2> aid{};
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
  // The presets with the ear's aid on, and their processors; null for a preset with no acoustic
  // hearing (an implant alone: the aid does nothing there, as `--aid` refuses it).
  std::array<std::shared_ptr<const EarPlan>, kPresetCount> aided_plans;
  std::array<std::unique_ptr<EarProcessor>, kPresetCount> aided;
  DelayLine dry;
  TinnitusGenerator tinnitus;
  MaskerGenerator masker;
};

struct ListenerBank {
  BankSettings settings;
  int latency_frames = 0;  // every preset of both ears, aided or not, is delayed to this
  std::array<EarBank, 2> ears;
};

// The plugin's latency at this rate: the hearing-loss model's with the slowest hearing aid in front
// (noise reduction and the compressor, whose delays add; an aid's delay depends on neither the
// audiogram nor the rule), designed for normal hearing (cheap). It is longer than every implant
// preset's analysis (at 48 kHz 32 ms: 16 ms of model and 16 ms of aid, against 4.6-5.2 ms;
// bench/plugin_bench.cpp prints them), so it is every bank's latency at this rate, whatever the
// aid parameters: switching an aid on or changing it never changes the delay the host compensates.
// What the plugin reports before its first bank is designed.
int plugin_latency_frames(double sample_rate_hz);

// Allocates; about a second of work (36 plans and an aid for every preset that hears
// acoustically; the implants' carrier tables dominate),
// the two ears on two threads. Errors name the setting.
Result<std::unique_ptr<ListenerBank>> design_listener_bank(const BankSettings& settings);

}  // namespace earshot::plugin
