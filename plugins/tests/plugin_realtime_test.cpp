// The plugin's audio thread never allocates or frees, even while a parameter changes every block
// (the allocation trap of tests/allocation_trap.hpp, which the dlopened CLAP binary's calls to
// operator new resolve to). The changes include design settings (calibration, a custom audiogram,
// the aid's rule, compression, noise reduction and MPO), so the worker designs banks and the audio
// thread takes them, all during the 10 s; and the aid switched on and off on either ear.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>
#include <string>
#include <vector>

#include "allocation_trap.hpp"
#include "clap_host.hpp"
#include "plugins/earshot/plugin_parameters.hpp"

namespace earshot::test {
namespace {

TEST(PluginRealtime, NoAllocationWhileAParameterChangesEveryBlock) {
  constexpr double kRate = 48000.0;
  constexpr int kBlock = 64;
  const long before_load = g_allocations.load();
  ClapHost host(EARSHOT_PLUGIN_CLAP, kRate, kBlock);
  ASSERT_TRUE(host.ok()) << host.error();
  // The host itself makes a few dozen allocations; the plugin's activation (designing every
  // preset of both ears) thousands: the trap must see them, or it is not counting the plugin.
  ASSERT_GT(g_allocations.load() - before_load, 1000) << "the trap sees the plugin's activation allocate";

  // Names resolved before the audio starts: the host's own lookups must not allocate either.
  const auto& table = plugin::param_table();
  auto name = [&](plugin::Param p) { return std::string(table[p].name); };
  const std::string severity = name(plugin::kSeverity), preset = name(plugin::kLeftPreset),
                    perspective = name(plugin::kPerspective), tinnitus = name(plugin::kTinnitusOn),
                    masker = name(plugin::kMaskerDbSpl), calibration = name(plugin::kCalibrationDbSpl),
                    custom = name(plugin::kLeft2000), link = name(plugin::kLinkEars), left_aid = name(plugin::kLeftAid),
                    right_aid = name(plugin::kRightAid), aid_rule = name(plugin::kLeftAidRule),
                    aid_wdrc = name(plugin::kAidWdrc), aid_nr = name(plugin::kAidNr), aid_mpo = name(plugin::kAidMpoDbSpl);
  std::vector<float> in(kBlock), left(kBlock), right(kBlock);
  const float* ins[2] = {in.data(), in.data()};
  float* outs[2] = {left.data(), right.data()};
  const int blocks = static_cast<int>(10.0 * kRate / kBlock);
  double phase = 0.0;

  // Paced at real time, as a host's audio callback is: the worker then has time to design the
  // banks the calibration and audiogram changes ask for (a second or two each), and the audio
  // thread takes several of them during the 10 s.
  const auto start = std::chrono::steady_clock::now();
  t_audio_thread = true;
  const long allocations = g_audio_allocations.load(), frees = g_audio_frees.load();
  for (int b = 0; b < blocks; ++b) {
    for (auto& x : in) {
      x = 0.1f * static_cast<float>(std::sin(phase));
      phase += 2.0 * 3.141592653589793 * 440.0 / kRate;
    }
    // A different parameter each block, each moving: every kind of change the plugin handles.
    // The aid's switches (left_aid, right_aid) change the chain within the bank; its rule,
    // compression, noise reduction and MPO are design settings, designed on the worker.
    switch (b % 14) {
      case 0: host.set(severity, 50.0 + 50.0 * std::sin(b * 0.01)); break;
      case 1: host.set(preset, (b / 14) % plugin::kPresetCount); break;
      case 2: host.set(perspective, 20.0 * (1.0 + std::sin(b * 0.003))); break;
      case 3: host.set(tinnitus, (b / 14) % 2); break;
      case 4: host.set(masker, (b / 14) % 3 == 0 ? 0.0 : 40.0); break;
      case 5: host.set(calibration, 95.0 + (b / 800) % 10); break;
      case 6: host.set(custom, 40.0 + (b / 400) % 30); break;
      case 7: host.set(link, (b / 1600) % 2); break;
      case 8: host.set(left_aid, (b / 14) % 2); break;
      case 9: host.set(right_aid, (b / 28) % 2); break;
      case 10: host.set(aid_rule, (b / 1000) % plugin::kAidRuleNames.size()); break;
      case 11: host.set(aid_wdrc, (b / 1300) % 2); break;
      case 12: host.set(aid_nr, (b / 1700) % 2); break;
      case 13: host.set(aid_mpo, (b / 2100) % 2 ? 100.0 : 0.0); break;
    }
    ASSERT_TRUE(host.process(ins, outs, kBlock));
    std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<long>((b + 1) * 1e6 * kBlock / kRate)));
  }
  const long audio_allocations = g_audio_allocations.load() - allocations, audio_frees = g_audio_frees.load() - frees;
  t_audio_thread = false;
  EXPECT_EQ(audio_allocations, 0);
  EXPECT_EQ(audio_frees, 0);
  for (float y : left) EXPECT_TRUE(std::isfinite(y));
}

}  // namespace
}  // namespace earshot::test
