// `earshot report` opened in a real browser (headless Chromium from Debian): every image loads,
// every player's sound decodes (readyState HAVE_CURRENT_DATA or more), the audiograms show the
// listener's points, and a page for a minute of speech stays small. Also its exit codes on bad requests.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <utility>

#include <sndfile.h>

#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;

int run(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Chromium as a user would open the file: no network, a fresh profile, the load event run and
// the players given time to decode. Returns the DOM after that ("" if Chromium failed).
std::string browse(const fs::path& html, const fs::path& dir) {
  const std::string cmd = "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                          "--disable-background-networking --disable-component-update --disable-sync --autoplay-policy=no-user-gesture-required "
                          "--user-data-dir=" + (dir / "profile").string() + " --virtual-time-budget=10000 --dump-dom file://" + html.string() +
                          " >" + (dir / "dom.html").string() + " 2>/dev/null";
  return run(cmd) == 0 ? slurp(dir / "dom.html") : std::string();
}

// The <body ...> tag of a DOM (its data attributes are the page's own checks), searched with
// std::regex only there: libstdc++'s regex is too slow for a page of megabytes.
std::string body_tag(const std::string& dom) {
  const std::size_t from = dom.find("<body");
  return from == std::string::npos ? std::string() : dom.substr(from, dom.find('>', from) + 1 - from);
}

// How many <audio> elements the page has and how many reached readyState >= 2 (the page's own
// script counts them into data attributes of <body> as they load).
std::pair<int, int> audio_ready(const std::string& dom) {
  std::smatch m;
  const std::string body = body_tag(dom);
  if (!std::regex_search(body, m, std::regex("<body[^>]*data-audio-total=\"(\\d+)\"[^>]*data-audio-ready=\"(\\d+)\""))) return {-1, -1};
  return {std::stoi(m[1]), std::stoi(m[2])};
}

class Report : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("earshot_report_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(Report, RendersInHeadlessChromiumWithEveryImageAndTheAudiogramPoints) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "EARSHOT_CORPUS is not set to shared/corpus: real-audio test skipped";
  if (run("command -v chromium >/dev/null 2>&1") != 0) GTEST_SKIP() << "chromium is not installed (scripts/setup-debian.sh installs it)";
  const fs::path html = dir_ / "report.html";
  const std::string cmd = std::string(EARSHOT_BINARY) + " report " + (*corpus / "speech" / "harvard_spk1_snt1_F_en.wav").string() +
                          " --noise " + (*corpus / "noise" / "speechcommands_doing_the_dishes_0-20s.wav").string() +
                          " --noise-level 55 --listener \"left=N3,right=250:20,1000:30,4000:70\" -o " + html.string() +
                          " >" + (dir_ / "out.txt").string() + " 2>&1";
  ASSERT_EQ(run(cmd), 0) << slurp(dir_ / "out.txt");
  const std::string dom = browse(html, dir_);
  ASSERT_FALSE(dom.empty());
  std::smatch m;
  const std::string body = body_tag(dom);
  ASSERT_TRUE(std::regex_search(body, m, std::regex("<body[^>]*data-images-total=\"(\\d+)\"[^>]*data-images-loaded=\"(\\d+)\"[^>]*data-audiogram-points=\"(\\d+)\"")))
      << body;
  EXPECT_EQ(m[1], "3");  // input, left ear, right ear spectrograms
  EXPECT_EQ(m[2], "3");  // ... and every one of them decoded
  EXPECT_EQ(m[3], "13"); // N3's 10 points (250...6000 Hz) and the right ear's 3
  // The right ear's points are where its audiogram says.
  EXPECT_NE(dom.find("class=\"point right\" data-frequency-hz=\"4000.0\" data-level-db-hl=\"70.0\""), std::string::npos);
  // The players: the input, the left ear, the right ear, each with its sound decoded.
  EXPECT_EQ(audio_ready(dom), std::make_pair(3, 3));
}

// The page for a minute of real speech in noise, for a bimodal listener (three players and an
// electrodogram besides the spectrograms: the most a page holds) stays under kMaxPageBytes, and
// everything on it loads. Measured 2026-12-01: 1.79 MB, of which 0.71 MB the three players and 1.06 MB
// the four pictures (README, "The report"); the limit leaves room for the spectrograms' axes.
TEST_F(Report, AMinuteOfSpeechMakesAPageUnderTwoAndAHalfMegabytesWhosePlayersAndPicturesLoad) {
  constexpr std::uintmax_t kMaxPageBytes = 2'500'000;
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "EARSHOT_CORPUS is not set to shared/corpus: real-audio test skipped";
  if (run("command -v chromium >/dev/null 2>&1") != 0) GTEST_SKIP() << "chromium is not installed (scripts/setup-debian.sh installs it)";
  // 60 s of 16 kHz read speech (LibriSpeech, LibriVox, CMU ARCTIC, Harvard sentences), one after another.
  std::vector<float> speech;
  const char* files[] = {"librispeech_5703-47212-0000_M_en.flac", "librispeech_198-209-0000_F_en.flac",
                         "librivox_sense_and_sensibility_ch01_0870_M_en.wav", "librivox_sense_and_sensibility_ch01_0920_M_en.wav",
                         "cmu_arctic_aew_a0001_M_en.wav", "cmu_arctic_aew_a0002_M_en.wav", "cmu_arctic_axb_a0004_F_en.wav",
                         "cmu_arctic_axb_a0006_F_en.wav", "harvard_spk1_snt1_F_en.wav", "harvard_spk1_snt2_F_en.wav",
                         "harvard_spk1_snt3_F_en.wav"};
  for (const char* f : files) {
    double fs = 0.0;
    const auto x = read_mono(*corpus / "speech" / f, &fs);
    ASSERT_EQ(fs, 16000.0) << f;
    speech.insert(speech.end(), x.begin(), x.end());
  }
  ASSERT_GE(speech.size(), 60u * 16000u);
  speech.resize(60u * 16000u);
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* f = sf_open((dir_ / "minute.wav").c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr);
  sf_writef_float(f, speech.data(), static_cast<sf_count_t>(speech.size()));
  sf_close(f);
  const fs::path html = dir_ / "minute.html";
  const std::string cmd = std::string(EARSHOT_BINARY) + " report " + (dir_ / "minute.wav").string() + " --noise " +
                          (*corpus / "noise" / "speechcommands_doing_the_dishes_0-20s.wav").string() +
                          " --noise-level 55 --listener \"left=N3,right=ci:nucleus-ace\" -o " + html.string() + " >" +
                          (dir_ / "out.txt").string() + " 2>&1";
  ASSERT_EQ(run(cmd), 0) << slurp(dir_ / "out.txt");
  const std::uintmax_t bytes = fs::file_size(html);
  std::printf("report for 60 s of speech in noise, left N3, right ci:nucleus-ace: %ju bytes\n", bytes);
  EXPECT_LT(bytes, kMaxPageBytes);
  const std::string dom = browse(html, dir_);
  ASSERT_FALSE(dom.empty());
  EXPECT_EQ(audio_ready(dom), std::make_pair(3, 3));
  std::smatch m;
  const std::string body = body_tag(dom);
  ASSERT_TRUE(std::regex_search(body, m, std::regex("<body[^>]*data-images-total=\"(\\d+)\"[^>]*data-images-loaded=\"(\\d+)\"")));
  EXPECT_EQ(m[1], "4");  // three spectrograms and the right ear's electrodogram
  EXPECT_EQ(m[2], "4");
}

TEST_F(Report, BadRequestsFailWithTheirExitCodesAndWriteNothing) {
  const auto speech = tone(500.0, 60.0, 16000.0, 1.0);
  // A speech-like file: tone bursts.
  std::vector<float> x = speech;
  for (std::size_t i = 0; i < x.size(); ++i) x[i] *= (i / 4000) % 2 ? 0.05f : 1.0f;
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* f = sf_open((dir_ / "s.wav").c_str(), SFM_WRITE, &info);
  sf_writef_float(f, x.data(), static_cast<sf_count_t>(x.size()));
  sf_close(f);
  const std::string bin = EARSHOT_BINARY;
  EXPECT_EQ(run(bin + " report " + (dir_ / "s.wav").string() + " -o " + (dir_ / "r.pdf").string() + " 2>/dev/null"), 4);
  EXPECT_EQ(run(bin + " report " + (dir_ / "missing.wav").string() + " -o " + (dir_ / "r.html").string() + " 2>/dev/null"), 3);
  EXPECT_EQ(run(bin + " report " + (dir_ / "s.wav").string() + " --listener N9 -o " + (dir_ / "r.html").string() + " 2>/dev/null"), 2);
  EXPECT_FALSE(fs::exists(dir_ / "r.html"));
  EXPECT_FALSE(fs::exists(dir_ / "r.pdf"));
}

}  // namespace
}  // namespace earshot::test
