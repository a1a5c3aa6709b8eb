// CPU per plugin instance at 48 kHz stereo, as a host runs it: the CLAP binary through the
// project's test host (plugins/tests/clap_host.hpp), blocks of 64 and 256 frames, per preset
// family; and the latency the plugin reports against each family's own (the engine's design).
// Speed is reported, never asserted (README: "Plugins").
//
//   build/plugins/earshot_plugin_bench [seconds of audio per run, default 20]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "clap_host.hpp"
#include "engine/ear_processor.hpp"
#include "formats/aid_spec_parser.hpp"
#include "formats/listener_spec_parser.hpp"
#include "plugin_files.hpp"
#include "plugins/earshot/listener_bank.hpp"
#include "plugins/earshot/plugin_parameters.hpp"

namespace {

double thread_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// The process's resident memory, MB (/proc/self/status VmRSS), to see what a bank takes.
double resident_mb() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1.0;
  char line[256];
  double kb = -1.0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "VmRSS: %lf kB", &kb) == 1) break;
  }
  std::fclose(f);
  return kb / 1024.0;
}

// All threads' (the bank's two ears are designed on two).
double process_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace earshot;
  constexpr double kRate = 48000.0;
  const double seconds = argc > 1 ? std::atof(argv[1]) : 20.0;
  std::vector<float> input = test::plugin_speech(seconds);
  if (input.empty()) {
    // Without the corpus: pink-ish noise at a speech-like level (the cost does not depend on the content much).
    input.resize(static_cast<std::size_t>(seconds * kRate));
    unsigned s = 1;
    for (auto& x : input) x = 0.05f * (float((s = s * 1664525u + 1013904223u) >> 8) / 16777216.0f - 0.5f);
  }
  // `aid`: the `--aid` text of the aid switched on (left_aid; the ears linked), and its settings.
  const struct {
    const char* family;
    int preset;
    const char* aid;
    std::map<std::string, double> aid_settings;
  } families[] = {
      {"normal", 0, nullptr, {}}, {"N3 (acoustic)", 3, nullptr, {}}, {"S2 (acoustic)", 9, nullptr, {}},
      {"ci:nucleus-ace", 11, nullptr, {}}, {"ci:medel-cis", 13, nullptr, {}}, {"eas:nucleus-hybrid", 14, nullptr, {}},
      {"vocoder:noise-8", 15, nullptr, {}},
      {"N3 + nal-r", 3, "nal-r", {{"left_aid", 1}}},
      {"N3 + nal-r,wdrc,nr", 3, "nal-r,wdrc,nr", {{"left_aid", 1}, {"aid_wdrc", 1}, {"aid_nr", 1}}}};
  // Parameter names by symbol (CLAP carries names).
  std::map<std::string, std::string> names;
  for (const auto& p : plugin::param_table()) names[p.symbol] = p.name;

  std::printf("earshot plugin (CLAP), 48 kHz stereo, %.0f s of %s per run\n", seconds,
              test::plugin_speech(1.0).empty() ? "noise" : "corpus speech");
  {
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = process_cpu_s(), rss0 = resident_mb();
    test::ClapHost host(EARSHOT_PLUGIN_CLAP, kRate, 256);
    const double activate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double activate_cpu_s = process_cpu_s() - cpu0, bank_mb = resident_mb() - rss0;
    if (!host.ok()) {
      std::fprintf(stderr, "plugin_bench: %s\n", host.error().c_str());
      return 1;
    }
    std::printf("load + activate (designs every preset of both ears, unaided and aided): %.2f s wall, %.2f s CPU; "
                "resident memory +%.0f MB\n", activate_s, activate_cpu_s, bank_mb);
    std::printf("reported latency: %d frames = %.2f ms (fixed for every preset)\n\n", host.latency_frames(),
                1000.0 * host.latency_frames() / kRate);
  }

  // Latency each family needs on its own (the engine's design), against what the plugin reports.
  std::printf("%-20s %14s\n", "family", "own latency ms");
  HearingLossParams hearing;
  hearing.sample_rate_hz = kRate;
  for (const auto& f : families) {
    auto listener = parse_listener_spec(plugin::kPresetNames[f.preset]);
    EarProfile ear = listener.value().left;
    if (f.aid) ear.aid = parse_aid_spec(f.aid).value().left;
    auto plan = design_ear(ear, hearing, {}, 1);
    std::printf("%-20s %14.2f\n", f.family, plan ? 1000.0 * plan.value().latency_frames() / kRate : -1.0);
  }
  std::printf("\n%-20s %6s %10s %16s %14s\n", "family", "block", "CPU %", "worst block %", "x real time");
  for (int block : {64, 256}) {
    for (const auto& f : families) {
      // The aid's design settings before activation (the bank is designed for them), as a project loads.
      std::map<std::string, double> initial;
      for (const auto& [symbol, value] : f.aid_settings) initial[names.at(symbol)] = value;
      test::ClapHost host(EARSHOT_PLUGIN_CLAP, kRate, block, initial);
      host.set(plugin::param_table()[plugin::kLeftPreset].name, f.preset);
      std::vector<float> left(block), right(block);
      float* out[2] = {left.data(), right.data()};
      double total = 0.0, worst = 0.0;
      for (std::size_t start = 0; start + block <= input.size(); start += block) {
        const float* in[2] = {input.data() + start, input.data() + start};
        const double t0 = thread_cpu_s();
        host.process(in, out, block);
        const double dt = thread_cpu_s() - t0;
        total += dt;
        if (start > kRate) worst = std::max(worst, dt);  // after the first second (the preset's move)
      }
      const double audio_s = double(input.size() / block * block) / kRate;
      const double period_s = block / kRate;
      std::printf("%-20s %6d %10.1f %16.1f %14.1f\n", f.family, block, 100.0 * total / audio_s, 100.0 * worst / period_s,
                  audio_s / total);
    }
  }
  return 0;
}
