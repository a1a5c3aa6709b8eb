#pragma once
// Audio files through libsndfile: streaming readers and writers that never hold a whole file.
// Writers go to a temporary file beside the target and are renamed into place by commit(), so a
// failed render leaves nothing behind and never overwrites a good file.
#include <sndfile.h>

#include <memory>

#include "apps/cli/output_set.hpp"
#include "engine/ear_downmix.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace earshot::cli {

struct AudioInfo {
  double sample_rate_hz = 0.0;
  int channels = 0;         // as read: 1 or 2 (a 5.1 or 7.1 file is downmixed to the ears as it is read)
  int file_channels = 0;    // as the file has them
  std::string downmix;      // what was done to a 5.1 or 7.1 file (engine/ear_downmix.hpp), for the summary
  std::int64_t frames = 0;
  std::string format;  // e.g. "WAV float32", "FLAC 16-bit"
  std::string warning; // e.g. a header that promises more audio than the file holds
};

class AudioReader {
 public:
  explicit AudioReader(const std::filesystem::path& path);  // throws CliError(kExitInput)
  ~AudioReader();
  AudioReader(const AudioReader&) = delete;
  AudioReader& operator=(const AudioReader&) = delete;
  const AudioInfo& info() const { return info_; }
  // Interleaved float frames of info().channels; returns frames read (0 at the end).
  std::int64_t read(float* interleaved, std::int64_t frames);
  void rewind();

 private:
  SNDFILE* file_ = nullptr;
  AudioInfo info_;
  EarDownmix downmix_;
  std::vector<float> file_frames_;  // a block as the file has it, before the downmix
  std::filesystem::path path_;
};

// A whole file in memory, one vector per channel (for analyses that need all of it at once).
struct AudioData {
  AudioInfo info;
  std::vector<std::vector<float>> channels;
};
AudioData read_audio(const std::filesystem::path& path);  // throws CliError(kExitInput)

enum class SampleFormat { float32, pcm16, pcm24 };

// Output container and sample format from the file name and --bits (0 = the container's default).
struct OutputFormat {
  int sndfile_format = 0;
  SampleFormat sample = SampleFormat::float32;
  std::string description;
};
OutputFormat output_format_for(const std::filesystem::path& path, int bits);  // throws CliError(kExitOutput/kExitUsage)

// Checks an output path before any work (apps/cli/output_set.hpp's rules): its directory exists,
// it is not a link, FIFO or device, and it is not the input file.
void check_output_path(const std::filesystem::path& output, const std::filesystem::path& input);

class AudioWriter {
 public:
  // A writer on its own commits (renames) itself; one of a set (apps/cli/output_set.hpp) only
  // finishes its temporary, and the set renames all its outputs together.
  AudioWriter(const std::filesystem::path& target, const OutputFormat& format, double sample_rate_hz, int channels,
              OutputSet* set = nullptr);
  ~AudioWriter();  // closes; the set removes the temporary unless committed
  AudioWriter(const AudioWriter&) = delete;
  AudioWriter& operator=(const AudioWriter&) = delete;
  void write(const float* interleaved, std::int64_t frames);
  void commit();  // sync and close (checked); on its own, also rename into place
  std::int64_t clipped_samples() const { return clipped_; }

 private:
  std::unique_ptr<OutputSet> own_set_;  // a writer on its own
  OutputSet* set_ = nullptr;
  SNDFILE* file_ = nullptr;
  std::filesystem::path target_, temp_;
  bool integer_ = false;
  bool float_wav_ = false;  // its fmt chunk is completed on commit (apps/cli/wav_float_header.hpp)
  int channels_ = 1;
  std::int64_t clipped_ = 0;
};

}  // namespace earshot::cli
