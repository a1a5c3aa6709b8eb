#pragma once
// A calibrated spectrogram for pictures: the level (dB SPL) of a sinusoid that would give each
// time-frequency cell's power, on a linear frequency axis. Analysis tool (allocates).
#include <cstddef>
#include <vector>

namespace earshot {

struct Spectrogram {
  double frame_step_s = 0.0;
  double max_frequency_hz = 0.0;
  int frames = 0;
  int rows = 0;                  // frequency rows, row 0 = 0 Hz
  std::vector<float> level_db;   // frames x rows, row-major by frame
  float at(int frame, int row) const { return level_db[static_cast<std::size_t>(frame) * rows + row]; }
};

// Hann window of about 23 ms, hop of a quarter window, `rows` rows from 0 to max_frequency_hz
// (or Nyquist), each the strongest FFT bin it covers.
Spectrogram spectrogram(const float* samples, std::size_t count, double sample_rate_hz, double calibration_db_spl,
                        double max_frequency_hz = 8000.0, int rows = 256);

}  // namespace earshot
