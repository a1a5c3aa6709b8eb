#pragma once
// HASQI v2's reference equalisation (Kates & Arehart 2014, J Audio Eng Soc 62(3):99-117):
// the quality of a processed signal is judged against the clean reference as an ideal linear
// hearing aid would have amplified it for this ear, NAL-R. Kates's own implementation (eb_NALR.m,
// reproduced by pyclarity's NALR(140, 24000)) designs the NAL-R gains at 250, 500, 1000, 2000,
// 4000 and 6000 Hz, a 141-tap linear-phase FIR at the model's 24 kHz, and keeps the convolution
// from sample 140 on; earshot does the same so that its scores agree with that reference.
#include <array>
#include <vector>

namespace earshot {

// NAL-R insertion gains (dB) at the six frequencies for this ear: Byrne & Dillon (1986) up to a
// three-frequency average (500, 1000, 2000 Hz) of 60 dB HL, and above it NAL-RP's severe-loss
// growth of X (Byrne, Parkinson & Newall 1990), as Kates's eb_NALR does (his 0.116 dB per dB of
// the three-frequency sum is 0.35/3 rounded down: 0.06 dB less at a 90 dB HL average). Kates does
// not apply NAL-RP's profound-loss correction (H(2000) >= 95 dB HL); earshot's NAL-RP does (see
// audiology/prescription.hpp), so for such ears the reference gets that correction too.
// Negative gains are 0; an ear without loss gets 0 dB everywhere. The audiogram and the gains are
// at the ear model's six frequencies (kKatesAudiogramFrequenciesHz, 250 ... 6000 Hz).
std::vector<double> hasqi_nalr_gains_db(const std::array<double, 6>& audiogram_db_hl);

// The NAL-R FIR: `order` + 1 taps (delay order / 2 samples), gains interpolated linearly in Hz
// between the six frequencies (held from 0 Hz to 250 Hz and from 6 kHz to Nyquist) at order + 1
// points, designed by dsp/frequency_sampling_fir.hpp. Without loss: a unit impulse at order / 2.
// The ear model applies it to the reference after its alignment, and keeps the full convolution
// from sample `order` on (KatesEarModelOptions::reference_equaliser_fir): Kates and pyclarity cut
// at the filter's length, not its delay, so the equalised reference leads by order / 2 samples
// (2.9 ms at 24 kHz).
std::vector<double> hasqi_nalr_fir(const std::array<double, 6>& audiogram_db_hl, double sample_rate_hz, int order = 140);
// The same filter from six gains (dB at the six frequencies), whatever their source.
std::vector<double> hasqi_nalr_fir_from_gains(const std::vector<double>& gains_db, double sample_rate_hz, int order = 140);

}  // namespace earshot
