#include "apps/cli/audio_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <system_error>

#include "apps/cli/cli_error.hpp"
#include "apps/cli/library_errors.hpp"
#include "engine/input_check.hpp"
#include "apps/cli/text_format.hpp"
#include "apps/cli/wav_float_header.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {
std::string describe_format(int format) {
  std::string container;
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: container = "WAV"; break;
    case SF_FORMAT_WAVEX: container = "WAV"; break;
    case SF_FORMAT_FLAC: container = "FLAC"; break;
    case SF_FORMAT_OGG: container = "OGG"; break;
    case SF_FORMAT_AIFF: container = "AIFF"; break;
    default: container = "audio"; break;
  }
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_16: return container + " 16-bit";
    case SF_FORMAT_PCM_24: return container + " 24-bit";
    case SF_FORMAT_PCM_32: return container + " 32-bit";
    case SF_FORMAT_FLOAT: return container + " float32";
    case SF_FORMAT_DOUBLE: return container + " float64";
    case SF_FORMAT_VORBIS: return container + " Vorbis";
    default: return container;
  }
}
// A failed sf_open leaves its reason in libsndfile's one global error, which sf_strerror(nullptr)
// reads; with rows opened on several threads (`earshot batch --jobs N`) another open could change
// it in between. Opening a file and reading why it failed are one step under this lock.
std::mutex& open_mutex() {
  static std::mutex m;
  return m;
}

SNDFILE* open_sndfile(const char* path, int mode, SF_INFO* info, std::string& why_not) {
  std::lock_guard lock(open_mutex());
  SNDFILE* file = sf_open(path, mode, info);
  if (!file) why_not = sf_strerror(nullptr);
  return file;
}

// The speakers a file names for its channels (a WAV's channel mask, a FLAC's or CAF's layout), in
// the library's terms; empty when it names none.
std::vector<Speaker> speakers_named_by(SNDFILE* file, int channels) {
  std::vector<int> map(static_cast<std::size_t>(channels), SF_CHANNEL_MAP_INVALID);
  if (sf_command(file, SFC_GET_CHANNEL_MAP_INFO, map.data(), static_cast<int>(map.size() * sizeof(int))) != SF_TRUE) return {};
  std::vector<Speaker> speakers;
  for (int m : map) {
    switch (m) {
      case SF_CHANNEL_MAP_LEFT: case SF_CHANNEL_MAP_FRONT_LEFT: speakers.push_back(Speaker::left); break;
      case SF_CHANNEL_MAP_RIGHT: case SF_CHANNEL_MAP_FRONT_RIGHT: speakers.push_back(Speaker::right); break;
      case SF_CHANNEL_MAP_CENTER: case SF_CHANNEL_MAP_FRONT_CENTER: speakers.push_back(Speaker::centre); break;
      case SF_CHANNEL_MAP_LFE: speakers.push_back(Speaker::lfe); break;
      // 5.1's surrounds are the "back" pair in WAV's default mask (0x3F) and the side pair in
      // others; in 7.1 both pairs are there, sides as surrounds and backs as backs.
      case SF_CHANNEL_MAP_SIDE_LEFT: speakers.push_back(Speaker::left_surround); break;
      case SF_CHANNEL_MAP_SIDE_RIGHT: speakers.push_back(Speaker::right_surround); break;
      case SF_CHANNEL_MAP_REAR_LEFT: speakers.push_back(channels == 6 ? Speaker::left_surround : Speaker::left_back); break;
      case SF_CHANNEL_MAP_REAR_RIGHT: speakers.push_back(channels == 6 ? Speaker::right_surround : Speaker::right_back); break;
      case SF_CHANNEL_MAP_INVALID: return {};  // a mask that names no speakers: the default order
      default: speakers.push_back(Speaker::other); break;
    }
  }
  return speakers;
}

}  // namespace

AudioReader::AudioReader(const fs::path& path) : path_(path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw CliError(kExitInput, "input '" + path.string() + "' does not exist");
  if (fs::is_directory(path, ec)) throw CliError(kExitInput, "input '" + path.string() + "' is a directory, not an audio file");
  SF_INFO sfinfo{};
  std::string why_not;
  file_ = open_sndfile(path.c_str(), SFM_READ, &sfinfo, why_not);
  if (!file_) {
    throw CliError(kExitInput, "input '" + path.string() + "' is not a readable audio file (" + why_not +
                                   "); earshot reads WAV, FLAC, OGG and AIFF");
  }
  info_.sample_rate_hz = sfinfo.samplerate;
  info_.channels = sfinfo.channels;
  info_.file_channels = sfinfo.channels;
  info_.frames = sfinfo.frames;
  info_.format = describe_format(sfinfo.format);
  // libsndfile reads a file whose data chunk claims more than the file holds (a recording cut
  // short, a streaming header) for the audio that is there, and says so in its log.
  char log[4096] = {0};
  sf_command(file_, SFC_GET_LOG_INFO, log, sizeof log);
  const std::string log_text(log);
  if (const auto at = log_text.find("\ndata : "); at != std::string::npos) {
    const auto line_end = log_text.find('\n', at + 1);
    if (log_text.substr(at, line_end - at).find("(should be") != std::string::npos) {
      info_.warning = "the header promises more audio than the file holds (cut short?): using the " +
                      std::to_string(info_.frames) + " frames it has";
    }
  }
  if (sfinfo.frames == SF_COUNT_MAX || sfinfo.frames < 0) {
    // A length the header does not give (an Ogg stream whose last page is missing or unreadable):
    // libsndfile says SF_COUNT_MAX. Count the frames by decoding once and start again, so that no
    // caller sizes anything from an unknown count.
    std::vector<float> scratch(static_cast<std::size_t>(4096) * static_cast<std::size_t>(std::max(1, sfinfo.channels)));
    std::int64_t counted = 0;
    for (sf_count_t got; (got = sf_readf_float(file_, scratch.data(), 4096)) > 0;) counted += got;
    const bool corrupt = sf_error(file_) != SF_ERR_NO_ERROR;
    if (corrupt || sf_seek(file_, 0, SEEK_SET) < 0) {
      const std::string why = corrupt ? std::string("is corrupt: ") + sf_strerror(file_) : "has no length and cannot be read twice";
      sf_close(file_);
      file_ = nullptr;
      throw CliError(kExitInput, "input '" + path.string() + "' " + why);
    }
    info_.frames = counted;
  }
  // More channels than ears: the library's rule (engine/ear_downmix.hpp), with the speakers the
  // file names, if it names them.
  if (sfinfo.channels > 2) {
    auto downmix = ear_downmix(sfinfo.channels, speakers_named_by(file_, sfinfo.channels));
    if (!downmix) {
      sf_close(file_);
      file_ = nullptr;
      const SpecError& e = downmix.errors().front();
      throw CliError(kExitInput, "input '" + path.string() + "' has " + (e.field == "channels" ? "" : "the speakers ") + e.message);
    }
    downmix_ = std::move(downmix).value();
    info_.channels = downmix_.output_channels;
    info_.downmix = downmix_.description;
  } else {
    downmix_ = ear_downmix(sfinfo.channels).value();
  }
  if (info_.frames <= 0) {
    sf_close(file_);
    file_ = nullptr;
    throw CliError(kExitInput, "input '" + path.string() + "' holds no audio (0 frames)");
  }
}

AudioReader::~AudioReader() {
  if (file_) sf_close(file_);
}

std::int64_t AudioReader::read(float* interleaved, std::int64_t frames) {
  float* into = interleaved;
  if (!downmix_.passthrough) {
    file_frames_.resize(static_cast<std::size_t>(frames) * static_cast<std::size_t>(info_.file_channels));
    into = file_frames_.data();
  }
  const sf_count_t got = sf_readf_float(file_, into, frames);
  if (got < 0 || sf_error(file_) != SF_ERR_NO_ERROR) {
    throw CliError(kExitInput, "input '" + path_.string() + "' is corrupt: " + sf_strerror(file_));
  }
  if (!downmix_.passthrough) apply_ear_downmix(downmix_, into, got, interleaved);
  return got;
}

void AudioReader::rewind() {
  if (sf_seek(file_, 0, SEEK_SET) < 0) throw CliError(kExitInput, "input '" + path_.string() + "' cannot be read twice (not seekable)");
}

AudioData read_audio(const fs::path& path) {
  AudioReader reader(path);
  AudioData data;
  data.info = reader.info();
  const int ch = data.info.channels;
  data.channels.assign(ch, {});
  // The reader's frame count is what the file holds (counted where the header has none), and the
  // input check below bounds nothing else: reserve at most what a block-wise read would reach.
  for (auto& c : data.channels) c.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(data.info.frames, 0, std::int64_t{1} << 28)));
  std::vector<float> block(static_cast<std::size_t>(4096) * ch);
  InputChecker samples(ch);
  for (std::int64_t got; (got = reader.read(block.data(), 4096)) > 0;) {
    if (const SpecErrors bad = samples.add(block.data(), got); !bad.empty()) throw_input_error(path, bad);
    for (std::int64_t i = 0; i < got; ++i) {
      for (int c = 0; c < ch; ++c) data.channels[c].push_back(block[static_cast<std::size_t>(i) * ch + c]);
    }
  }
  return data;
}

OutputFormat output_format_for(const fs::path& path, int bits) {
  const std::string ext = lowercase_extension(path);
  OutputFormat f;
  if (bits != 0 && bits != 16 && bits != 24 && bits != 32) {
    throw CliError(kExitUsage, "--bits " + std::to_string(bits) + " is not allowed: use 16, 24 or 32 (float)");
  }
  if (ext == ".wav") {
    if (bits == 16) f = {SF_FORMAT_WAV | SF_FORMAT_PCM_16, SampleFormat::pcm16, "WAV 16-bit"};
    else if (bits == 24) f = {SF_FORMAT_WAV | SF_FORMAT_PCM_24, SampleFormat::pcm24, "WAV 24-bit"};
    else f = {SF_FORMAT_WAV | SF_FORMAT_FLOAT, SampleFormat::float32, "WAV float32"};
  } else if (ext == ".flac") {
    if (bits == 32) throw CliError(kExitUsage, "--bits 32 (float) cannot be stored in FLAC: use 16 or 24, or a .wav output");
    if (bits == 16) f = {SF_FORMAT_FLAC | SF_FORMAT_PCM_16, SampleFormat::pcm16, "FLAC 16-bit"};
    else f = {SF_FORMAT_FLAC | SF_FORMAT_PCM_24, SampleFormat::pcm24, "FLAC 24-bit"};
  } else {
    throw CliError(kExitOutput, "output '" + path.string() + "' must end in .wav or .flac");
  }
  return f;
}

void check_output_path(const fs::path& output, const fs::path& input) {
  OutputSet rules;
  rules.add_input(input);
  rules.check(output);
}

AudioWriter::AudioWriter(const fs::path& target, const OutputFormat& format, double sample_rate_hz, int channels, OutputSet* set)
    : set_(set),
      target_(target),
      integer_(format.sample != SampleFormat::float32),
      float_wav_((format.sndfile_format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAV && format.sample == SampleFormat::float32),
      channels_(channels) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!set_) {
    own_set_ = std::make_unique<OutputSet>();
    set_ = own_set_.get();
  }
  SF_INFO sfinfo{};
  sfinfo.samplerate = static_cast<int>(sample_rate_hz);
  sfinfo.channels = channels;
  sfinfo.format = format.sndfile_format;
  if (!sf_format_check(&sfinfo)) {
    throw CliError(kExitOutput, "cannot write " + format.description + " at " + std::to_string(sfinfo.samplerate) + " Hz");
  }
  temp_ = set_->reserve(target);  // its own unique temporary beside the target
  std::string why_not;
  file_ = open_sndfile(temp_.c_str(), SFM_WRITE, &sfinfo, why_not);
  if (!file_) throw CliError(kExitOutput, "cannot write to '" + dir.string() + "': " + why_not);
  // Integer formats: clip rather than wrap; clipped samples are counted and reported.
  sf_command(file_, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  // No PEAK chunk: it carries a wall-clock timestamp, and the same render must give the same bytes.
  sf_command(file_, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
}

AudioWriter::~AudioWriter() {
  if (file_) sf_close(file_);  // the set removes the temporary
}

void AudioWriter::write(const float* interleaved, std::int64_t frames) {
  if (integer_) {
    for (std::int64_t i = 0; i < frames * channels_; ++i) clipped_ += std::fabs(interleaved[i]) > 1.0f;
  }
  const sf_count_t put = sf_writef_float(file_, interleaved, frames);
  if (put != frames) throw CliError(kExitOutput, "writing '" + target_.string() + "' failed: " + sf_strerror(file_));
}

void AudioWriter::commit() {
  // libsndfile writes its header on close; sync first (fsync), and check both.
  sf_write_sync(file_);
  const int sync_error = sf_error(file_);
  const int close_error = sf_close(file_);
  file_ = nullptr;
  if (sync_error != SF_ERR_NO_ERROR || close_error != 0) {
    throw CliError(kExitOutput, "writing '" + target_.string() + "' failed: " + sf_error_number(sync_error ? sync_error : close_error));
  }
  // libsndfile's float WAV has the 16-byte fmt chunk of PCM; give it the cbSize the format
  // defines, so that readers such as sox take it without a warning. (A header this cannot patch
  // stays as libsndfile wrote it: every reader still reads it.)
  if (float_wav_) complete_float_wav_fmt_chunk(temp_);
  set_->finished(target_);
  if (own_set_) own_set_->commit();
}

}  // namespace earshot::cli
