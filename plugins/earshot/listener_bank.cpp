#include "plugins/earshot/listener_bank.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "formats/listener_spec_parser.hpp"
#include "support/seed.hpp"

namespace earshot::plugin {

namespace {

HearingLossParams hearing_params(const BankSettings& s) {
  HearingLossParams h;
  h.sample_rate_hz = s.sample_rate_hz;
  h.calibration_db_spl = s.calibration_db_spl;
  h.smearing = s.smearing;
  h.seed = s.seed;
  return h;
}

// The left ear of a preset named as the CLI names it, or the custom audiogram through the same
// grammar ("250:35,500:35,..."), so the plugin's listeners are the CLI's, field for field.
Result<EarProfile> preset_ear(int preset, const std::array<float, 8>& custom_db_hl) {
  std::string text;
  if (preset == kCustomPreset) {
    for (std::size_t i = 0; i < kCustomFrequenciesHz.size(); ++i) {
      if (i) text += ',';
      text += std::to_string(int(kCustomFrequenciesHz[i])) + ":" + std::to_string(custom_db_hl[i]);
    }
  } else {
    text = kPresetNames[preset];
  }
  auto listener = parse_listener_spec(text, preset == kCustomPreset ? "custom" : "preset");
  if (!listener) return listener.errors();
  return listener.value().left;
}

}  // namespace

int plugin_latency_frames(double sample_rate_hz) {
  HearingLossParams hearing;
  hearing.sample_rate_hz = sample_rate_hz;
  // The slowest aid, as the live engine makes room for one (engine/live_engine.cpp).
  EarProfile ear = normal_ear();
  AidSettings slowest(PrescriptionRule::nal_r);
  slowest.compression = true;
  slowest.noise_reduction = true;
  ear.aid = slowest;
  auto plan = design_ear(ear, hearing, TemporalJitterParams{}, 1);
  return plan ? plan.value().latency_frames() : 0;
}

namespace {

// One ear's plans: normal hearing and every preset. Pure; the two ears are designed side by side.
SpecErrors design_ear_plans(const BankSettings& s, int e, EarBank& ear) {
  const HearingLossParams hearing = hearing_params(s);
  // The ear's seed as the engine derives it, so an ear here renders the samples `earshot render`
  // renders for the same listener and seed.
  const std::uint64_t ear_seed = derive_seed(s.seed, {kSeedEar, std::uint64_t(e)});
  auto normal = design_ear(normal_ear(), hearing, TemporalJitterParams{}, ear_seed);
  if (!normal) return normal.errors();
  ear.normal = std::make_shared<const EarPlan>(std::move(normal).value());
  for (int p = 0; p < kPresetCount; ++p) {
    auto profile = preset_ear(p, s.custom_db_hl[e]);
    if (!profile) return profile.errors();
    auto plan = design_ear(profile.value(), hearing, TemporalJitterParams{}, ear_seed);
    if (!plan) return plan.errors();
    ear.plans[p] = std::make_shared<const EarPlan>(std::move(plan).value());
    ear.acoustic[p] = morphable(*ear.normal, *ear.plans[p]);
    // The aid fitted to this preset's audiogram, on the plan just designed: what `earshot render
    // --listener PRESET --aid ...` designs (design_ear adds its aid the same way).
    if (ear.plans[p]->acoustic) {
      ear.aided_plans[p] = std::make_shared<const EarPlan>(
          aided_plan(*ear.plans[p], s.aid[e], profile.value().air_db_hl, s.calibration_db_spl));
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<ListenerBank>> design_listener_bank(const BankSettings& s) {
  const HearingLossParams hearing = hearing_params(s);
  if (auto errors = validate(hearing); !errors.empty()) return errors;
  for (int e = 0; e < 2; ++e) {
    if (auto errors = validate(s.aid[e], e == 0 ? "left.aid" : "right.aid"); !errors.empty()) return errors;
  }
  auto bank = std::make_unique<ListenerBank>();
  bank->settings = s;
  // The implant presets' carrier tables make most of the design's cost: the right ear is designed
  // on a second thread while this one designs the left.
  SpecErrors right_errors;
  std::thread right([&] { right_errors = design_ear_plans(s, 1, bank->ears[1]); });
  SpecErrors left_errors = design_ear_plans(s, 0, bank->ears[0]);
  right.join();
  if (!left_errors.empty()) return left_errors;
  if (!right_errors.empty()) return right_errors;
  // The bank's latency: the plugin's (room for the slowest aid), or the slowest plan's if one needs
  // more, so every preset, aided or not, is heard at the same delay.
  bank->latency_frames = plugin_latency_frames(s.sample_rate_hz);
  for (const EarBank& ear : bank->ears) {
    for (const auto& plan : ear.plans) bank->latency_frames = std::max(bank->latency_frames, plan->latency_frames());
    for (const auto& plan : ear.aided_plans) {
      if (plan) bank->latency_frames = std::max(bank->latency_frames, plan->latency_frames());
    }
  }
  for (int e = 0; e < 2; ++e) {
    EarBank& ear = bank->ears[e];
    const std::uint64_t jitter = derive_seed(s.seed, {kSeedEar, std::uint64_t(e), kSeedJitter});
    for (int p = 0; p < kPresetCount; ++p) {
      if (ear.acoustic[p]) continue;
      ear.structural[p] = std::make_unique<EarProcessor>();
      ear.structural[p]->prepare(ear.plans[p], bank->latency_frames, jitter);
    }
    for (int p = 0; p < kPresetCount; ++p) {
      if (!ear.aided_plans[p]) continue;
      ear.aided[p] = std::make_unique<EarProcessor>();
      ear.aided[p]->prepare(ear.aided_plans[p], bank->latency_frames, jitter);
    }
    for (auto& blend : ear.blend) {
      blend = std::make_unique<EarProcessor>();
      blend->prepare(ear.normal, bank->latency_frames, jitter);
    }
    ear.dry.prepare(bank->latency_frames);

    TinnitusParams tinnitus;
    tinnitus.frequency_hz = std::min(s.tinnitus_hz, 0.45 * s.sample_rate_hz);
    tinnitus.level_db_spl = 0.0;  // the level comes from tinnitus_db_spl on the audio thread
    tinnitus.span.ramp_s = 0.0;   // tinnitus_on is faded by the plugin itself
    if (auto errors = validate(tinnitus, s.sample_rate_hz, "tinnitus"); !errors.empty()) return errors;
    ear.tinnitus.prepare(tinnitus, s.sample_rate_hz, s.calibration_db_spl,
                         derive_seed(s.seed, {kSeedTinnitus, 0, std::uint64_t(e)}));
    MaskerParams masker;
    masker.colour = s.masker_colour;
    masker.level_db_spl = kMaskerReferenceDbSpl;
    masker.span.ramp_s = 0.0;
    if (auto errors = validate(masker, "masker"); !errors.empty()) return errors;
    ear.masker.prepare(masker, s.sample_rate_hz, s.calibration_db_spl,
                       derive_seed(s.seed, {kSeedMasker, 0, std::uint64_t(e)}));
  }
  return bank;
}

}  // namespace earshot::plugin
