#pragma once
// Sound for the report: audio encoded as Ogg Vorbis in memory (libsndfile's Vorbis encoder,
// written through its virtual I/O), and as a data: URI for an <audio> element. Vorbis (Xiph.org;
// RFC 5334 for the Ogg media type) plays in Chromium (tested) and Firefox and, at the report's
// quality, takes about a tenth of the bytes of 16-bit PCM, so a minute of speech and what each ear
// hears fit in one self-contained page.
//
// The samples are encoded as they are: calibrated audio stays calibrated (nothing is normalised),
// so a quiet ear sounds quiet. Vorbis is lossy; a steady tone's level survives within a fraction
// of a dB (ogg_vorbis_audio_test), which is all the page's players need. The bytes are the same on
// every run (the Ogg stream's serial number is fixed, see ogg_vorbis_audio.cpp).
#include <cstdint>
#include <string>
#include <vector>

namespace earshot {

// libsndfile's VBR quality, 0 (smallest) to 1 (best), which it hands to libvorbis's VBR mode as
// its quality -0.1...1 clipped at 0 (q0 is Vorbis's lowest common setting: about 48 kbit/s for
// mono at 44.1 kHz, less at lower rates). Speech and what a listener with a loss hears are
// narrowband and quiet; 0.1 keeps them clean to the ear while a minute of it is about 300 kB.
inline constexpr double kReportVorbisQuality = 0.1;

// One or two channels of equal length (any rate from 8 to 192 kHz) as an Ogg Vorbis file's bytes.
// Throws std::invalid_argument for no channels, channels of unequal length or quality outside
// 0...1, and std::runtime_error if libsndfile itself fails (out of memory): not a user's error.
std::vector<std::uint8_t> encode_ogg_vorbis(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                                            double quality = kReportVorbisQuality);

// "data:audio/ogg;base64,..." of encode_ogg_vorbis.
std::string ogg_vorbis_data_uri(const std::vector<std::vector<float>>& channels, double sample_rate_hz,
                                double quality = kReportVorbisQuality);

}  // namespace earshot
