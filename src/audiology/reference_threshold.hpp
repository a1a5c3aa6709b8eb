#pragma once
// Normal hearing threshold in dB SPL: ISO 389-7:2005, "Reference threshold of hearing under
// free-field and diffuse-field listening conditions" (otologically normal listeners, 18-25 years,
// binaural listening). An impaired threshold is this plus the audiogram's dB HL.

namespace earshot {

// How the sound reaches the listener; selects which ISO 389-7 table is the 0 dB HL reference.
enum class SoundField {
  free,     // frontal plane wave, the listener's head absent when measuring SPL (ISO 389-7 Table 1)
  diffuse,  // sound from all directions (ISO 389-7 Table 1, diffuse-field column)
};

// Threshold in dB SPL at any frequency (linear in dB on log frequency between the standard's
// preferred frequencies; held at the end values below 20 Hz and above 18 kHz).
double reference_threshold_db_spl(double frequency_hz, SoundField field);

const char* to_string(SoundField field);

}  // namespace earshot
