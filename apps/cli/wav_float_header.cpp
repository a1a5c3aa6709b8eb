#include "apps/cli/wav_float_header.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "apps/cli/cli_error.hpp"

namespace earshot::cli {
namespace {

std::uint32_t le32(const unsigned char* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24); }
std::uint16_t le16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

constexpr std::uint16_t kWaveFormatPcm = 1;
constexpr std::uint16_t kWaveFormatIeeeFloat = 3;
constexpr std::size_t kHeaderBytesRead = 4096;  // libsndfile's header, with its PAD chunk, is well within this

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void fail(const std::filesystem::path& wav, const char* what) {
  throw CliError(kExitOutput, "writing '" + wav.string() + "' failed (" + what + "): " + std::strerror(errno));
}

}  // namespace

bool complete_float_wav_fmt_chunk(const std::filesystem::path& wav) {
  Fd f{::open(wav.c_str(), O_RDWR | O_CLOEXEC)};
  if (f.fd < 0) fail(wav, "reopening its header");
  std::vector<unsigned char> head(kHeaderBytesRead);
  const ssize_t got = ::pread(f.fd, head.data(), head.size(), 0);
  if (got < 0) fail(wav, "reading its header");
  head.resize(static_cast<std::size_t>(got));
  if (head.size() < 12 || std::memcmp(head.data(), "RIFF", 4) != 0 || std::memcmp(head.data() + 8, "WAVE", 4) != 0) return false;

  // The chunks before the audio: their offsets and sizes.
  struct Chunk {
    std::size_t at;  // of its 8-byte header
    std::uint32_t size;
    std::string id;
  };
  std::vector<Chunk> chunks;
  for (std::size_t at = 12; at + 8 <= head.size();) {
    Chunk c{at, le32(head.data() + at + 4), std::string(reinterpret_cast<const char*>(head.data() + at), 4)};
    chunks.push_back(c);
    if (c.id == "data") break;
    at += 8 + c.size + (c.size & 1u);
  }
  std::size_t fmt = chunks.size(), pad = chunks.size(), data = chunks.size();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (chunks[i].id == "fmt " && fmt == chunks.size()) fmt = i;
    if ((chunks[i].id == "PAD " || chunks[i].id == "JUNK") && fmt < i && pad == chunks.size()) pad = i;
    if (chunks[i].id == "data") data = i;
  }
  if (fmt == chunks.size() || data == chunks.size() || chunks[fmt].size < 16) return false;
  const std::uint16_t tag = le16(head.data() + chunks[fmt].at + 8);
  if (tag == kWaveFormatPcm || chunks[fmt].size >= 18) return true;  // PCM needs no cbSize; an extended chunk has it
  if (tag != kWaveFormatIeeeFloat || pad == chunks.size() || pad > data || chunks[pad].size < 2) return false;

  // Rebuild the bytes from fmt up to the data chunk: fmt (18 bytes, cbSize 0), the chunks between
  // (fact) two bytes later, the PAD chunk two bytes shorter, the rest where it was.
  const std::size_t from = chunks[fmt].at, to = chunks[data].at;
  const std::size_t pad_at = chunks[pad].at - from;  // offsets within the rebuilt bytes
  std::vector<unsigned char> rebuilt(head.begin() + static_cast<std::ptrdiff_t>(from), head.begin() + static_cast<std::ptrdiff_t>(to));
  const unsigned char* old = head.data() + from;
  const auto set32 = [&rebuilt](std::size_t at, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) rebuilt[at + i] = static_cast<unsigned char>(v >> (8 * i));
  };
  set32(4, 18);
  rebuilt[24] = 0;  // cbSize = 0: no extension
  rebuilt[25] = 0;
  std::copy(old + 24, old + pad_at, rebuilt.begin() + 26);                 // fact, as it was
  std::copy(old + pad_at, old + pad_at + 8, rebuilt.begin() + static_cast<std::ptrdiff_t>(pad_at + 2));  // PAD's header
  set32(pad_at + 2 + 4, chunks[pad].size - 2);
  // The PAD's body (zeros) two bytes shorter; its size parity is unchanged, so what follows it
  // stays where it was.
  std::fill(rebuilt.begin() + static_cast<std::ptrdiff_t>(pad_at + 10), rebuilt.begin() + static_cast<std::ptrdiff_t>(pad_at + 8 + chunks[pad].size), 0);
  if (::pwrite(f.fd, rebuilt.data(), rebuilt.size(), static_cast<off_t>(from)) != static_cast<ssize_t>(rebuilt.size())) {
    fail(wav, "writing its header");
  }
  if (::fsync(f.fd) != 0) fail(wav, "syncing its header");
  return true;
}

}  // namespace earshot::cli
