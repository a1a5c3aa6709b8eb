#pragma once
// Design of one ear's cochlear implant (pure: map in, immutable plan out): the sound processor's
// front end, filterbank and mapping, and the auralizer's carriers for each electrode.
//
// Units: band envelopes are the RMS amplitude of the band in digital units (so that, under the
// calibration, 20 log10(envelope) + calibration_db_spl is the band's level in dB SPL); currents are
// in microamps.
#include <cmath>
#include <cstdint>
#include <vector>

#include "dsp/butterworth.hpp"
#include "model/implant_map.hpp"
#include "audiology/loudness_growth.hpp"

namespace earshot {

struct ImplantDesignParams {
  double sample_rate_hz = 44100.0;
  double calibration_db_spl = 100.0;  // a digital RMS of 1.0 is this many dB SPL
  std::uint64_t seed = 1;             // the ear's seed (support/seed.hpp): carriers' random phases, noise read positions
  // false: the analysis and timing only (latency_frames), without the table carriers' tables (0.75 s
  // of noise or harmonics per electrode, by inverse FFT): for a latency, not a render.
  bool carrier_tables = true;
};

// One active electrode, apical first.
struct ImplantElectrode {
  int index = 0;              // on the array, 0 = most apical
  int number = 0;             // the device's own number
  double band_low_hz = 0.0, band_high_hz = 0.0;
  double threshold_ua = 0.0, comfort_ua = 0.0;
  // Where it excites, on the organ-of-Corti (Greenwood) axis, after any shift: its centre and the
  // region it excites fully (depths in mm from the base; region_apical_mm > region_basal_mm).
  double place_mm = 0.0, region_basal_mm = 0.0, region_apical_mm = 0.0;
  double place_hz = 0.0;      // Greenwood frequency of place_mm

  // The electrical range is linear in clinical level, which is logarithmic in current: proportion
  // p in [0, 1] of T..C is the current T (C/T)^p.
  double current_ua(double proportion) const { return threshold_ua * std::pow(comfort_ua / threshold_ua, proportion); }
  double proportion(double current) const { return std::log(current / threshold_ua) / std::log(comfort_ua / threshold_ua); }
};

struct ImplantPlan {
  ImplantMap map;
  double sample_rate_hz = 0.0;
  double calibration_db_spl = 0.0;
  std::vector<ImplantElectrode> electrodes;  // active only

  // Front end.
  bool pre_emphasis = false;
  Biquad pre_emphasis_filter;                // first order, in a biquad
  float agc_attack = 0.0f, agc_release = 0.0f;  // one-pole coefficients of the peak follower
  float agc_knee = 0.0f;                     // digital peak level where limiting starts

  // Stimulation frames: frame k is analysed when the input clock reaches frame_clock(k).
  double frames_per_stimulation_frame = 0.0;  // sample_rate / rate
  double pulse_slot_frames = 0.0;             // interleaved pulses are this far apart
  int analysis_delay_frames = 0;              // envelope at frame k describes the input this long before

  // ace: FFT bins grouped into bands.
  int fft_size = 0;
  std::vector<float> window;
  struct BandBins {
    int first_bin = 0;
    std::vector<float> weights;  // per bin from first_bin, times the power scale
  };
  std::vector<BandBins> band_bins;

  // cis: per band, band-pass sections and the envelope detector's low-pass sections.
  std::vector<std::vector<Biquad>> band_filters;
  std::vector<std::vector<Biquad>> envelope_filters;
  std::vector<double> demodulation_hz;        // hilbert: band centre
  double envelope_scale = 1.0;                // detector output -> band RMS

  LoudnessGrowth loudness;

  // Auralizer. Table carriers (noise, harmonic, sine): one period per electrode, unit RMS, padded
  // by table_padding frames (a copy of its start) so a read never wraps inside a block.
  int table_length = 0, table_padding = 0;
  std::vector<std::vector<float>> carrier_tables;
  int crossfade_frames = 0;                   // noise: read positions renew every 2 x this
  std::vector<float> crossfade_gain;          // 2 x crossfade_frames: head A's gain (head B: shifted by half)
  std::vector<float> sine_mixing;             // sine: electrodes x electrodes excitation spread, row = receiver
  // Pulsatile: per electrode an impulse response (unit energy) and its centre.
  std::vector<std::vector<float>> pulse_responses;
  std::vector<int> pulse_centres;
  float pulse_amplitude_scale = 0.0f;         // sqrt(sample_rate / rate): pulse amplitude per envelope RMS

  int latency_frames = 0;                     // input to auralized output
  int ring_frames = 0;                        // output accumulator, a power of two
  std::uint64_t seed = 1;

  // Input clock (frames consumed) at which stimulation frame k is analysed.
  std::int64_t frame_clock(std::int64_t k) const noexcept;
};

Result<ImplantPlan> design_implant(const ImplantMap& map, const ImplantDesignParams& params);

}  // namespace earshot
