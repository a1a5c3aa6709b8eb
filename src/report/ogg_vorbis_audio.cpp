#include "report/ogg_vorbis_audio.hpp"

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include "report/png_image.hpp"  // base64

namespace earshot {
namespace {

// The encoded file, growing in memory: libsndfile's virtual I/O (sf_open_virtual) writes, seeks
// and reads back through these.
struct MemoryFile {
  std::vector<std::uint8_t> bytes;
  sf_count_t position = 0;
};

sf_count_t memory_length(void* user) { return static_cast<sf_count_t>(static_cast<MemoryFile*>(user)->bytes.size()); }

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t base = whence == SEEK_CUR ? f->position : whence == SEEK_END ? static_cast<sf_count_t>(f->bytes.size()) : 0;
  if (base + offset < 0) return -1;
  f->position = base + offset;
  return f->position;
}

sf_count_t memory_read(void* to, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t size = static_cast<sf_count_t>(f->bytes.size());
  const sf_count_t n = std::clamp<sf_count_t>(size - f->position, 0, count);
  if (n > 0) std::memcpy(to, f->bytes.data() + f->position, static_cast<std::size_t>(n));
  f->position += n;
  return n;
}

sf_count_t memory_write(const void* from, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const auto end = static_cast<std::size_t>(f->position + count);
  if (end > f->bytes.size()) f->bytes.resize(end);
  std::memcpy(f->bytes.data() + f->position, from, static_cast<std::size_t>(count));
  f->position += count;
  return count;
}

sf_count_t memory_tell(void* user) { return static_cast<MemoryFile*>(user)->position; }

// The Ogg page checksum (RFC 3533 section 6): CRC-32 with generator 0x04c11db7, most significant
// bit first, initial value 0 and no final inversion, over the page with its checksum field zeroed.
std::uint32_t ogg_crc(const std::uint8_t* data, std::size_t size) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t r = i << 24;
      for (int k = 0; k < 8; ++k) r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
      t[i] = r;
    }
    return t;
  }();
  std::uint32_t crc = 0;
  for (std::size_t i = 0; i < size; ++i) crc = (crc << 8) ^ table[((crc >> 24) ^ data[i]) & 0xff];
  return crc;
}

void put_le32(std::uint8_t* at, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) at[k] = static_cast<std::uint8_t>(v >> (8 * k));
}

// libsndfile gives each Ogg stream a random serial number (it has no command to set one), so the
// same sound would encode to different bytes on every run, and so would the report. The serial
// only tells multiplexed streams apart (RFC 3533 section 4); a file of one stream may carry any,
// so every page gets the same fixed one, and its checksum again.
void fix_serial_number(std::vector<std::uint8_t>& ogg) {
  constexpr std::uint32_t kSerial = 0x65617273;  // "ears"
  constexpr std::size_t kHeaderBytes = 27;        // capture pattern ... page_segments
  std::size_t page = 0;
  while (page + kHeaderBytes <= ogg.size()) {
    std::uint8_t* p = ogg.data() + page;
    if (std::memcmp(p, "OggS", 4) != 0) throw std::runtime_error("libsndfile wrote an Ogg stream that is not one: no page at byte " + std::to_string(page));
    const std::size_t segments = p[26];
    if (page + kHeaderBytes + segments > ogg.size()) break;
    std::size_t body = 0;
    for (std::size_t s = 0; s < segments; ++s) body += p[kHeaderBytes + s];
    const std::size_t size = kHeaderBytes + segments + body;
    if (page + size > ogg.size()) throw std::runtime_error("libsndfile wrote a truncated Ogg page at byte " + std::to_string(page));
    put_le32(p + 14, kSerial);
    put_le32(p + 22, 0);
    put_le32(p + 22, ogg_crc(p, size));
    page += size;
  }
}

}  // namespace

std::vector<std::uint8_t> encode_ogg_vorbis(const std::vector<std::vector<float>>& channels, double sample_rate_hz, double quality) {
  if (channels.empty()) throw std::invalid_argument("encode_ogg_vorbis: no channels");
  for (const auto& c : channels) {
    if (c.size() != channels.front().size()) throw std::invalid_argument("encode_ogg_vorbis: channels of unequal length");
  }
  if (!(quality >= 0.0 && quality <= 1.0)) throw std::invalid_argument("encode_ogg_vorbis: quality outside 0...1");
  MemoryFile file;
  SF_VIRTUAL_IO io{memory_length, memory_seek, memory_read, memory_write, memory_tell};
  SF_INFO info{};
  info.samplerate = static_cast<int>(sample_rate_hz);
  info.channels = static_cast<int>(channels.size());
  info.format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  SNDFILE* sf = sf_open_virtual(&io, SFM_WRITE, &info, &file);
  if (!sf) throw std::runtime_error(std::string("libsndfile could not start an Ogg Vorbis stream: ") + sf_strerror(nullptr));
  // Before the first sample: the quality is read when the encoder starts.
  double q = quality;
  sf_command(sf, SFC_SET_VBR_ENCODING_QUALITY, &q, sizeof q);
  // In blocks, interleaved: memory stays at one block beside the output.
  constexpr std::size_t kBlockFrames = 8192;
  const std::size_t frames = channels.front().size();
  std::vector<float> block(kBlockFrames * channels.size());
  for (std::size_t start = 0; start < frames; start += kBlockFrames) {
    const std::size_t n = std::min(kBlockFrames, frames - start);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t c = 0; c < channels.size(); ++c) block[i * channels.size() + c] = channels[c][start + i];
    }
    if (sf_writef_float(sf, block.data(), static_cast<sf_count_t>(n)) != static_cast<sf_count_t>(n)) {
      const std::string why = sf_strerror(sf);
      sf_close(sf);
      throw std::runtime_error("libsndfile failed to encode Ogg Vorbis: " + why);
    }
  }
  if (sf_close(sf) != 0) throw std::runtime_error("libsndfile failed to finish an Ogg Vorbis stream");
  fix_serial_number(file.bytes);
  return std::move(file.bytes);
}

std::string ogg_vorbis_data_uri(const std::vector<std::vector<float>>& channels, double sample_rate_hz, double quality) {
  return "data:audio/ogg;base64," + base64(encode_ogg_vorbis(channels, sample_rate_hz, quality));
}

}  // namespace earshot
