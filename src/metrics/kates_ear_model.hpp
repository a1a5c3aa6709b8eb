#pragma once
// Kates' auditory model (Kates 2013, "An auditory model for intelligibility and quality
// predictions", Proc. Meetings on Acoustics 19, 050184), the ear that HASPI v2 (Kates & Arehart
// 2021, Speech Communication 131:35-46) and HASQI v2 (Kates & Arehart 2014, J. Audio Eng. Soc.
// 62:99-117) listen with. A reference and a processed signal go through the same chain, the
// processed one (and, for quality, the reference too) with the listener's loss:
//   resampling to 24 kHz; bulk alignment of the processed signal to the reference and trimming both
//   to the reference's span above 60 dB below its peak; the middle ear (350 Hz high-pass, 5 kHz
//   low-pass); per band a gammatone filter whose width follows the band's level (a wide "control"
//   filter measures it) and the outer-hair-cell loss; outer-hair-cell compression driven by the
//   control envelope; alignment of each processed band to the reference band; conversion to dB
//   above threshold with the inner-hair-cell loss; inner-hair-cell rapid and short-term adaptation;
//   noise at the threshold on the basilar-membrane signals; compensation of the bands' group delays.
// Its results mirror pyclarity's clarity.evaluator.haspi.eb.ear_model (v0.9, commit 9df6486f),
// against which ../shared/oracles/haspi was made. Offline, double precision.
#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "support/random_source.hpp"
#include "support/spec_error.hpp"

namespace earshot {

inline constexpr double kKatesModelRateHz = 24000.0;  // where the model works (every signal resampled to it)
// The noise kates_ear_model adds to the basilar-membrane signals: dB re the auditory threshold.
inline constexpr double kKatesThresholdNoiseDb = -10.0;

struct KatesEarModelOptions {
  int bands = 32;                              // auditory filters, 80 Hz to 8 kHz
  bool compensate_group_delay = true;          // pyclarity's m_delay > 0
  std::optional<double> basal_shift;           // pyclarity's shift: the control filters' place shift
  // Whether to produce the basilar-membrane outputs (HASQI's fine-structure term needs them; HASPI
  // does not, and is spared their filtering, alignment and noise when this is false: the envelopes
  // and sensation levels are the same either way, but the noise is then not drawn).
  bool basilar_membrane = true;
  // An equaliser for the reference only, applied after the alignment as pyclarity applies NAL-R for
  // quality (itype 1): the reference becomes conv(reference, fir)[taps - 1 : taps - 1 + frames],
  // i.e. the FIR's full length is taken as its delay (pyclarity's nfir for an nfir + 1 tap NAL-R
  // filter). Empty: none.
  std::vector<double> reference_equaliser_fir;
};

struct KatesEarModelOutput {
  // [band][frame], bands lowest first, at sample_rate_hz: envelopes in dB above the band's threshold
  // after compression and adaptation.
  std::vector<std::vector<double>> reference_db, processed_db;
  // [band][frame]: basilar-membrane vibration on the same dB scale, with threshold noise added
  // (empty when options.basilar_membrane is false).
  std::vector<std::vector<double>> reference_basilar_membrane, processed_basilar_membrane;
  // Per band: the average (RMS) envelope through the compression, in dB SL.
  std::vector<double> reference_sl, processed_sl;
  double sample_rate_hz = 24000.0;
};

// What the reference ear hears with (pyclarity's itype): 0, normal hearing (intelligibility: HASPI);
// 1, the listener's loss, as the processed ear (quality: HASQI).
enum class KatesReferenceEar { normal_hearing = 0, with_loss = 1 };

// reference and processed at their own rates (any rate; both are resampled to 24 kHz and cut to
// the shorter). audiogram_db_hl at kKatesAudiogramFrequenciesHz (250 ... 6000 Hz) applies to the
// processed ear (and to the reference's with KatesReferenceEar::with_loss). level1_db_spl is the
// level of a digital RMS of 1 (earshot's --calibration). random draws the basilar-membrane noise
// (reference first, then processed, band by band). Errors: empty or silent signals, rates or
// levels out of range, fewer than 2 bands.
Result<KatesEarModelOutput> kates_ear_model(const std::vector<double>& reference, double reference_rate_hz,
                                            const std::vector<double>& processed, double processed_rate_hz,
                                            const std::array<double, 6>& audiogram_db_hl, KatesReferenceEar reference_ear,
                                            double level1_db_spl, RandomSource& random, const KatesEarModelOptions& options = {});

// One band of the model's output as kates_ear_model_bands hands it over: [frame] at 24 kHz, as
// KatesEarModelOutput's band (delay-compensated), but the basilar-membrane signals without the
// threshold noise (whose draws kates_ear_model takes after all bands). The memory is the model's,
// reused for the next band.
struct KatesBand {
  std::size_t index = 0;  // lowest band first
  std::size_t frames = 0;
  const double* reference_db = nullptr;
  const double* processed_db = nullptr;
  const double* reference_basilar_membrane = nullptr;  // null when options.basilar_membrane is false
  const double* processed_basilar_membrane = nullptr;
  long delay_frames = 0;  // how much later the group-delay compensation moved this band (zeros fill)
};
using KatesBandSink = std::function<void(const KatesBand&)>;
struct KatesBandLevels {
  std::vector<double> reference_sl, processed_sl;  // as KatesEarModelOutput's
  double sample_rate_hz = 24000.0;
  std::size_t frames = 0;
};

// The model band by band: each band, once done, goes to `sink` (bands in order), and only one band's
// signals are held at a time (a metric that reduces each band keeps megabytes, not a 6 s pair's
// ~74 MB per signal kind). The same errors as kates_ear_model's, before any band.
Result<KatesBandLevels> kates_ear_model_bands(const std::vector<double>& reference, double reference_rate_hz,
                                              const std::vector<double>& processed, double processed_rate_hz,
                                              const std::array<double, 6>& audiogram_db_hl, KatesReferenceEar reference_ear,
                                              double level1_db_spl, const KatesEarModelOptions& options, const KatesBandSink& sink);

// The model's steps, for its tests and for the metrics built on it.
// Resampled to 24 kHz (unchanged if already within 500 Hz of it, as the reference rounds rates to
// kHz), at the RMS of the original: all of it when the rate goes up, below 10.5 kHz when it goes down.
std::vector<double> kates_resample_24khz(const std::vector<double>& x, double sample_rate_hz);
// Bulk alignment (pyclarity's input_align): the processed signal is shifted so that its
// cross-correlation peak with the reference falls 2 ms after the reference (zeros fill), then both
// are cut to the reference's span above 0.001 times its peak. Inputs of equal length.
void kates_input_align(std::vector<double>& reference, std::vector<double>& processed);

}  // namespace earshot
