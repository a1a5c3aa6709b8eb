#pragma once
// The time segments HASQI v2 measures in (Kates & Arehart 2014): Hann windows of a fixed
// length (16 ms) with 50 % overlap, the first and last of them half windows, so that the segments
// cover the signal from its first sample to its last. Shared by the envelope smoothing and the
// fine-structure covariance, which must cut the signals the same way.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

namespace earshot {

struct HalfOverlapSegments {
  struct Span {
    std::size_t start = 0;          // first sample of the signal in the segment
    std::size_t length = 0;         // window length (full) or half of it (first, last)
    std::size_t window_offset = 0;  // where in `window` the segment's samples start
  };

  // The window is segment_ms at the rate, rounded to the nearest sample (ties to even) and then up
  // to an even count; `count` is 0 when the signal is shorter than one window.
  HalfOverlapSegments(double segment_ms, double sample_rate_hz, std::size_t signal_samples) {
    long n = static_cast<long>(std::nearbyint(segment_ms * 0.001 * sample_rate_hz));
    n += n % 2;
    length = static_cast<std::size_t>(std::max(2L, n));
    half = length / 2;
    window.resize(length);
    // Symmetric Hann (end points 0), as Kates's hanning(n) in numpy's convention.
    for (std::size_t i = 0; i < length; ++i)
      window[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(length - 1));
    if (signal_samples >= length)
      count = 1 + signal_samples / length + (signal_samples - half) / length;
  }

  Span span(std::size_t s) const {
    if (s == 0) return {0, half, half};                     // falling half window
    if (s + 1 == count) return {s * half, half, 0};         // rising half window
    return {s * half, length, 0};
  }

  std::size_t length = 0;
  std::size_t half = 0;
  std::size_t count = 0;
  std::vector<double> window;
};

}  // namespace earshot
