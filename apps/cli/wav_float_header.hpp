#pragma once
// A float WAV as the format defines it. Microsoft's WAVEFORMATEX (mmreg.h; the RIFF multimedia
// notes, and P. Kabal's "WAVE file format" summary) gives every non-PCM format, IEEE float
// (WAVE_FORMAT_IEEE_FLOAT, tag 3) included, an 18-byte fmt chunk whose last field, cbSize, is
// the size of any extension (0 here). libsndfile writes float WAVs with the 16-byte PCM fmt
// chunk, which readers that follow the definition warn about (sox: "wave header missing extended
// part of fmt chunk"). complete_float_wav_fmt_chunk() rewrites such a header in place: fmt grows
// by the two bytes of cbSize, and the PAD chunk libsndfile puts before the data shrinks by two,
// so the audio stays where it is and the file keeps its size (no copy of the samples).
#include <filesystem>

namespace earshot::cli {

// On a closed WAV file. Returns true when the fmt chunk is (now) complete or needs no extension
// (PCM); false when the file is not a WAV this can patch (no room before the data). Throws
// CliError(kExitOutput) when the file cannot be read or written.
bool complete_float_wav_fmt_chunk(const std::filesystem::path& wav);

}  // namespace earshot::cli
