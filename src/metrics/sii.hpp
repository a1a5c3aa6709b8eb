#pragma once
// Speech Intelligibility Index, ANSI S3.5-1997 (R2017), "Methods for the Calculation of the
// Speech Intelligibility Index", clause 4: from equivalent speech, noise and hearing-threshold
// spectrum levels per band, the importance-weighted audibility of speech (0 ... 1). All four band
// procedures (Tables 1-4), with self-speech masking, upward spread of masking (not for octave
// bands), internal noise, level distortion and the 30 dB audibility range.
#include <string>
#include <string_view>
#include <vector>

#include "support/spec_error.hpp"

namespace earshot {

enum class SiiProcedure { critical_band, equally_contributing, third_octave, octave };
enum class VocalEffort { normal, raised, loud, shout };

const char* to_string(SiiProcedure procedure);
const char* to_string(VocalEffort effort);
bool parse_sii_procedure(std::string_view text, SiiProcedure& out);  // critical, equally_critical, third_octave, octave
bool parse_vocal_effort(std::string_view text, VocalEffort& out);

// The standard's band table for a procedure.
struct SiiBandTable {
  std::vector<double> centre_hz;
  std::vector<double> lower_hz, upper_hz;       // band limits
  std::vector<double> importance;               // band-importance function I (average speech)
  std::vector<double> internal_noise_db;        // reference internal noise spectrum level X
  std::vector<double> normal_speech_db;         // standard speech spectrum level U, normal effort
};
const SiiBandTable& sii_band_table(SiiProcedure procedure);

// Standard speech spectrum levels (dB SPL per Hz) for a vocal effort. The standard tabulates
// raised, loud and shout for the one-third-octave procedure (Table 3); for the others only normal
// effort is available here, and asking for another is an error.
Result<std::vector<double>> standard_speech_spectrum(SiiProcedure procedure, VocalEffort effort);

struct SiiInput {
  SiiProcedure procedure = SiiProcedure::third_octave;
  std::vector<double> speech_spectrum_db;  // E', equivalent speech spectrum level, dB SPL per Hz
  std::vector<double> noise_spectrum_db;   // N', equivalent noise spectrum level (empty: -50 dB, quiet)
  std::vector<double> threshold_db_hl;     // T', equivalent hearing threshold level (empty: 0 dB HL)
  std::vector<double> importance;          // empty: the procedure's standard importance function
};

struct SiiResult {
  double sii = 0.0;
  std::vector<double> band_audibility;  // A_i = L_i K_i, 0 ... 1
  std::vector<double> importance;
};

Result<SiiResult> sii(const SiiInput& input);

}  // namespace earshot
