#include "apps/cli/drum_groove.hpp"

#include <cmath>
#include <cstdint>
#include <numbers>

namespace earshot::cli {
namespace {

struct Noise {
  std::uint32_t state;
  float next() {  // uniform in [-1, 1)
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) / 8388608.0f - 1.0f;
  }
};

// Kick: a sine gliding from 120 Hz to 50 Hz with a 150 ms decay (the classic drum-machine kick).
void kick(std::vector<float>& out, std::size_t at, double fs) {
  double phase = 0.0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(0.4 * fs) && at + i < out.size(); ++i) {
    const double t = i / fs;
    phase += 2.0 * std::numbers::pi * (50.0 + 70.0 * std::exp(-t / 0.04)) / fs;
    out[at + i] += static_cast<float>(0.5 * std::exp(-t / 0.15) * std::sin(phase));
  }
}

// Snare: a 180 Hz body (60 ms decay) plus a noise burst (100 ms decay), first-differenced for brightness.
void snare(std::vector<float>& out, std::size_t at, double fs, Noise& noise) {
  float prev = 0.0f;
  for (std::size_t i = 0; i < static_cast<std::size_t>(0.3 * fs) && at + i < out.size(); ++i) {
    const double t = i / fs;
    const float n = noise.next();
    out[at + i] += static_cast<float>(0.2 * std::exp(-t / 0.06) * std::sin(2.0 * std::numbers::pi * 180.0 * t) +
                                      0.25 * std::exp(-t / 0.1) * (n - prev));
    prev = n;
  }
}

// Closed hi-hat: differenced noise with a 30 ms decay.
void hat(std::vector<float>& out, std::size_t at, double fs, Noise& noise, float gain) {
  float prev = 0.0f;
  for (std::size_t i = 0; i < static_cast<std::size_t>(0.1 * fs) && at + i < out.size(); ++i) {
    const float n = noise.next();
    out[at + i] += gain * static_cast<float>(std::exp(-(i / fs) / 0.03)) * (n - prev);
    prev = n;
  }
}

}  // namespace

std::vector<float> drum_groove(double fs, double seconds, unsigned seed) {
  std::vector<float> out(static_cast<std::size_t>(seconds * fs), 0.0f);
  Noise noise{seed * 2654435761u + 1u};
  const double eighth = 60.0 / 100.0 / 2.0;  // 100 BPM
  for (int step = 0; step * eighth < seconds; ++step) {
    const auto at = static_cast<std::size_t>(step * eighth * fs);
    const int pos = step % 8;  // one bar of eighths
    if (pos == 0 || pos == 3 || pos == 5) kick(out, at, fs);
    if (pos == 2 || pos == 6) snare(out, at, fs, noise);
    hat(out, at, fs, noise, pos % 2 == 0 ? 0.12f : 0.07f);
  }
  return out;
}

}  // namespace earshot::cli
