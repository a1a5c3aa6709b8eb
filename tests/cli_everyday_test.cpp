// The everyday steps of the command line a new user hits (issue 15), run as a user would: exit
// codes, one line on stderr where a step fails, and the output asked for.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "apps/cli/audio_file.hpp"
#include "dsp/speech_level.hpp"
#include "cli_folder_test.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;

bool have_program(const std::string& name) { return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0; }

class CliEveryday : public CliFolderTest {
 protected:
  // Runs in dir_: the tests name their files relative to it.
  CliRun run(const std::string& args) const { return run_in_folder(args); }

  fs::path wav(const std::string& name, const std::vector<float>& interleaved, double fs, int channels) {
    const fs::path p = dir_ / name;
    SF_INFO info{};
    info.samplerate = static_cast<int>(fs);
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
    EXPECT_NE(f, nullptr) << p;
    sf_writef_float(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size() / channels));
    sf_close(f);
    return p;
  }

  static std::vector<std::vector<float>> read_all(const fs::path& p) {
    cli::AudioReader r(p);
    const int ch = r.info().channels;
    std::vector<float> x(static_cast<std::size_t>(r.info().frames) * ch);
    EXPECT_EQ(r.read(x.data(), r.info().frames), r.info().frames);
    std::vector<std::vector<float>> planar(ch);
    for (std::size_t i = 0; i < x.size(); ++i) planar[i % ch].push_back(x[i]);
    return planar;
  }
};

// A float WAV's fmt chunk as the format defines it for a non-PCM format: 18 bytes, cbSize 0.
struct FmtChunk {
  std::uint32_t size = 0;
  std::uint16_t tag = 0, cb_size = 0xffff;
  std::size_t data_at = 0;
};
FmtChunk fmt_chunk_of(const fs::path& p) {
  const std::string b = slurp(p);
  const auto u32 = [&](std::size_t at) {
    return std::uint32_t(std::uint8_t(b[at])) | std::uint32_t(std::uint8_t(b[at + 1])) << 8 |
           std::uint32_t(std::uint8_t(b[at + 2])) << 16 | std::uint32_t(std::uint8_t(b[at + 3])) << 24;
  };
  const auto u16 = [&](std::size_t at) { return std::uint16_t(std::uint8_t(b[at]) | std::uint8_t(b[at + 1]) << 8); };
  FmtChunk f;
  for (std::size_t at = 12; at + 8 <= b.size();) {
    const std::string id = b.substr(at, 4);
    const std::uint32_t size = u32(at + 4);
    if (id == "fmt ") {
      f.size = size;
      f.tag = u16(at + 8);
      if (size >= 18) f.cb_size = u16(at + 8 + 16);
    }
    if (id == "data") {
      f.data_at = at + 8;
      break;
    }
    at += 8 + size + (size & 1u);
  }
  return f;
}

TEST_F(CliEveryday, FloatWavOutputsHaveTheStandardFmtChunkSoSoxReadsThemWithoutAWarning) {
  const auto in = wav("in.wav", speechlike(16000.0, 1.0), 16000.0, 1);
  for (const char* listener : {"N3", "left=N2,right=N4"}) {  // a mono and a stereo output
    const CliRun r = run("render in.wav out.wav --listener " + std::string(listener));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const FmtChunk f = fmt_chunk_of(dir_ / "out.wav");
    EXPECT_EQ(f.tag, 3) << "WAVE_FORMAT_IEEE_FLOAT";
    EXPECT_EQ(f.size, 18u) << listener;
    EXPECT_EQ(f.cb_size, 0) << listener;
    // The samples are still there, all of them, where the header says.
    const auto out = read_all(dir_ / "out.wav");
    EXPECT_EQ(out[0].size(), 16000u);
    EXPECT_EQ(fs::file_size(dir_ / "out.wav"), f.data_at + out.size() * out[0].size() * sizeof(float)) << listener;
    if (have_program("sox")) {
      const int status = std::system(("sox --i " + (dir_ / "out.wav").string() + " >/dev/null 2>" + (dir_ / "sox.err").string()).c_str());
      EXPECT_EQ(WEXITSTATUS(status), 0);
      EXPECT_EQ(slurp(dir_ / "sox.err"), "") << "sox warns on " << listener;
    }
  }
  // 16-bit PCM keeps its 16-byte chunk (PCM has no cbSize).
  ASSERT_EQ(run("render in.wav out16.wav --listener N3 --bits 16").exit_code, 0);
  EXPECT_EQ(fmt_chunk_of(dir_ / "out16.wav").size, 16u);
  EXPECT_EQ(fmt_chunk_of(dir_ / "out16.wav").tag, 1);
}

TEST_F(CliEveryday, SceneStemsFolderWithATrailingSlashIsAccepted) {
  wav("in.wav", speechlike(16000.0, 1.0), 16000.0, 1);
  std::ofstream(dir_ / "s.toml") << "[[input]]\nfile = \"in.wav\"\n[[keyframe]]\ntime_s = 0\nlistener = \"N3\"\n";
  const CliRun r = run("scene s.toml -o s.wav --stems stems/");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir_ / "stems" / "room.wav"));
  EXPECT_TRUE(fs::is_regular_file(dir_ / "stems" / "listener_left.wav"));
  EXPECT_EQ(fmt_chunk_of(dir_ / "stems" / "room.wav").size, 18u);  // stems are float WAVs too
  // A folder inside a missing one is still refused, and nothing is written.
  expect_one_line_error(run("scene s.toml -o s2.wav --stems missing/stems/"), 4, "its parent does not exist");
  EXPECT_FALSE(fs::exists(dir_ / "s2.wav"));
}

// 5.1 (L R C LFE Ls Rs): a tone in the centre alone reaches each ear at -3 dB (ITU-R BS.775).
TEST_F(CliEveryday, FivePointOneCentreReachesBothEarsAtMinusThreeDecibels) {
  const double fs = 16000.0;
  const auto c = speechlike(fs, 1.0);
  std::vector<float> six(c.size() * 6, 0.0f), two(c.size() * 2, 0.0f);
  for (std::size_t i = 0; i < c.size(); ++i) {
    six[i * 6 + 2] = c[i];
    six[i * 6 + 3] = 0.5f * c[i];  // LFE: dropped
    two[i * 2] = two[i * 2 + 1] = 0.70710678f * c[i];
  }
  wav("six.wav", six, fs, 6);
  wav("two.wav", two, fs, 2);
  const CliRun r = run("render six.wav six_out.wav --listener normal --calibration 100 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["input"]["channels"], 6);
  EXPECT_NE(j["input"]["downmix"].get<std::string>().find("ITU-R BS.775"), std::string::npos);
  EXPECT_EQ(j["output"]["channels"], 2);
  // The input as the ears get it: the centre's long-term level less 3.01 dB.
  double c_ms = 0.0;
  for (float v : c) c_ms += double(v) * v;
  const double c_db_spl = 10.0 * std::log10(c_ms / c.size()) + 100.0;
  EXPECT_NEAR(j["input"]["long_term_level_db_spl"].get<double>(), c_db_spl - 3.0103, 0.01);
  // Sample for sample the render of a stereo file holding 0.7071 C in each ear.
  ASSERT_EQ(run("render two.wav two_out.wav --listener normal --calibration 100").exit_code, 0);
  const auto a = read_all(dir_ / "six_out.wav"), b = read_all(dir_ / "two_out.wav");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a[0], a[1]);
  // The text summary says what was done.
  const CliRun text = run("render six.wav six_out2.wav --listener N3");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("input: 5.1 (L R C LFE Ls Rs) downmixed to the two ears by ITU-R BS.775: "
                          "L + 0.7071 C + 0.7071 Ls, R + 0.7071 C + 0.7071 Rs; LFE dropped"),
            std::string::npos)
      << text.out;
}

// 7.1 (L R C LFE Lb Rb Ls Rs): a back-left channel alone reaches the left ear at -3 dB, not the right.
TEST_F(CliEveryday, SevenPointOneBackLeftReachesTheLeftEarOnly) {
  const double fs = 16000.0;
  const auto x = speechlike(fs, 1.0);
  std::vector<float> eight(x.size() * 8, 0.0f);
  for (std::size_t i = 0; i < x.size(); ++i) eight[i * 8 + 4] = x[i];
  wav("eight.wav", eight, fs, 8);
  const CliRun r = run("render eight.wav out.wav --listener normal --calibration 100 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = read_all(dir_ / "out.wav");
  ASSERT_EQ(out.size(), 2u);
  double left = 0.0, right = 0.0, in = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    left += double(out[0][i]) * out[0][i];
    right += double(out[1][i]) * out[1][i];
    in += double(x[i]) * x[i];
  }
  EXPECT_EQ(right, 0.0);
  // Through normal hearing a 700 Hz tone at 67 dB SPL keeps its level within a fraction of a dB.
  EXPECT_NEAR(10.0 * std::log10(left / in), -3.01, 0.5);
  EXPECT_NE(nlohmann::json::parse(r.out)["input"]["downmix"].get<std::string>().find("7.1"), std::string::npos);
}

// `scene --check` applies the render's rule: 5.1 is valid (and downmixed), 3 channels are refused
// by both, with the same words.
TEST_F(CliEveryday, SceneCheckAppliesTheRendersChannelRule) {
  const double fs = 16000.0;
  const auto x = speechlike(fs, 1.0);
  std::vector<float> six(x.size() * 6, 0.0f), three(x.size() * 3, 0.0f);
  for (std::size_t i = 0; i < x.size(); ++i) six[i * 6 + 2] = three[i * 3] = x[i];
  wav("six.wav", six, fs, 6);
  wav("three.wav", three, fs, 3);
  for (const char* input : {"six.wav", "three.wav"}) {
    fs::remove(dir_ / "s.wav");
    fs::remove(dir_ / "r.wav");
    std::ofstream(dir_ / "s.toml") << "[[input]]\nfile = \"" << input << "\"\n[[keyframe]]\ntime_s = 0\nlistener = \"N3\"\n";
    const CliRun check = run("scene --check s.toml");
    const CliRun scene = run("scene s.toml -o s.wav");
    const CliRun render = run(std::string("render ") + input + " r.wav --listener N3");
    if (std::string(input) == "six.wav") {
      EXPECT_EQ(check.exit_code, 0) << check.err;
      EXPECT_NE(check.out.find("s.toml: valid"), std::string::npos) << check.out;
      EXPECT_NE(check.out.find("input 'six.wav': 5.1"), std::string::npos) << check.out;
      EXPECT_EQ(scene.exit_code, 0) << scene.err;
      EXPECT_NE(scene.out.find("ITU-R BS.775"), std::string::npos) << scene.out;
      EXPECT_EQ(render.exit_code, 0) << render.err;
    } else {
      expect_one_line_error(check, 3, "has 3 channels: a listener has two ears");
      expect_one_line_error(scene, 3, "has 3 channels: a listener has two ears");
      expect_one_line_error(render, 3, "has 3 channels: a listener has two ears");
      EXPECT_FALSE(fs::exists(dir_ / "s.wav"));
      EXPECT_FALSE(fs::exists(dir_ / "r.wav"));
    }
  }
}

// A profile's ears are named by what they are and the file they come from, not by their table:
// the summary read "listener: left left, right right" and "left both implant".
TEST_F(CliEveryday, ProfileEarsAreNamedInTheSummaryByWhatTheyAre) {
  wav("in.wav", speechlike(16000.0, 0.5), 16000.0, 1);
  std::ofstream(dir_ / "ears.toml") << "[left]\naudiogram_hz = [250, 1000, 4000]\naudiogram_db_hl = [20, 40, 60]\n"
                                       "[right]\naudiogram_hz = [250, 1000, 4000]\naudiogram_db_hl = [30, 50, 70]\n";
  const CliRun r = run("render in.wav out.wav --listener ears.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  listener: left audiogram in ears.toml, right audiogram in ears.toml\n"), std::string::npos) << r.out;
  std::ofstream(dir_ / "both.toml") << "[both]\naudiogram_hz = [250, 4000]\naudiogram_db_hl = [20, 60]\n";
  const CliRun both = run("render in.wav out2.wav --listener both.toml");
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_NE(both.out.find("  listener: left audiogram in both.toml, right audiogram in both.toml\n"), std::string::npos) << both.out;
  std::ofstream(dir_ / "map.toml") << "[both.implant]\nelectrodes = 12\nband_spacing = \"greenwood\"\nband_low_hz = 200\nband_high_hz = 7000\n";
  const CliRun implant = run("render in.wav out3.wav --listener map.toml");
  ASSERT_EQ(implant.exit_code, 0) << implant.err;
  EXPECT_NE(implant.out.find("  listener: left implant map in map.toml, right implant map in map.toml\n"), std::string::npos)
      << implant.out;
}

// Progress: nothing when stderr is not a terminal, or with --quiet; on a terminal (a pseudo-
// terminal through util-linux's `script`), the percentage, redrawn in place and wiped at the end.
TEST_F(CliEveryday, ProgressIsShownOnATerminalOnly) {
  wav("in.wav", speechlike(16000.0, 2.0), 16000.0, 1);
  std::ofstream(dir_ / "s.toml") << "[[input]]\nfile = \"in.wav\"\n[[keyframe]]\ntime_s = 0\nlistener = \"N3\"\n";
  for (const std::string quiet : {"", " --quiet"}) {
    const CliRun scene = run("scene s.toml -o s.wav" + quiet);
    EXPECT_EQ(scene.exit_code, 0) << scene.err;
    EXPECT_EQ(scene.err, "") << quiet;
    const CliRun render = run("render in.wav r.wav --listener N3" + quiet);
    EXPECT_EQ(render.exit_code, 0) << render.err;
    EXPECT_EQ(render.err, "") << quiet;
    const CliRun report = run("report in.wav -o r.html --listener N3" + quiet);
    EXPECT_EQ(report.exit_code, 0) << report.err;
    EXPECT_EQ(report.err, "") << quiet;
  }
  if (!have_program("script") || std::system("script -qec true /dev/null >/dev/null 2>&1 </dev/null") != 0) {
    GTEST_SKIP() << "no pseudo-terminal here (util-linux's script is missing or cannot open one): the terminal case is not tested";
  }
  // stdout to a file; stderr is the pseudo-terminal, whose bytes `script` copies to tty.log.
  const auto on_terminal = [&](const std::string& args) {
    const std::string inner = "cd " + dir_.string() + " && " + EARSHOT_BINARY + " " + args + " >" + (dir_ / "tty_stdout").string();
    const std::string cmd = "script -qec '" + inner + "' /dev/null >" + (dir_ / "tty.log").string() + " 2>&1 </dev/null";
    const int status = std::system(cmd.c_str());
    return CliRun{WEXITSTATUS(status), slurp(dir_ / "tty_stdout"), slurp(dir_ / "tty.log")};
  };
  for (const std::string command : {"scene", "render", "report"}) {
    const std::string args = command == "scene"    ? "scene s.toml -o t.wav"
                             : command == "render" ? "render in.wav t.wav --listener N3"
                                                   : "report in.wav -o t.html --listener N3";
    const CliRun shown = on_terminal(args);
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    const std::string drawn = "\r\033[K" + command + ": ";
    const std::size_t at = shown.err.find(drawn);
    ASSERT_NE(at, std::string::npos) << shown.err;
    const std::size_t percent = shown.err.find('%', at);
    ASSERT_NE(percent, std::string::npos) << shown.err;
    const std::string number = shown.err.substr(at + drawn.size(), percent - at - drawn.size());
    EXPECT_TRUE(!number.empty() && number.size() <= 3 && std::all_of(number.begin(), number.end(), ::isdigit)) << shown.err;
    EXPECT_EQ(shown.err.substr(shown.err.size() - 4), "\r\033[K") << "the line is wiped at the end";
    EXPECT_NE(shown.out.find(command == "scene" ? "scene: " : command == "render" ? "rendered " : "wrote "), std::string::npos) << shown.out;
    const CliRun hidden = on_terminal(args + " --quiet");
    EXPECT_EQ(hidden.exit_code, 0) << hidden.err;
    EXPECT_EQ(hidden.err, "") << command;
  }
  // batch: rows done, the percentage and the time left.
  std::ofstream(dir_ / "m.csv") << "input,listener\nin.wav,N3\nin.wav,N2\n";
  const CliRun batch = on_terminal("batch m.csv --out renders");
  EXPECT_EQ(batch.exit_code, 0) << batch.err;
  EXPECT_NE(batch.err.find("batch: 2/2 rows (100%)"), std::string::npos) << batch.err;
  EXPECT_NE(batch.err.find("ETA "), std::string::npos) << batch.err;
  EXPECT_EQ(on_terminal("batch m.csv --out renders2 --quiet").err, "");
}

// --audible (not physical): each ear's active speech level is brought back to its input's, within
// 1 dB; without it the render keeps its physical, quieter level.
TEST_F(CliEveryday, AudibleGivesEachEarBackItsInputsLevel) {
  const double fs = 16000.0;
  wav("in.wav", speechlike(fs, 3.0, 68.0), fs, 1);
  const CliRun plain = run("render in.wav plain.wav --listener left=N5,right=N2 --level 68 --json");
  const CliRun audible = run("render in.wav loud.wav --listener left=N5,right=N2 --level 68 --audible --json");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(audible.exit_code, 0) << audible.err;
  const auto active_db = [&](const std::vector<float>& x) {
    ActiveSpeechLevelMeter m(fs);
    m.add(x.data(), x.size());
    return m.result().active_db;
  };
  const double in_db = active_db(read_all(dir_ / "in.wav")[0]);
  const auto p = read_all(dir_ / "plain.wav"), a = read_all(dir_ / "loud.wav");
  ASSERT_EQ(p.size(), 2u);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_LT(active_db(p[0]), in_db - 20.0) << "N5 at 68 dB SPL is far quieter than its input";
  const auto gains = nlohmann::json::parse(audible.out)["output"]["audible_gain_db"];
  ASSERT_EQ(gains.size(), 2u);
  for (int ear = 0; ear < 2; ++ear) {
    EXPECT_NEAR(active_db(a[ear]), in_db, 1.0) << "ear " << ear;
    // One gain for the whole ear: the render's own dynamics are kept.
    const double g = std::pow(10.0, gains[ear].get<double>() / 20.0);
    double worst = 0.0, peak = 0.0;
    for (std::size_t i = 0; i < p[ear].size(); ++i) {
      worst = std::max(worst, std::fabs(double(a[ear][i]) - g * p[ear][i]));
      peak = std::max(peak, std::fabs(double(a[ear][i])));
    }
    EXPECT_LT(worst, 1e-5 * peak) << "ear " << ear;
  }
  // The physical levels are reported as before, and the plain render has no gain.
  const auto pj = nlohmann::json::parse(plain.out), aj = nlohmann::json::parse(audible.out);
  EXPECT_EQ(pj["output"]["long_term_level_db_spl"], aj["output"]["long_term_level_db_spl"]);
  EXPECT_FALSE(pj["output"].contains("audible_gain_db"));
  const CliRun text = run("render in.wav loud2.wav --listener N5 --level 68 --audible");
  EXPECT_NE(text.out.find("--audible (not physical)"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace earshot::test

namespace earshot::test {
namespace {

// `scene --from S --to S`: the window is the whole render's samples over the same span, exactly
// (the render runs from the start and keeps only the window, so every keyframe, layer, seeded
// noise and the calibration are as they are there); it is (to - from) long, stems too.
TEST_F(CliEveryday, SceneWindowIsTheWholeRenderOverItsSpan) {
  const double fs = 16000.0;
  wav("in.wav", speechlike(fs, 4.0), fs, 1);
  std::ofstream(dir_ / "s.toml") << "seed = 3\n[[input]]\nfile = \"in.wav\"\n"
                                    "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n"
                                    "[[keyframe]]\ntime_s = 1\nlistener = \"N4\"\ntransition_s = 1\n"
                                    "[[tinnitus]]\nfrequency_hz = 4000\nlevel_db_spl = 40\nstart_s = 0.5\nwander_db = 3\n"
                                    "[[masker]]\ncolour = \"pink\"\nlevel_db_spl = 45\nstart_s = 2\n";
  ASSERT_EQ(run("scene s.toml -o full.wav --stems full").exit_code, 0);
  const CliRun r = run("scene s.toml -o part.wav --stems part --from 1.5 --to 3.25");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("window: 1.5 s to 3.25 s (1.75 s written)"), std::string::npos) << r.out;
  const std::size_t from = 24000, frames = 28000;  // 1.5 s and 1.75 s at 16 kHz
  for (const std::string name : {"full.wav", "full/room.wav", "full/listener_right.wav", "full/tinnitus_1.wav", "full/masker_1.wav"}) {
    std::string part_name = name;
    part_name.replace(0, 4, "part");
    const auto whole = read_all(dir_ / name), part = read_all(dir_ / part_name);
    ASSERT_EQ(part.size(), whole.size()) << name;
    for (std::size_t c = 0; c < part.size(); ++c) {
      ASSERT_EQ(part[c].size(), frames) << part_name;
      EXPECT_TRUE(std::equal(part[c].begin(), part[c].end(), whole[c].begin() + static_cast<std::ptrdiff_t>(from))) << part_name << " channel " << c;
    }
  }
  // Only --to: from the start.
  ASSERT_EQ(run("scene s.toml -o head.wav --to 1").exit_code, 0);
  const auto head = read_all(dir_ / "head.wav"), whole = read_all(dir_ / "full.wav");
  ASSERT_EQ(head[0].size(), 16000u);
  EXPECT_TRUE(std::equal(head[0].begin(), head[0].end(), whole[0].begin()));
  // Windows outside the scene, backwards, or with the whole scene's picture: refused, nothing written.
  for (const std::string bad : {"--from 3 --to 2", "--to 9", "--from -1", "--from 1 --timeline w.png"}) {
    expect_one_line_error(run("scene s.toml -o w.wav " + bad), 2, bad.find("timeline") != std::string::npos ? "--timeline" : "the window");
    EXPECT_FALSE(fs::exists(dir_ / "w.wav")) << bad;
  }
}

// `scene --audible`: each ear's render given back its input's active speech level, within 1 dB.
TEST_F(CliEveryday, SceneAudibleGivesEachEarBackItsInputsLevel) {
  const double fs = 16000.0;
  wav("in.wav", speechlike(fs, 3.0, 68.0), fs, 1);
  std::ofstream(dir_ / "s.toml") << "level_db_spl = 68\n[[input]]\nfile = \"in.wav\"\n"
                                    "[[keyframe]]\ntime_s = 0\nleft = \"N5\"\nright = \"N2\"\n";
  ASSERT_EQ(run("scene s.toml -o plain.wav").exit_code, 0);
  const CliRun r = run("scene s.toml -o loud.wav --audible");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("--audible (not physical)"), std::string::npos) << r.out;
  const auto active_db = [&](const std::vector<float>& x) {
    ActiveSpeechLevelMeter m(fs);
    m.add(x.data(), x.size());
    return m.result().active_db;
  };
  const double in_db = active_db(read_all(dir_ / "in.wav")[0]);
  const auto plain = read_all(dir_ / "plain.wav"), loud = read_all(dir_ / "loud.wav");
  EXPECT_LT(active_db(plain[0]), in_db - 20.0);
  for (int ear = 0; ear < 2; ++ear) EXPECT_NEAR(active_db(loud[ear]), in_db, 1.0) << "ear " << ear;
}

}  // namespace
}  // namespace earshot::test
