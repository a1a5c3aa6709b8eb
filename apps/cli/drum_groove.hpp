#pragma once
// A synthesised drum groove for the demo: kick, snare and closed hi-hat at 100 BPM, seeded.
#include <vector>

namespace earshot::cli {

// `seconds` of groove at `sample_rate_hz`, peak about 0.5.
std::vector<float> drum_groove(double sample_rate_hz, double seconds, unsigned seed = 1);

}  // namespace earshot::cli
