// The earshot plugin: one source that DPF wraps as LV2, VST3, CLAP and a JACK standalone.
// Stereo in and out (left ear, right ear). The parameters are plugin_parameters.hpp's table;
// the sound is BankPlayer's (bank_player.hpp) on the audio thread, with listener banks designed
// at activate() and then on the plugin's own worker thread (bank_worker.hpp).
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <memory>

#include "DistrhoPlugin.hpp"
#include "plugins/earshot/bank_player.hpp"
#include "plugins/earshot/bank_worker.hpp"
#include "plugins/earshot/listener_bank.hpp"
#include "plugins/earshot/plugin_parameters.hpp"

START_NAMESPACE_DISTRHO

namespace ep = earshot::plugin;

class EarshotPlugin : public Plugin {
 public:
  EarshotPlugin() : Plugin(ep::kParamCount, 0, 0) {
    for (std::uint32_t i = 0; i < ep::kParamCount; ++i) values_[i].store(ep::param_table()[i].def);
    // Fixed for the rate, whatever the listener and aid: hosts' delay compensation holds across changes.
    // activate() sets the designed bank's (the same value: listener_bank.hpp).
    setLatency(static_cast<uint32_t>(ep::plugin_latency_frames(getSampleRate())));
  }
  ~EarshotPlugin() override { release(); }

 protected:
  const char* getLabel() const override { return "earshot"; }
  const char* getDescription() const override {
    return "What a listener hears: hearing loss from an audiogram, cochlear implants, hearing aids, tinnitus, maskers.";
  }
  const char* getMaker() const override { return "earshot"; }
  const char* getLicense() const override { return "MIT"; }  // earshot's; the binary links FFTW (README, licence)
  uint32_t getVersion() const override { return d_version(0, 1, 0); }
  int64_t getUniqueId() const override { return d_cconst('E', 'r', 's', 'h'); }

  void initAudioPort(bool input, uint32_t index, AudioPort& port) override {
    port.groupId = kPortGroupStereo;
    Plugin::initAudioPort(input, index, port);
    port.name = index == 0 ? (input ? "Left ear in" : "Left ear out") : (input ? "Right ear in" : "Right ear out");
    port.symbol = index == 0 ? (input ? "in_left" : "out_left") : (input ? "in_right" : "out_right");
  }

  void initParameter(uint32_t index, Parameter& p) override {
    const ep::ParamInfo& info = ep::param_table()[index];
    p.hints = kParameterIsAutomatable;
    p.symbol = info.symbol;
    p.name = info.name;
    p.unit = info.unit;
    p.ranges.min = info.min;
    p.ranges.max = info.max;
    p.ranges.def = info.def;
    switch (info.kind) {
      case ep::ParamInfo::boolean: p.hints |= kParameterIsBoolean | kParameterIsInteger; break;
      case ep::ParamInfo::integer: p.hints |= kParameterIsInteger; break;
      case ep::ParamInfo::preset:
      case ep::ParamInfo::colour:
      case ep::ParamInfo::aid_rule: {
        p.hints |= kParameterIsInteger;
        const char* const* labels = info.kind == ep::ParamInfo::preset   ? ep::kPresetNames.data()
                                    : info.kind == ep::ParamInfo::colour ? ep::kMaskerColourNames.data()
                                                                         : ep::kAidRuleNames.data();
        const int count = int(info.max) + 1;
        auto* values = new ParameterEnumerationValue[count];
        for (int i = 0; i < count; ++i) {
          values[i].value = float(i);
          values[i].label = labels[i];
        }
        p.enumValues.count = uint8_t(count);
        p.enumValues.restrictedMode = true;
        p.enumValues.values = values;
        break;
      }
      case ep::ParamInfo::continuous: break;
    }
  }

  float getParameterValue(uint32_t index) const override { return values_[index].load(std::memory_order_relaxed); }
  void setParameterValue(uint32_t index, float value) override {
    const ep::ParamInfo& info = ep::param_table()[index];
    values_[index].store(std::clamp(value, info.min, info.max), std::memory_order_relaxed);
  }

  void activate() override {
    // Not on the audio thread: design the bank the parameters ask for now, so the first block
    // already plays them, then let the worker follow later changes.
    release();
    const ep::BankSettings settings = bank_settings();
    auto bank = ep::design_listener_bank(settings);
    if (!bank) return;  // settings the library refuses (the table's ranges keep to its limits): silence
    bank_ = std::move(bank).value();
    setLatency(static_cast<uint32_t>(bank_->latency_frames));
    player_.prepare(bank_.get(), controls());
    worker_.start([this] { return bank_settings(); }, settings, bank_->latency_frames);
  }
  void deactivate() override { release(); }

  void run(const float** inputs, float** outputs, uint32_t frames) override {
    if (!bank_) {
      for (int c = 0; c < 2; ++c) std::fill(outputs[c], outputs[c] + frames, 0.0f);
      return;
    }
    const ep::Controls c = controls();
    // A newly designed bank is taken when no change is running and the retired slot is free.
    if (worker_.has_ready() && !player_.changing() && worker_.can_retire()) {
      ep::ListenerBank* next = worker_.take_ready();
      if (next) player_.change(next, c);
    }
    player_.process(inputs, outputs, int(frames), c);
    if (ep::ListenerBank* finished = player_.take_finished()) {
      // The bank made at activate() is owned by bank_ and freed by release(); later ones go
      // back to the worker to be freed there.
      if (finished != bank_.get()) worker_.retire(finished);
    }
  }

  void sampleRateChanged(double rate) override {
    setLatency(static_cast<uint32_t>(ep::plugin_latency_frames(rate)));
  }

 private:
  float value(ep::Param p) const { return values_[p].load(std::memory_order_relaxed); }

  ep::Controls controls() const {
    ep::Controls c;
    const auto preset = [](float v) { return std::clamp(int(std::lround(v)), 0, ep::kPresetCount - 1); };
    c.presets[0] = preset(value(ep::kLeftPreset));
    c.presets[1] = value(ep::kLinkEars) >= 0.5f ? c.presets[0] : preset(value(ep::kRightPreset));
    c.severity = value(ep::kSeverity) / 100.0f;
    c.tinnitus_on = value(ep::kTinnitusOn) >= 0.5f;
    c.tinnitus_db_spl = value(ep::kTinnitusDbSpl);
    c.masker_db_spl = value(ep::kMaskerDbSpl);
    c.perspective = value(ep::kPerspective) / 100.0f;
    c.aid_on[0] = value(ep::kLeftAid) >= 0.5f;
    c.aid_on[1] = value(ep::kLinkEars) >= 0.5f ? c.aid_on[0] : value(ep::kRightAid) >= 0.5f;
    return c;
  }

  ep::BankSettings bank_settings() const {
    ep::BankSettings s;
    s.sample_rate_hz = getSampleRate();
    s.calibration_db_spl = value(ep::kCalibrationDbSpl);
    s.smearing = value(ep::kSmearing) >= 0.5f;
    s.seed = static_cast<std::uint64_t>(std::lround(value(ep::kSeed)));
    const bool linked = value(ep::kLinkEars) >= 0.5f;
    for (int i = 0; i < 8; ++i) {
      s.custom_db_hl[0][i] = value(ep::Param(ep::kLeft250 + i));
      s.custom_db_hl[1][i] = linked ? s.custom_db_hl[0][i] : value(ep::Param(ep::kRight250 + i));
    }
    s.tinnitus_hz = value(ep::kTinnitusHz);
    s.masker_colour = static_cast<earshot::NoiseColour>(std::clamp(int(std::lround(value(ep::kMaskerColour))), 0, 2));
    // The aids, as `--aid RULE,wdrc,nr,mpo=DB` gives them: the rule per ear, the rest for both.
    const auto rule = [](float v) {
      return static_cast<earshot::PrescriptionRule>(std::clamp(int(std::lround(v)), 0, int(ep::kAidRuleNames.size()) - 1));
    };
    const earshot::PrescriptionRule left_rule = rule(value(ep::kLeftAidRule));
    const earshot::PrescriptionRule rules[2] = {left_rule, linked ? left_rule : rule(value(ep::kRightAidRule))};
    for (int e = 0; e < 2; ++e) {
      earshot::AidSettings& aid = s.aid[e];
      aid.prescription = rules[e];
      aid.compression = value(ep::kAidWdrc) >= 0.5f;
      aid.noise_reduction = value(ep::kAidNr) >= 0.5f;
      // The MPO belongs to the limiter (with wdrc only); below the settings' least, the ear's own.
      const float mpo = value(ep::kAidMpoDbSpl);
      if (aid.compression && mpo >= float(earshot::kMinMpoDbSpl)) aid.mpo_db_spl = double(mpo);
    }
    return s;
  }

  void release() {
    worker_.stop();
    // Banks the player still holds: the one playing (and one coming in, if a change was cut off).
    ep::ListenerBank* playing = player_.bank();
    ep::ListenerBank* incoming = player_.incoming_bank();
    ep::ListenerBank* finished = player_.take_finished();
    if (incoming == playing) incoming = nullptr;
    for (ep::ListenerBank* b : {playing, incoming, finished}) {
      if (b && b != bank_.get()) delete b;
    }
    player_.prepare(nullptr, ep::Controls{});
    bank_.reset();
  }

  std::array<std::atomic<float>, ep::kParamCount> values_;
  std::unique_ptr<ep::ListenerBank> bank_;  // the bank designed at activate()
  ep::BankPlayer player_;
  ep::BankWorker worker_;

  DISTRHO_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(EarshotPlugin)
};

Plugin* createPlugin() { return new EarshotPlugin(); }

END_NAMESPACE_DISTRHO
