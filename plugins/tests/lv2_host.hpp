#pragma once
// A small LV2 host of the project's own (with Debian's lilv), for the tests: it does what
// lv2apply does (load the bundle, set control ports by symbol, run stereo blocks) and also gives
// the plugin the two host features DPF's LV2 wrapper requires, options (block length) and
// urid:map. lv2apply (lilv-utils 0.24.14) instantiates plugins with no features at all, so DPF's
// wrapper refuses it ("Options feature missing, cannot continue!") and it cannot load any DPF
// plugin.
#include <array>
#include <map>
#include <string>
#include <vector>

namespace earshot::test {

struct Lv2Run {
  bool ok = false;
  std::string error;
  std::array<std::vector<float>, 2> out;
  int latency_frames = -1;  // the value of the plugin's latency port after the first block
};

// The bundle at `bundle_dir`, plugin `uri`, on `input` (both ears), controls by port symbol.
Lv2Run run_lv2(const std::string& bundle_dir, const std::string& uri, const std::vector<float>& input,
               double sample_rate_hz, const std::map<std::string, double>& controls, int block = 512);

}  // namespace earshot::test
