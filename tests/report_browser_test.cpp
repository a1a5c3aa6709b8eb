// `earshot report` opened in a real browser (headless Chromium from Debian): every image loads and
// the audiograms show the listener's points. Also its exit codes on bad requests.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <sndfile.h>

#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;

int run(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
  // Chromium as a user would open the file: no network, a fresh profile, the load event run.
  const std::string browse = "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                             "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" +
                             (dir_ / "profile").string() + " --virtual-time-budget=5000 --dump-dom file://" + html.string() +
                             " >" + (dir_ / "dom.html").string() + " 2>/dev/null";
  ASSERT_EQ(run(browse), 0);
  const std::string dom = slurp(dir_ / "dom.html");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dom, m, std::regex("<body[^>]*data-images-total=\"(\\d+)\"[^>]*data-images-loaded=\"(\\d+)\"[^>]*data-audiogram-points=\"(\\d+)\"")))
      << dom.substr(0, 500);
  EXPECT_EQ(m[1], "3");  // input, left ear, right ear spectrograms
  EXPECT_EQ(m[2], "3");  // ... and every one of them decoded
  EXPECT_EQ(m[3], "13"); // N3's 10 points (250...6000 Hz) and the right ear's 3
  // The right ear's points are where its audiogram says.
  EXPECT_NE(dom.find("class=\"point right\" data-frequency-hz=\"4000.0\" data-level-db-hl=\"70.0\""), std::string::npos);
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
