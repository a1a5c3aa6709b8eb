// The report's audio encoder (report/ogg_vorbis_audio.hpp): what it writes decodes back, through
// libsndfile as any player would read it, as long as the input, at its rate, with a tone's level
// where it was (calibrated audio stays calibrated: nothing is normalised).
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "report/ogg_vorbis_audio.hpp"

namespace earshot {
namespace {

struct Decoded {
  int sample_rate_hz = 0, channels = 0, format = 0;
  std::vector<std::vector<float>> samples;
};

struct Reader {
  const std::vector<std::uint8_t>* bytes;
  sf_count_t position = 0;
};

Decoded decode(const std::vector<std::uint8_t>& bytes) {
  SF_VIRTUAL_IO io{
      [](void* u) { return static_cast<sf_count_t>(static_cast<Reader*>(u)->bytes->size()); },
      [](sf_count_t offset, int whence, void* u) {
        auto* r = static_cast<Reader*>(u);
        r->position = (whence == SEEK_CUR ? r->position : whence == SEEK_END ? static_cast<sf_count_t>(r->bytes->size()) : 0) + offset;
        return r->position;
      },
      [](void* to, sf_count_t count, void* u) {
        auto* r = static_cast<Reader*>(u);
        const sf_count_t n = std::max<sf_count_t>(0, std::min<sf_count_t>(count, static_cast<sf_count_t>(r->bytes->size()) - r->position));
        if (n > 0) std::memcpy(to, r->bytes->data() + r->position, static_cast<std::size_t>(n));
        r->position += n;
        return n;
      },
      [](const void*, sf_count_t, void*) -> sf_count_t { return 0; },
      [](void* u) { return static_cast<Reader*>(u)->position; }};
  Reader reader{&bytes};
  SF_INFO info{};
  SNDFILE* f = sf_open_virtual(&io, SFM_READ, &info, &reader);
  if (!f) throw std::runtime_error(std::string("libsndfile cannot read the encoded bytes: ") + sf_strerror(nullptr));
  Decoded d;
  d.sample_rate_hz = info.samplerate;
  d.channels = info.channels;
  d.format = info.format;
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) * info.channels);
  const sf_count_t got = sf_readf_float(f, interleaved.data(), info.frames);
  sf_close(f);
  d.samples.assign(static_cast<std::size_t>(info.channels), std::vector<float>(static_cast<std::size_t>(got)));
  for (sf_count_t i = 0; i < got; ++i) {
    for (int c = 0; c < info.channels; ++c) d.samples[c][i] = interleaved[static_cast<std::size_t>(i) * info.channels + c];
  }
  return d;
}

std::vector<float> sine(double frequency_hz, double rms_dbfs, double fs, std::size_t frames) {
  const double amplitude = std::sqrt(2.0) * std::pow(10.0, rms_dbfs / 20.0);
  std::vector<float> x(frames);
  for (std::size_t i = 0; i < frames; ++i) x[i] = static_cast<float>(amplitude * std::sin(2.0 * M_PI * frequency_hz * i / fs));
  return x;
}

// RMS level (dB re digital full scale RMS 1.0) of the middle half, away from the codec's edges.
double middle_rms_db(const std::vector<float>& x) {
  double sum = 0.0;
  const std::size_t from = x.size() / 4, to = 3 * x.size() / 4;
  for (std::size_t i = from; i < to; ++i) sum += double(x[i]) * x[i];
  return 10.0 * std::log10(sum / static_cast<double>(to - from));
}

TEST(OggVorbisAudio, DecodesToTheSameLengthRateAndToneLevelAtEveryRate) {
  // Every rate earshot renders at has a Vorbis mode (8 to 192 kHz); odd lengths too.
  for (double fs : {8000.0, 16000.0, 22050.0, 44100.0, 48000.0, 96000.0, 192000.0}) {
    const std::size_t frames = static_cast<std::size_t>(1.5 * fs) + 37;
    for (double level_dbfs : {-20.0, -50.0}) {  // a loud and a quiet ear: each keeps its own level
      const auto x = sine(1000.0, level_dbfs, fs, frames);
      const Decoded d = decode(encode_ogg_vorbis({x}, fs));
      EXPECT_EQ(d.format, SF_FORMAT_OGG | SF_FORMAT_VORBIS);
      EXPECT_EQ(d.sample_rate_hz, static_cast<int>(fs));
      ASSERT_EQ(d.channels, 1);
      EXPECT_EQ(d.samples[0].size(), frames) << fs << " Hz";
      EXPECT_NEAR(middle_rms_db(d.samples[0]), level_dbfs, 1.0) << fs << " Hz, " << level_dbfs << " dBFS";
    }
  }
}

TEST(OggVorbisAudio, KeepsTwoChannelsApartAndTheirLevels) {
  const double fs = 16000.0;
  const auto left = sine(500.0, -18.0, fs, 24000), right = sine(2000.0, -38.0, fs, 24000);
  const Decoded d = decode(encode_ogg_vorbis({left, right}, fs));
  ASSERT_EQ(d.channels, 2);
  EXPECT_NEAR(middle_rms_db(d.samples[0]), -18.0, 1.0);
  EXPECT_NEAR(middle_rms_db(d.samples[1]), -38.0, 1.0);
}

TEST(OggVorbisAudio, TheSameSoundGivesTheSameBytes) {
  // The Ogg serial number libsndfile draws at random is fixed: a report is reproducible.
  const auto x = sine(440.0, -25.0, 22050.0, 30000);
  const auto a = encode_ogg_vorbis({x}, 22050.0), b = encode_ogg_vorbis({x}, 22050.0);
  EXPECT_EQ(a, b);
  // Still a valid Ogg stream after the rewrite (libsndfile checks each page's CRC as it reads).
  EXPECT_EQ(decode(a).samples[0].size(), x.size());
}

TEST(OggVorbisAudio, TheReportQualityIsSmallAndHigherQualityIsLarger) {
  // Ten seconds of a harmonic, speech-like tone complex at 16 kHz: the report's setting stays under
  // 48 kbit/s (60 kB; measured 22 kB), and the best quality spends half as many again (36.6 kB):
  // the setting is applied.
  const double fs = 16000.0;
  std::vector<float> x(160000, 0.0f);
  for (int h = 1; h <= 20; ++h) {
    const auto part = sine(120.0 * h, -30.0 - 2.0 * h, fs, x.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += part[i] * static_cast<float>(0.5 + 0.5 * std::sin(2.0 * M_PI * 4.0 * i / fs));
  }
  const auto report = encode_ogg_vorbis({x}, fs), best = encode_ogg_vorbis({x}, fs, 1.0);
  EXPECT_LT(report.size(), 60000u);
  EXPECT_GT(best.size(), report.size() * 3 / 2);
}

TEST(OggVorbisAudio, DataUriIsBase64OggAndBadArgumentsThrow) {
  const auto uri = ogg_vorbis_data_uri({sine(1000.0, -20.0, 8000.0, 8000)}, 8000.0);
  EXPECT_EQ(uri.rfind("data:audio/ogg;base64,T2dnUw", 0), 0u);  // "OggS", the capture pattern
  EXPECT_THROW(encode_ogg_vorbis({}, 16000.0), std::invalid_argument);
  EXPECT_THROW(encode_ogg_vorbis({std::vector<float>(10), std::vector<float>(11)}, 16000.0), std::invalid_argument);
  EXPECT_THROW(encode_ogg_vorbis({std::vector<float>(10)}, 16000.0, 1.5), std::invalid_argument);
}

}  // namespace
}  // namespace earshot
