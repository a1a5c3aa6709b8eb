#pragma once
// Speech and noise as each ear's hearing aid delivers them, apart, from the speech and the noise
// as they reach the aid, so that the SII (ANSI S3.5) can score an aided ear: its audibility needs
// the speech spectrum and the noise spectrum at the eardrum, and an aid with compression or noise
// reduction processes the two together, not each on its own.
//
// The phase-inversion method (Hagerman & Olofsson 2004, Acta Acustica 90:356-361): the aid
// processes a = s + n and b = s - n from the same state; its speech output is (a + b) / 2 and its
// noise output (a - b) / 2. Exact for a linear aid; for a compressive or noise-reducing one the
// estimate of what it does to each while both are present (the residual of its nonlinearity
// lands in both halves alike; Hagerman & Olofsson measured it 20-30 dB down for fast WDRC).
// In quiet the speech alone goes through the aid. An ear with no aid (or an implanted ear,
// whose SII does not apply) gets its input back unchanged. Latency removed; outputs as long as the
// inputs. Offline, allocates: for reports and scores.
#include <array>
#include <vector>

#include "model/listener.hpp"

namespace earshot {

struct AidedSpeechAndNoise {
  std::array<std::vector<float>, 2> speech;  // left, right ear
  std::array<std::vector<float>, 2> noise;   // empty in quiet
};

// speech, noise: one channel (both ears) or two (left, right), on one digital scale whose
// calibration is `calibration_db_spl` (a digital RMS of 1.0 is this many dB SPL: it places the
// compressors' knees and limits), each noise channel as long as the speech; `noise` empty: quiet.
AidedSpeechAndNoise aided_speech_and_noise(const Listener& listener, const std::vector<std::vector<float>>& speech,
                                           const std::vector<std::vector<float>>& noise, double sample_rate_hz,
                                           double calibration_db_spl);

// The listener with every ear's aid taken off: the same ears, unaided.
Listener without_aids(Listener listener);

// Whether either ear wears an aid.
bool has_aid(const Listener& listener);

}  // namespace earshot
