#pragma once
// Design of one ear's hearing-loss simulation (pure: parameters in, immutable plan out).
//
// The model is the Cambridge family (Moore, Glasberg, Baer, Stone; "MSBG"), built here from the
// papers in short-time spectral form so that it is exact for normal hearing and runs at any rate:
//   1. analysis: STFT with a Hann window of ~16 ms, hop 1/4 window;
//   2. conductive part: linear attenuation by the air-bone gap;
//   3. excitation pattern of the impaired ear: power spectrum weighted by roex(p) auditory filters
//      (Glasberg & Moore 1990), broadened with the local sensorineural loss, at places spaced
//      1/4 ERB_N apart, each filter normalised to pass a pure tone at its centre at its own level;
//   4. loudness recruitment (Moore & Glasberg 1993): every spectral component gets the expansion
//      gain of the excitation at its own place (its instantaneous frequency, found by the
//      time-derivative-window method of Auger & Flandrin 1995) — so a tone, wherever it lies
//      between bins and bands, is expanded by the level it really has;
//   5. spectral smearing (Baer & Moore 1993, 1994): the short-term power spectrum is smoothed by
//      asymmetric roex kernels whose width makes the normal ear's filters look as broad as the
//      impaired ear's (each output bin a weighted average of its neighbourhood, so a flat
//      spectrum stays flat). Smearing comes before the recruitment gain (Nejime & Moore 1997).
//      Each bin keeps its original phase for the power it retains; the power smearing moves into
//      a bin gets a seeded random phase (one draw for every bin of every frame, so that the stream
//      never depends on the signal), so that it adds incoherently across frames and keeps its
//      power (with original phases a smeared tone's frames collapse into short bursts and lose up
//      to 7 dB in the overlap-add). Moved power never gets more gain than its source; landing
//      where the loss is worse by more than 10 dB, it is expanded as that worse loss would expand
//      it, so excitation spread into deaf regions stays as inaudible as they make it. Smearing
//      spreads power from and into bins up to the highest modelled place (20 kHz, or just below
//      Nyquist); bins above it keep their own power (its cost is then the same at any rate);
//   6. synthesis: inverse FFT, Hann window, overlap-add (perfect reconstruction for unit gains).
#include <cstdint>
#include <vector>

#include "model/listener.hpp"
#include "audiology/recruitment.hpp"
#include "audiology/reference_threshold.hpp"

namespace earshot {

struct HearingLossParams {
  double sample_rate_hz = 44100.0;
  SoundField field = SoundField::free;
  double calibration_db_spl = 100.0;   // a digital RMS of 1.0 is this many dB SPL
  double catch_up_db_spl = kDefaultCatchUpDbSpl;
  bool smearing = true;
  double window_ms = 16.0;             // analysis window: envelope time resolution vs frequency resolution
  std::uint64_t seed = 1;              // phases of smeared energy (support/seed.hpp): same seed, same output bytes
};

inline constexpr double kMinSampleRateHz = 8000.0;
inline constexpr double kMaxSampleRateHz = 192000.0;

SpecErrors validate(const HearingLossParams& params);

// Auditory-filter broadening factor (ERB_impaired / ERB_N) for a sensorineural loss. Filters widen
// with loss from about 15 dB HL, to about twice normal at 40 dB HL and three times at 65 dB HL
// (Glasberg & Moore 1986, JASA 79:1020; Moore 2007 "Cochlear Hearing Loss", ch. 3); capped at 4.
// Smooth in the loss: no jumps between severity classes.
double filter_broadening(double sensorineural_loss_db_hl);

// Lower- and upper-side smearing broadening (Baer & Moore 1994 used asymmetric pairs; MSBG uses
// 1.6/1.1, 2.4/1.6 and 4.0/2.0 for its mild, moderate and severe classes). The lower skirt
// broadens more (upward spread of excitation): lower = 1.5 b - 0.5, upper = 0.5 b + 0.5.
struct SmearingBroadening {
  double lower = 1.0;
  double upper = 1.0;
};
SmearingBroadening smearing_broadening(double sensorineural_loss_db_hl);

// The processor's vector width in floats: per-bin vectors are padded to a multiple of it.
inline constexpr int kPlanLanes = 8;

// A banded matrix of weights stored for a product eight rows at a time: block r holds rows
// [8r, 8r + 8) over the input columns [first_column[r], first_column[r] + column_count[r]), the
// union of those rows' runs padded with zero weights to a multiple of 8 columns (within the
// input's padded length), column-major: weights[weight_offset[r] + 8 c + l] is row 8r + l's weight
// of column first_column[r] + c. The processor adds each column's input, broadcast, times the
// column's eight weights into eight partial sums per block: no horizontal sum per row and a
// loop's counting and branching per eight rows, not per row (issue #12). Zeros add nothing, so the
// padding leaves the model unchanged.
struct LaneRows {
  std::vector<int> first_column;
  std::vector<int> column_count;
  std::vector<int> weight_offset;
  std::vector<float> weights;
  bool operator==(const LaneRows&) const = default;
};

// The immutable plan handed to HearingLossProcessor.
struct HearingLossPlan {
  double sample_rate_hz = 0.0;
  int fft_size = 0;          // frames per analysis window
  int hop = 0;               // frames between windows
  int bins = 0;              // fft_size / 2 + 1
  int latency_frames = 0;    // delay from input to output of the streaming processor

  std::vector<float> analysis_window;             // periodic Hann
  std::vector<float> analysis_window_derivative;  // d/dn of the window (instantaneous frequency)
  std::vector<float> synthesis_window;            // Hann scaled for unity overlap-add
  float power_to_spl = 0.0f;                      // |X|^2 -> mean-square re (20 uPa)^2 of a tone

  // The per-bin vectors hold padded_bins entries (bins rounded up to a multiple of kPlanLanes, the
  // pad repeating the last bin): the processor works on eight bins at a time with no scalar rest.
  int padded_bins = 0;
  std::vector<float> bin_hz;
  std::vector<float> bin_band_index;              // each bin's own place, as a fractional band index
  std::vector<float> bin_own_loss_db_hl;          // sensorineural loss at that place (linear between places)
  std::vector<float> conductive_gain;             // per bin, amplitude (air-bone gap)

  // Excitation bands (places) on the ERB-number scale.
  int bands = 0;
  double first_band_erb_number = 0.0;
  double band_step_erb = 0.25;
  LaneRows band_rows;                             // roex(p) per band, normalised: tone at centre -> its level
  std::vector<float> band_normal_threshold_db_spl;  // T0 at the band's place (ISO 389-7, chosen field)
  std::vector<float> band_loss_db_hl;               // sensorineural loss at the band's place
  double catch_up_db_spl = kDefaultCatchUpDbSpl;

  // Smearing as a gather: output bin i is the weighted sum of the input bins around it (each output
  // bin's weights sum to one).
  bool smearing_active = false;
  LaneRows smear_rows;
  std::uint64_t seed = 1;  // the ear's seed; the smearing phases' stream is derive_seed(seed, {kSeedSmearing})

  bool operator==(const HearingLossPlan&) const = default;  // every field (a shared design is the same plan)
};

// Window length for a rate: the 2^a 3^b 5^c number of frames nearest above window_ms, a multiple
// of 4 so the hop is exact.
int analysis_fft_size(double sample_rate_hz, double window_ms);

// Plans of one rate and window share their frames, bins and places, so a processor prepared with
// one can render the other or a blend of both (HearingLossProcessor::set_blend).
bool same_layout(const HearingLossPlan& a, const HearingLossPlan& b);

// Validated params + ear -> plan. Errors if the params or ear are invalid.
Result<HearingLossPlan> design_hearing_loss(const HearingLossParams& params, const EarProfile& ear);

// The plan's power_to_spl for a window of `fft_size` frames at a calibration: the only part of a
// plan that depends on the calibration (hearing_loss_design_cache.hpp shares the rest).
float hearing_loss_power_to_spl(int fft_size, double calibration_db_spl);

}  // namespace earshot
