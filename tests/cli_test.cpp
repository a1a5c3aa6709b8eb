// The earshot command line, run as a user would: exit codes, one-line errors, nothing written on
// failure, output length and rate, --json.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <thread>
#include <fstream>
#include <sstream>

#include "apps/cli/audio_file.hpp"
#include "dsp/rational_resampler.hpp"
#include "metrics/haspi.hpp"
#include "metrics/hasqi.hpp"
#include "support/seed.hpp"
#include "formats/scene_file.hpp"
#include "scene/scene_design.hpp"
#include "scene/scene_renderer.hpp"
#include "cli_folder_test.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;

class Cli : public CliFolderTest {
 protected:
  fs::path wav(const std::string& name, const std::vector<float>& interleaved, double fs, int channels) {
    const fs::path p = dir_ / name;
    cli::AudioWriter w(p, cli::output_format_for(p, 0), fs, channels);
    w.write(interleaved.data(), static_cast<std::int64_t>(interleaved.size() / channels));
    w.commit();
    return p;
  }
};

TEST_F(Cli, RendersMonoToSameLengthAndRate) {
  const auto in = wav("in.wav", speechlike(22050.0, 2.0), 22050.0, 1);
  const CliRun r = run("render " + in.string() + " " + (dir_ / "out.wav").string() + " --listener N3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  cli::AudioReader out(dir_ / "out.wav");
  EXPECT_EQ(out.info().frames, 44100);
  EXPECT_EQ(out.info().sample_rate_hz, 22050.0);
  EXPECT_EQ(out.info().channels, 1);
  EXPECT_NE(r.out.find("65.0 dB SPL"), std::string::npos) << r.out;  // the level used is reported
}

TEST_F(Cli, AsymmetricEarsGiveStereoAndJsonSummary) {
  const auto in = wav("in.wav", speechlike(16000.0, 1.0), 16000.0, 1);
  const CliRun r = run("render " + in.string() + " " + (dir_ / "out.flac").string() +
                    " --listener \"left=N2,right=S2\" --calibration 100 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["output"]["channels"], 2);
  EXPECT_EQ(j["calibration"]["mode"], "calibration");
  EXPECT_DOUBLE_EQ(j["calibration"]["digital_rms_1_db_spl"].get<double>(), 100.0);
  EXPECT_EQ(j["listener"]["right"]["label"], "S2");
  EXPECT_GT(j["latency_removed_frames"].get<int>(), 0);
  cli::AudioReader out(dir_ / "out.flac");
  EXPECT_EQ(out.info().channels, 2);
  EXPECT_EQ(out.info().frames, 16000);
}

TEST_F(Cli, BitsSelectsPcmOutput) {
  const auto in = wav("in.wav", speechlike(16000.0, 1.0), 16000.0, 1);
  ASSERT_EQ(run("render --listener normal " + in.string() + " " + (dir_ / "o16.wav").string() + " --bits 16").exit_code, 0);
  EXPECT_EQ(cli::AudioReader(dir_ / "o16.wav").info().format, "WAV 16-bit");
}

TEST_F(Cli, LevelModeScalesToTheRequestedSpeechLevel) {
  const auto in = wav("in.wav", speechlike(16000.0, 2.0), 16000.0, 1);
  const CliRun r = run("render --listener normal " + in.string() + " " + (dir_ / "o.wav").string() + " --level 72 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(nlohmann::json::parse(r.out)["input"]["active_speech_level_db_spl"].get<double>(), 72.0, 1e-6);
}

TEST_F(Cli, BadInputsGiveOneLineErrorsAndWriteNothing) {
  const auto good = wav("good.wav", speechlike(16000.0, 1.0), 16000.0, 1);
  const fs::path out = dir_ / "out.wav";
  {
    std::ofstream(dir_ / "corrupt.wav") << "RIFF....WAVEfmt garbage";
  }
  expect_one_line_error(run("render --listener normal " + (dir_ / "corrupt.wav").string() + " " + out.string()), 3, "not a readable audio file");
  expect_one_line_error(run("render --listener normal " + (dir_ / "missing.wav").string() + " " + out.string()), 3, "does not exist");
  {
    // A WAV cut short: the header promises more audio than the file holds.
    std::ifstream src(good, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(src)), {});
    std::ofstream(dir_ / "cut.wav", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  {
    // It renders the audio that is there, and says the file was cut short.
    const CliRun cut = run("render --listener normal " + (dir_ / "cut.wav").string() + " " + (dir_ / "cut_out.wav").string());
    EXPECT_EQ(cut.exit_code, 0) << cut.err;
    EXPECT_NE(cut.out.find("warning: input the header promises more audio"), std::string::npos) << cut.out;
    EXPECT_EQ(cli::AudioReader(dir_ / "cut_out.wav").info().frames, cli::AudioReader(dir_ / "cut.wav").info().frames);
  }
  const auto empty = wav("empty.wav", {}, 16000.0, 1);
  expect_one_line_error(run("render --listener normal " + empty.string() + " " + out.string()), 3, "no audio");
  auto with_nan = speechlike(16000.0, 1.0);
  with_nan[1234] = std::nanf("");
  const auto nan_file = wav("nan.wav", with_nan, 16000.0, 1);
  expect_one_line_error(run("render --listener normal " + nan_file.string() + " " + out.string()), 3, "NaN or infinite sample at frame 1234");
  // Finite but absurd (a unit or decoding error): refused where it is, before it overflows in the model.
  auto huge = speechlike(16000.0, 1.0);
  huge[2222] = 3e7f;
  const auto huge_file = wav("huge.wav", huge, 16000.0, 1);
  for (const std::string& command : {"render --listener normal " + huge_file.string() + " " + out.string(),
                                    "electrodogram " + huge_file.string() + " --listener ci:nucleus-ace -o " + (dir_ / "huge.csv").string(),
                                    "score --speech " + huge_file.string()}) {
    expect_one_line_error(run(command), 3, "has a sample of 3e+07 at frame 2222 (channel 1)");
  }
  EXPECT_FALSE(fs::exists(dir_ / "huge.csv"));
  // 5.1 and 7.1 are downmixed (tests/cli_everyday_test.cpp); three channels have no rule to reach two ears.
  const auto three = wav("three.wav", std::vector<float>(3 * 1600, 0.1f), 16000.0, 3);
  expect_one_line_error(run("render --listener normal " + three.string() + " " + out.string()), 3, "3 channels");
  const auto silent = wav("silent.wav", std::vector<float>(16000, 0.0f), 16000.0, 1);
  expect_one_line_error(run("render --listener normal " + silent.string() + " " + out.string()), 3, "silence");
  expect_one_line_error(run("render " + good.string() + " " + out.string() + " --listener N9"), 2, "unknown listener 'N9'");
  expect_one_line_error(run("render " + good.string() + " " + out.string() + " --listener 1000:30,500:20"), 2, "increasing order");
  expect_one_line_error(run("render " + good.string() + " " + out.string() + " --listener 1000:130"), 2, "130 dB HL is outside");
  expect_one_line_error(run("render " + good.string() + " " + out.string() + " --listener 50:30"), 2, "50 Hz is outside");
  expect_one_line_error(run("render " + good.string() + " " + out.string() + " --listener 500:30,500:40"), 2, "repeated");
  expect_one_line_error(run("render --listener normal " + good.string() + " " + (dir_ / "nodir" / "o.wav").string()), 4, "does not exist");
  expect_one_line_error(run("render --listener normal " + good.string() + " " + good.string()), 4, "is the input file");
  expect_one_line_error(run("render --listener normal " + good.string() + " " + (dir_ / "o.mp3").string()), 4, ".wav or .flac");
  expect_one_line_error(run("render --listener normal " + good.string() + " " + out.string() + " --level 70 --calibration 100"), 2, "not both");
  expect_one_line_error(run("render --listener normal " + good.string() + " " + out.string() + " --field sideways"), 2, "--field");
  expect_one_line_error(run("render --listener normal " + good.string() + " " + out.string() + " --jitter 5"), 2, "jitter_ms: 5 ms is outside");
  expect_one_line_error(run("render --listener normal " + good.string() + " " + out.string() + " --bogus"), 2, "bogus");
  EXPECT_FALSE(fs::exists(out));
  // No temporary files were left behind either.
  for (const auto& e : fs::directory_iterator(dir_)) EXPECT_EQ(e.path().filename().string().find(".earshot-"), std::string::npos) << e.path();
  // The input that equalled the output is untouched.
  EXPECT_EQ(cli::AudioReader(good).info().frames, 16000);
}

TEST_F(Cli, ExistingOutputIsNotOverwrittenOnFailure) {
  const auto keep = wav("keep.wav", speechlike(16000.0, 0.5), 16000.0, 1);
  const auto size = fs::file_size(keep);
  {
    std::ofstream(dir_ / "corrupt.wav") << "not audio";
  }
  EXPECT_EQ(run("render --listener normal " + (dir_ / "corrupt.wav").string() + " " + keep.string()).exit_code, 3);
  EXPECT_EQ(fs::file_size(keep), size);
}

TEST_F(Cli, ReadsFlacOggAndAiffAndStereo) {
  const auto x = speechlike(16000.0, 1.0);
  std::vector<float> stereo;
  for (float v : x) {
    stereo.push_back(v);
    stereo.push_back(0.5f * v);
  }
  for (const auto& [name, format] : {std::pair{"in.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
                                     std::pair{"in.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS},
                                     std::pair{"in.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24}}) {
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 2;
    info.format = format;
    const fs::path p = dir_ / name;
    SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << name;
    sf_writef_float(f, stereo.data(), 16000);
    sf_close(f);
    const CliRun r = run("render " + p.string() + " " + (dir_ / "out.wav").string() + " --listener N2");
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    cli::AudioReader out(dir_ / "out.wav");
    EXPECT_EQ(out.info().channels, 2) << name;
    EXPECT_EQ(out.info().frames, 16000) << name;
  }
}

TEST_F(Cli, SameInputSpecAndSeedGiveIdenticalBytes) {
  const auto in = wav("in.wav", speechlike(22050.0, 1.0), 22050.0, 1);
  auto bytes = [&](const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  ASSERT_EQ(run("render " + in.string() + " " + (dir_ / "a.wav").string() + " --listener S3 --seed 9").exit_code, 0);
  // At least a second apart: a file header with a timestamp in it would differ.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(run("render " + in.string() + " " + (dir_ / "b.wav").string() + " --listener S3 --seed 9").exit_code, 0);
  EXPECT_EQ(bytes(dir_ / "a.wav"), bytes(dir_ / "b.wav"));
}

// --threads (issue #12): the ears of an asymmetric listener (jitter on the acoustic ear, an
// implant in the other) rendered on two threads give the same file as on one; a bad count is one line.
TEST_F(Cli, TwoThreadsWriteTheBytesOfOne) {
  const auto in = wav("in.wav", speechlike(44100.0, 1.5), 44100.0, 1);
  auto bytes = [&](const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  const std::string who = " --listener left=N3,right=ci:nucleus-ace --jitter 0.25";
  ASSERT_EQ(run("render " + in.string() + " " + (dir_ / "one.wav").string() + who + " --threads 1").exit_code, 0);
  ASSERT_EQ(run("render " + in.string() + " " + (dir_ / "two.wav").string() + who + " --threads 2").exit_code, 0);
  const std::string one = bytes(dir_ / "one.wav");
  EXPECT_GT(one.size(), 2u * 4u * 44100u);  // two float channels, 1.5 s
  EXPECT_EQ(one, bytes(dir_ / "two.wav"));
  expect_one_line_error(run("render " + in.string() + " " + (dir_ / "bad.wav").string() + " --threads -1"), 2, "--threads");
  EXPECT_FALSE(fs::exists(dir_ / "bad.wav"));
}

TEST_F(Cli, ScoreStoiMatchesTheReferenceAndIsOneForIdenticalSignals) {
  const auto x = wav("x.wav", speechlike(16000.0, 2.0), 16000.0, 1);
  const CliRun same = run("score --ref " + x.string() + " --test " + x.string() + " --json");
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NEAR(nlohmann::json::parse(same.out)["channels"][0]["stoi"].get<double>(), 1.0, 1e-9);
  const auto oracles = oracles_dir();
  if (!oracles) GTEST_SKIP() << "shared/oracles not found: the oracle pair is skipped";
  const auto rows = read_csv(*oracles / "stoi" / "values.csv");
  const auto& r = rows.front();
  const CliRun pair = run("score --ref " + (*oracles / "stoi" / r[0]).string() + " --test " + (*oracles / "stoi" / r[1]).string() + " --json");
  ASSERT_EQ(pair.exit_code, 0) << pair.err;
  const auto j = nlohmann::json::parse(pair.out);
  EXPECT_NEAR(j["channels"][0]["stoi"].get<double>(), std::stod(r[3]), 1e-4);
  EXPECT_NEAR(j["channels"][0]["estoi"].get<double>(), std::stod(r[4]), 1e-4);
}

TEST_F(Cli, ScoreSiiFallsWithLossAndNoise) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "EARSHOT_CORPUS is not set to shared/corpus: real-audio test skipped";
  const std::string speech = (*corpus / "speech" / "vctk_p286_011_M_en.wav").string();
  const std::string noise = (*corpus / "noise" / "noisereduce_cafe_short.wav").string();
  auto sii = [&](const std::string& args) {
    const CliRun r = run("score --speech " + speech + " " + args + " --json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out)["left"]["sii"].get<double>() : -1.0;
  };
  const double normal = sii("--listener normal");
  EXPECT_GT(normal, 0.95);  // normal hearing, speech at 65 dB SPL, quiet
  EXPECT_LT(sii("--listener N3"), normal - 0.3);
  const double quiet_n2 = sii("--listener N2");
  const double noisy_n2 = sii("--listener N2 --noise " + noise + " --noise-level 60");
  const double noisier_n2 = sii("--listener N2 --noise " + noise + " --noise-level 70");
  EXPECT_LT(noisy_n2, quiet_n2);
  EXPECT_LT(noisier_n2, noisy_n2);
}

TEST_F(Cli, ScoreErrorsAreOneLine) {
  const auto a = wav("a.wav", speechlike(16000.0, 1.0), 16000.0, 1);
  const auto b = wav("b.wav", speechlike(16000.0, 0.9), 16000.0, 1);
  const auto c = wav("c.wav", speechlike(22050.0, 1.0), 22050.0, 1);
  const auto silent = wav("silent.wav", std::vector<float>(16000, 0.0f), 16000.0, 1);
  expect_one_line_error(run("score --ref " + a.string() + " --test " + b.string()), 3, "equal length");
  expect_one_line_error(run("score --ref " + a.string() + " --test " + c.string()), 3, "same rate");
  expect_one_line_error(run("score --ref " + silent.string() + " --test " + a.string()), 3, "silent");
  expect_one_line_error(run("score --ref " + a.string()), 2, "both --ref and --test");
  expect_one_line_error(run("score --speech " + a.string() + " --effort loud"), 2, "one of them");
  expect_one_line_error(run("score --effort loud --procedure critical"), 2, "third_octave procedure only");
  expect_one_line_error(run("score --effort normal --procedure bark"), 2, "--procedure 'bark'");
  expect_one_line_error(run("score --speech " + silent.string()), 3, "no active speech");
}

TEST_F(Cli, ListenersShowsEveryPreset) {
  const CliRun r = run("listeners");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* name : {"normal", "N1", "N4", "N7", "S1", "S3", "age:70:female", "noise:95dBA:25y:age:50:male"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
}

TEST_F(Cli, ListenersShowsEveryImplantPresetWithItsSource) {
  const CliRun r = run("listeners");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* name : {"ci:nucleus-ace", "ci:ab-hires", "ci:medel-cis", "eas:nucleus-hybrid", "vocoder:noise-4",
                           "vocoder:noise-16", "vocoder:sine-8", "source: default 22-channel table"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
}

TEST_F(Cli, ElectrodogramWritesEveryPulseAsCsvAndAPicture) {
  const auto in = wav("in.wav", speechlike(16000.0, 1.0), 16000.0, 1);
  const CliRun r = run("electrodogram " + in.string() + " --listener ci:nucleus-ace -o " + (dir_ / "p.csv").string() +
                       " --png " + (dir_ / "p.png").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_csv(dir_ / "p.csv");
  ASSERT_GT(rows.size(), 1000u);
  double last = -1.0;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 3u);
    const double t = std::stod(row[0]);
    const int electrode = std::stoi(row[1]);
    const double current = std::stod(row[2]);
    EXPECT_GE(t, last - 1.0 / 900.0);  // in time order, frame by frame
    last = std::max(last, t);
    EXPECT_TRUE(electrode >= 1 && electrode <= 22);
    EXPECT_TRUE(current >= 150.0 && current <= 550.0);
  }
  // 700 Hz bursts: Nucleus electrode 18 carries 688-813 Hz.
  const auto strongest = std::max_element(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return std::stod(a[2]) < std::stod(b[2]); });
  EXPECT_EQ((*strongest)[1], "18");
  // The picture: a PNG 1000 px wide (the default); as SVG at --width, with its axes as text.
  const std::string png = slurp(dir_ / "p.png");
  ASSERT_GE(png.size(), 24u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_EQ(png.substr(16, 4), std::string("\0\0\x03\xe8", 4));  // IHDR width: 1000
  const CliRun svg = run("electrodogram " + in.string() + " --listener ci:nucleus-ace -o " + (dir_ / "q.csv").string() +
                         " --picture " + (dir_ / "p.svg").string() + " --width 640");
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  const std::string doc = slurp(dir_ / "p.svg");
  for (const char* text : {">Time (s)</text>", ">Current (µA)</text>", ">Electrode: analysis band (Hz)</text>", ">basal ▲ high pitch</text>",
                           ">18: 688–812 Hz</text>", "width=\"640px\""}) {
    EXPECT_NE(doc.find(text), std::string::npos) << text;
  }
  EXPECT_NE(doc.find("Electrodogram: Cochlear Nucleus, ACE"), std::string::npos);
}

TEST_F(Cli, ImplantMapsInProfilesRenderAndBadMapsWriteNothing) {
  const auto in = wav("in.wav", speechlike(16000.0, 1.0), 16000.0, 1);
  std::ofstream(dir_ / "ci.toml") << "[left]\npreset = \"ci:nucleus-ace\"\n[left.implant]\nswitched_off = [3, 4]\n"
                                     "carrier = \"pulsatile\"\n[right]\npreset = \"N4\"\n";
  const CliRun ok = run("render " + in.string() + " " + (dir_ / "out.wav").string() + " --listener " + (dir_ / "ci.toml").string());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(cli::AudioReader(dir_ / "out.wav").info().channels, 2);
  std::ofstream(dir_ / "bad.toml") << "[both.implant]\nelectrodes = 3\nband_edges_hz = [200, 400, 300, 800]\nmaxima = 4\n"
                                      "threshold_ua = 600\ncomfort_ua = 500\ninsertion_depth_mm = 40\n";
  const CliRun bad = run("render " + in.string() + " " + (dir_ / "bad.wav").string() + " --listener " + (dir_ / "bad.toml").string());
  expect_one_line_error(bad, 2, "both.implant.band_edges_hz[2]: 300 Hz is not above");
  for (const char* f : {"both.implant.maxima", "both.implant.threshold_ua", "both.implant.insertion_depth_mm: 40 mm is deeper than the cochlea"}) {
    EXPECT_NE(bad.err.find(f), std::string::npos) << f;
  }
  EXPECT_FALSE(fs::exists(dir_ / "bad.wav"));
  expect_one_line_error(run("electrodogram " + in.string() + " --listener N3 -o " + (dir_ / "x.csv").string()), 2, "has no cochlear implant");
  EXPECT_FALSE(fs::exists(dir_ / "x.csv"));
}

TEST_F(Cli, DemoWritesItsRendersAndSummary) {
  if (std::system("command -v espeak-ng >/dev/null 2>&1") != 0) GTEST_SKIP() << "espeak-ng not installed";
  const CliRun r = run("demo --out " + (dir_ / "demo").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"input.wav", "normal.wav", "N3.wav", "N6.wav", "speech.wav", "report.html", "summary.txt"}) {
    EXPECT_TRUE(fs::exists(dir_ / "demo" / f)) << f;
  }
  // Louder for the normal listener than for N3, louder for N3 than N6.
  auto level = [&](const char* f) {
    const auto x = read_mono(dir_ / "demo" / f);
    double s = 0.0;
    for (float v : x) s += double(v) * v;
    return 10.0 * std::log10(s / x.size());
  };
  EXPECT_GT(level("normal.wav"), level("N3.wav") + 5.0);
  EXPECT_GT(level("N3.wav"), level("N6.wav") + 5.0);
  // The arc: its scene, render, picture and stems.
  for (const char* f : {"arc.toml", "arc_input.wav", "arc.wav", "arc.png", "arc_stems/room.wav", "arc_stems/listener_left.wav",
                        "arc_stems/listener_right.wav", "arc_stems/tinnitus_1.wav"}) {
    EXPECT_TRUE(fs::exists(dir_ / "demo" / f)) << f;
  }
  // The arc's first seconds (normal hearing) are loud, its end (processors off) is silent.
  const auto arc = cli::read_audio(dir_ / "demo" / "arc.wav");
  const double fs = arc.info.sample_rate_hz;
  auto span_level = [&](double from, double to) {
    double s = 0.0;
    for (auto i = static_cast<std::size_t>(from * fs); i < static_cast<std::size_t>(to * fs); ++i) s += double(arc.channels[0][i]) * arc.channels[0][i];
    return 10.0 * std::log10(s / ((to - from) * fs) + 1e-30);
  };
  EXPECT_GT(span_level(1.0, 5.0), span_level(58.0, 62.0) + 60.0);
  // The demo's files are one output set, made through a scratch folder: nothing of either is left.
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "demo")) {
    EXPECT_EQ(entry.path().filename().string().find(".earshot-"), std::string::npos) << "left behind: " << entry.path();
  }
}

TEST_F(Cli, SceneRendersWithStemsThatSumToTheRender) {
  const auto x = speechlike(16000.0, 3.0);
  wav("in.wav", x, 16000.0, 1);
  std::ofstream(dir_ / "s.toml") << "level_db_spl = 65\nseed = 4\n[[input]]\nfile = \"in.wav\"\n"
                                    "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n"
                                    "[[keyframe]]\ntime_s = 1\nleft = \"N4\"\nright = \"normal\"\ntransition_s = 1\ncurve = \"smooth\"\n"
                                    "[[masker]]\near = \"right\"\ncolour = \"brown\"\nlevel_db_spl = 40\n";
  const CliRun check = run("scene --check " + (dir_ / "s.toml").string());
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("valid"), std::string::npos) << check.out;
  EXPECT_FALSE(fs::exists(dir_ / "out.wav"));
  const CliRun r = run("scene " + (dir_ / "s.toml").string() + " -o " + (dir_ / "out.wav").string() + " --stems " +
                       (dir_ / "stems").string() + " --timeline " + (dir_ / "t.png").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = cli::read_audio(dir_ / "out.wav");
  EXPECT_EQ(out.info.channels, 2);
  EXPECT_EQ(out.info.frames, static_cast<std::int64_t>(x.size()));
  EXPECT_EQ(out.info.sample_rate_hz, 16000.0);
  std::vector<cli::AudioData> stems;
  for (const char* f : {"room.wav", "listener_left.wav", "listener_right.wav", "masker_1.wav"}) stems.push_back(cli::read_audio(dir_ / "stems" / f));
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double left = stems[0].channels[0][i] + stems[1].channels[0][i] + stems[3].channels[0][i];
    const double right = stems[0].channels[1][i] + stems[2].channels[0][i] + stems[3].channels[1][i];
    worst = std::max({worst, std::abs(left - out.channels[0][i]), std::abs(right - out.channels[1][i])});
  }
  EXPECT_LT(worst, 1e-5);
  // The timeline picture: 3 s take the shortest time axis, 900 px, plus 270 px of labels and bars.
  const std::string png = slurp(dir_ / "t.png");
  ASSERT_GE(png.size(), 24u);
  EXPECT_EQ(png.substr(16, 4), std::string("\0\0\x04\x92", 4));  // IHDR width: 1170
  // As SVG at --width: every lane, keyframe and scale named in text.
  const CliRun svg = run("scene " + (dir_ / "s.toml").string() + " -o " + (dir_ / "out2.wav").string() + " --timeline " +
                         (dir_ / "t.svg").string() + " --width 1400");
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  const std::string doc = slurp(dir_ / "t.svg");
  for (const char* text : {">s.toml: 3.0 s, 2 keyframes</text>", ">Time (s)</text>", ">Left ear</text>", ">Right ear</text>",
                           ">hearing (Hz)</text>", ">heard (kHz)</text>", ">Masker, brown, right</text>", ">Perspective</text>",
                           ">1 normal</text>", ">2 L N4, R normal</text>", ">Hearing level (dB HL)</text>", ">Level (dB SPL)</text>",
                           ">1k</text>", ">2.5</text>", "width=\"1400px\""}) {
    EXPECT_NE(doc.find(text), std::string::npos) << text;
  }
}

// The CLI streams a scene's inputs (read, resampled and mixed block by block) and its outputs: its
// render must be, sample for sample, the library's render of the whole mix made the way scenes
// were mixed before they streamed (each input resampled whole, dsp/rational_resampler.hpp).
TEST_F(Cli, StreamedSceneIsTheRenderOfTheWholeMixSampleForSample) {
  const auto voice = speechlike(16000.0, 2.3);  // mono, the timeline's rate
  std::vector<float> stereo(2 * 9000);          // stereo at 44.1 kHz: resampled down
  std::vector<float> mono8k(5000);              // mono at 8 kHz: resampled up
  for (std::size_t i = 0; i < 9000; ++i) {
    stereo[2 * i] = 0.2f * static_cast<float>(std::sin(0.031 * i));
    stereo[2 * i + 1] = 0.1f * static_cast<float>(std::sin(0.007 * i));
  }
  for (std::size_t i = 0; i < mono8k.size(); ++i) mono8k[i] = 0.3f * static_cast<float>(std::sin(0.2 * i));
  wav("voice.wav", voice, 16000.0, 1);
  wav("stereo.wav", stereo, 44100.0, 2);
  wav("low.wav", mono8k, 8000.0, 1);
  std::ofstream(dir_ / "s.toml") << "calibration_db_spl = 100\nseed = 9\nduration_s = 2.5\n"
                                    "[[input]]\nfile = \"voice.wav\"\n"
                                    "[[input]]\nfile = \"stereo.wav\"\nstart_s = 0.3\ngain_db = -4\n"
                                    "[[input]]\nfile = \"low.wav\"\nstart_s = 1.9\n"  // cut at the end
                                    "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n"
                                    "[[keyframe]]\ntime_s = 0.5\nlistener = \"N4\"\ntransition_s = 1\n"
                                    "[[tinnitus]]\nfrequency_hz = 4000\nlevel_db_spl = 30\n";
  const CliRun r = run("scene " + (dir_ / "s.toml").string() + " -o " + (dir_ / "out.wav").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = cli::read_audio(dir_ / "out.wav");

  const double fs = 16000.0;
  const std::size_t frames = 40000;
  std::array<std::vector<float>, 2> mix{std::vector<float>(frames, 0.0f), std::vector<float>(frames, 0.0f)};
  auto add = [&](const std::vector<std::vector<float>>& channels, long rate, double gain_db, double start_s) {
    const float gain = static_cast<float>(std::pow(10.0, gain_db / 20.0));
    for (int e = 0; e < 2; ++e) {
      const auto& c = channels[std::min<std::size_t>(e, channels.size() - 1)];
      const std::vector<double> y = resample_rational(std::vector<double>(c.begin(), c.end()), 16000, rate);
      const auto offset = static_cast<std::size_t>(std::llround(start_s * fs));
      for (std::size_t i = 0; i < y.size() && offset + i < frames; ++i) mix[e][offset + i] += gain * static_cast<float>(y[i]);
    }
  };
  std::vector<float> left(9000), right(9000);
  for (std::size_t i = 0; i < 9000; ++i) left[i] = stereo[2 * i], right[i] = stereo[2 * i + 1];
  add({voice}, 16000, 0.0, 0.0);
  add({left, right}, 44100, -4.0, 0.3);
  add({mono8k}, 8000, 0.0, 1.9);
  SceneFile scene = read_scene_file(dir_ / "s.toml").value();
  scene.spec.sample_rate_hz = fs;
  scene.spec.duration_s = 2.5;
  scene.spec.calibration_db_spl = 100.0;
  const SceneRender whole = render_scene(std::make_shared<const ScenePlan>(design_scene(scene.spec).value()), mix, false);
  ASSERT_EQ(out.channels[0].size(), whole.mix[0].size());
  for (int e = 0; e < 2; ++e) {
    std::size_t differing = 0;
    for (std::size_t i = 0; i < whole.mix[e].size(); ++i) differing += out.channels[e][i] != whole.mix[e][i];
    EXPECT_EQ(differing, 0u) << "ear " << e;
  }
}

TEST_F(Cli, BadScenesGiveOneLineErrorsWithFieldAndTimeAndWriteNothing) {
  wav("in.wav", speechlike(16000.0, 3.0), 16000.0, 1);
  const std::string head = "[[input]]\nfile = \"in.wav\"\n[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n";
  const struct {
    std::string body, fragment;
  } cases[] = {
      {"[[keyframe]]\ntime_s = 2\nlistener = \"N3\"\n[[keyframe]]\ntime_s = 1\nlistener = \"N4\"\n",
       "keyframe[2].time_s: at 1 s: goes back in time"},
      {"[[keyframe]]\ntime_s = 1\nlistener = \"N9\"\n", "keyframe[1].listener: at 1 s: unknown listener 'N9'"},
      {"[[keyframe]]\ntime_s = 0.5\nlistener = \"N3\"\ntransition_s = 1\n[[keyframe]]\ntime_s = 1\nlistener = \"N4\"\ncurve = \"cut\"\n",
       "keyframe[2].time_s: at 1 s: starts before keyframe[1]'s transition ends (1.5 s)"},
      {"[[keyframe]]\ntime_s = 1\nlistener = \"N3\"\ncurve = \"cut\"\n[[keyframe]]\ntime_s = 1\nlistener = \"N4\"\ncurve = \"cut\"\n",
       "keyframe[2].time_s: at 1 s: goes back in time"},
      {"[[tinnitus]]\nfrequency_hz = 4000\nlevel_db_spl = 140\n", "tinnitus[0].level_db_spl: 140 dB SPL is outside"},
      {"[[masker]]\ncolour = \"purple\"\nlevel_db_spl = 50\n", "masker[0].colour: 'purple' is not known"},
      {"[[keyframe]]\ntime_s = 1\nlistener = \"N3\"\nperspective = 3\n", "keyframe[1].perspective: at 1 s: 3 is outside"},
      {"[[keyframe]]\ntime_s = 9\nlistener = \"N3\"\n", "keyframe[1].time_s: at 9 s: after the scene ends (3 s)"},
  };
  for (const auto& c : cases) {
    std::ofstream(dir_ / "bad.toml") << head << c.body;
    const CliRun r = run("scene " + (dir_ / "bad.toml").string() + " -o " + (dir_ / "out.wav").string() + " --stems " + (dir_ / "stems").string());
    expect_one_line_error(r, 2, c.fragment);
    EXPECT_FALSE(fs::exists(dir_ / "out.wav")) << c.fragment;
    EXPECT_FALSE(fs::exists(dir_ / "stems")) << c.fragment;
  }
}

// The everyday steps a new user tried (issue 15): each answers with the output asked for, or one
// line and a usage exit code.
TEST_F(Cli, VersionHelpAndMistypedCommandsAnswerAsANewUserExpects) {
  const CliRun version = run("--version");
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out.rfind("earshot ", 0), 0u) << version.out;
  EXPECT_EQ(std::count(version.out.begin(), version.out.end(), '.'), 2) << version.out;  // MAJOR.MINOR.PATCH
  const CliRun help = run("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("earshot render speech.wav heard.wav --listener N3"), std::string::npos) << help.out;
  expect_one_line_error(run("rendr a.wav b.wav"), 2, "did you mean 'render'?");
  expect_one_line_error(run("scen arc.toml"), 2, "did you mean 'scene'?");
  expect_one_line_error(run("frobnicate"), 2, "'frobnicate' is not a command");
}

TEST_F(Cli, RenderWithoutAListenerIsRefusedAndWritesNothing) {
  const auto x = wav("x.wav", speechlike(16000.0, 0.5), 16000.0, 1);
  const fs::path out = dir_ / "out.wav";
  expect_one_line_error(run("render " + x.string() + " " + out.string()), 2, "--listener is required");
  EXPECT_FALSE(fs::exists(out));
  // Not a terminal here, so no progress display: stderr stays empty on success, with or without --quiet.
  for (const char* quiet : {"", " --quiet"}) {
    const CliRun r = run("render " + x.string() + " " + out.string() + " --listener N3" + quiet);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
  }
}

TEST_F(Cli, ScoreTakesAMonoReferenceAgainstEachEarOfAStereoRender) {
  const auto x = wav("x.wav", speechlike(16000.0, 2.0), 16000.0, 1);
  const fs::path heard = dir_ / "heard.wav";
  ASSERT_EQ(run("render " + x.string() + " " + heard.string() + " --listener left=normal,right=N5").exit_code, 0);
  const CliRun r = run("score --ref " + x.string() + " --test " + heard.string() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto channels = nlohmann::json::parse(r.out)["channels"];
  ASSERT_EQ(channels.size(), 2u);
  // The normal ear keeps the envelope far better than the severely impaired one.
  EXPECT_GT(channels[0]["stoi"].get<double>(), channels[1]["stoi"].get<double>() + 0.1) << r.out;
  // A stereo reference against a mono test has no ear to pair with: refused.
  expect_one_line_error(run("score --ref " + heard.string() + " --test " + x.string()), 3, "mono --ref");
}

}  // namespace
}  // namespace earshot::test

namespace earshot::test {
namespace {

// `earshot fit --json`: per ear, the fields; a linear rule has one row, Fig6 three.
TEST_F(Cli, FitPrintsThePrescriptionPerEarAsJson) {
  const CliRun linear = run("fit --listener left=N3,right=ci:nucleus-ace --prescription nal-r --json");
  ASSERT_EQ(linear.exit_code, 0) << linear.err;
  const auto j = nlohmann::json::parse(linear.out);
  ASSERT_EQ(j.size(), 1u) << "the implant-only ear gets no acoustic aid";
  EXPECT_EQ(j[0]["ear"], "left");
  EXPECT_EQ(j[0]["prescription"], "nal-r");
  EXPECT_EQ(j[0]["frequencies_hz"].size(), 9u);
  EXPECT_EQ(j[0]["input_levels_db_spl"].size(), 1u);
  ASSERT_EQ(j[0]["insertion_gain_db"].size(), 1u);
  EXPECT_EQ(j[0]["insertion_gain_db"][0].size(), 9u);
  const CliRun fig6 = run("fit --listener N3 --prescription fig6 --json");
  ASSERT_EQ(fig6.exit_code, 0) << fig6.err;
  const auto k = nlohmann::json::parse(fig6.out);
  ASSERT_EQ(k.size(), 2u);
  EXPECT_EQ(k[1]["ear"], "right");
  EXPECT_EQ(k[0]["input_levels_db_spl"], nlohmann::json({40, 65, 95}));
  EXPECT_EQ(k[0]["insertion_gain_db"].size(), 3u);
  const CliRun text = run("fit --listener N3 --prescription pogo");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("McCandless & Lyregaard (1983)"), std::string::npos) << text.out;
}

// `render --aid`: the aided render is louder, as long as the input, and says which aid it used.
TEST_F(Cli, RenderWithAnAidIsLouderAndNamesTheAid) {
  const double fs = 16000.0;
  const fs::path in = wav("in.wav", speechlike(fs, 1.5), fs, 1);
  const CliRun unaided = run("render " + in.string() + " " + (dir_ / "u.wav").string() + " --listener N3 --json");
  const CliRun aided = run("render " + in.string() + " " + (dir_ / "a.wav").string() + " --listener N3 --aid nal-r --json");
  ASSERT_EQ(unaided.exit_code, 0) << unaided.err;
  ASSERT_EQ(aided.exit_code, 0) << aided.err;
  const auto u = nlohmann::json::parse(unaided.out), a = nlohmann::json::parse(aided.out);
  EXPECT_EQ(a["listener"]["left"]["aid"]["prescription"], "nal-r");
  EXPECT_GT(a["output"]["long_term_level_db_spl"][0].get<double>(), u["output"]["long_term_level_db_spl"][0].get<double>() + 5.0);
  EXPECT_EQ(read_mono(dir_ / "a.wav").size(), read_mono(in).size());
  const CliRun bimodal = run("render " + in.string() + " " + (dir_ / "b.wav").string() +
                             " --listener left=N3,right=ci:nucleus-ace --aid left=nal-r");
  EXPECT_EQ(bimodal.exit_code, 0) << bimodal.err;
  EXPECT_NE(bimodal.out.find("N3 with a nal-r aid"), std::string::npos) << bimodal.out;
}

// `render --aid fig6,wdrc`: the compressive aid is named with its settings in the text and the
// JSON; a bad compressor item is one line on stderr, exit 2, nothing written. `fit` prints the
// compressor's static curve at 50/65/80 dB SPL.
TEST_F(Cli, RenderWithACompressiveAid) {
  const double fs = 16000.0;
  const fs::path in = wav("in.wav", speechlike(fs, 1.0), fs, 1);
  const CliRun aided = run("render " + in.string() + " " + (dir_ / "w.wav").string() + " --listener N3 --aid fig6,wdrc,mpo=104 --json");
  ASSERT_EQ(aided.exit_code, 0) << aided.err;
  const auto a = nlohmann::json::parse(aided.out);
  EXPECT_EQ(a["listener"]["left"]["aid"]["compression"], true);
  EXPECT_EQ(a["listener"]["left"]["aid"]["mpo_db_spl"], 104.0);
  EXPECT_EQ(a["listener"]["right"]["aid"]["attack_ms"], 5.0);
  EXPECT_EQ(read_mono(dir_ / "w.wav").size(), read_mono(in).size());
  const CliRun text = run("render " + in.string() + " " + (dir_ / "t.wav").string() + " --listener N3 --aid nal-r,wdrc");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("N3 with a nal-r WDRC aid (attack 5 ms, release 50 ms, MPO"), std::string::npos) << text.out;
  expect_one_line_error(run("render " + in.string() + " " + (dir_ / "x.wav").string() + " --listener N3 --aid fig6,wdrc,mpo=200"), 2,
                        "80..140 dB SPL");
  EXPECT_FALSE(fs::exists(dir_ / "x.wav"));
  expect_one_line_error(run("render " + in.string() + " " + (dir_ / "y.wav").string() + " --listener N3 --aid fig6,attack=10"), 2,
                        "add wdrc");
  const CliRun fit = run("fit --listener N3 --prescription fig6");
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  EXPECT_NE(fit.out.find("gain, 80 dB SPL"), std::string::npos) << fit.out;
  const auto j = nlohmann::json::parse(run("fit --listener N3 --prescription nal-r --json").out);
  EXPECT_EQ(j[0]["wdrc"]["input_levels_db_spl"], nlohmann::json({50, 65, 80}));
  EXPECT_EQ(j[0]["wdrc"]["insertion_gain_db"][1], j[0]["insertion_gain_db"][0]) << "a linear rule's gain holds at 65 dB SPL";
}

// `render --aid nal-r,nr` on corpus speech in a cafe's noise (5 dB SNR, after 1.5 s of the noise
// alone): the noise at the ear, where no one speaks, is lower than with `--aid nal-r`, and the
// summary names the noise reduction (text and JSON). A floor without nr is one line, exit 2,
// nothing written.
// The smearing's random phases are one draw per bin and frame whatever the signal, so an input
// level that differs by a rounding error gives an output that differs by about as little. (When
// phases were drawn only for bins receiving power, this pair parted by 0.81 of the peak from
// 1.36 s on: a trace of power crossing zero in one bin shifted every later phase.)
TEST_F(Cli, ARoundingLevelChangeOfTheInputStaysARoundingLevelChangeOfTheRender) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "set EARSHOT_CORPUS to render corpus speech";
  const std::string in = (*corpus / "speech" / "cmu_arctic_aew_a0001_M_en.wav").string();
  const CliRun a = run("render " + in + " " + (dir_ / "a.wav").string() + " --listener N3 --aid nal-r,wdrc,nr --level 65 -q");
  const CliRun b = run("render " + in + " " + (dir_ / "b.wav").string() + " --listener N3 --aid nal-r,wdrc,nr --level 65.000001 -q");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const std::vector<float> x = read_mono(dir_ / "a.wav"), y = read_mono(dir_ / "b.wav");
  ASSERT_EQ(x.size(), y.size());
  double peak = 0.0, difference = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    peak = std::max(peak, double(std::abs(x[i])));
    difference = std::max(difference, double(std::abs(x[i] - y[i])));
  }
  EXPECT_LT(difference, 1e-4 * peak) << "1e-6 dB more input level moved the render by " << difference / peak << " of its peak";
}

TEST_F(Cli, RenderWithNoiseReductionLowersTheNoiseAtTheEar) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "set EARSHOT_CORPUS to render corpus speech in noise";
  double fs = 0.0, noise_fs = 0.0;
  const std::vector<float> speech = read_mono(*corpus / "speech" / "clarity_S06001_target_anechoic_M_en_binaural.wav", &fs);
  const std::vector<float> cafe = read_mono(*corpus / "noise" / "noisereduce_cafe_short.wav", &noise_fs);
  ASSERT_EQ(fs, noise_fs);
  const auto lead = static_cast<std::size_t>(1.5 * fs);
  double speech_power = 0.0, noise_power = 0.0;
  for (float v : speech) speech_power += double(v) * v;
  for (std::size_t i = 0; i < speech.size(); ++i) noise_power += double(cafe[i % cafe.size()]) * cafe[i % cafe.size()];
  const auto g = static_cast<float>(std::sqrt(speech_power / noise_power) * std::pow(10.0, -5.0 / 20.0));
  std::vector<float> mixture(lead + speech.size());
  for (std::size_t i = 0; i < mixture.size(); ++i) mixture[i] = g * cafe[i % cafe.size()] + (i >= lead ? speech[i - lead] : 0.0f);
  const fs::path in = wav("mix.wav", mixture, fs, 1);
  const CliRun plain = run("render " + in.string() + " " + (dir_ / "a.wav").string() + " --listener N3 --aid nal-r --json");
  const CliRun nr = run("render " + in.string() + " " + (dir_ / "n.wav").string() + " --listener N3 --aid nal-r,nr --json");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(nr.exit_code, 0) << nr.err;
  const auto j = nlohmann::json::parse(nr.out);
  EXPECT_EQ(j["listener"]["left"]["aid"]["noise_reduction"], true);
  EXPECT_EQ(j["listener"]["left"]["aid"]["nr_floor_db"], -12.0);
  EXPECT_EQ(nlohmann::json::parse(plain.out)["listener"]["left"]["aid"]["noise_reduction"], false);
  const std::vector<float> a = read_mono(dir_ / "a.wav"), n = read_mono(dir_ / "n.wav");
  ASSERT_EQ(n.size(), mixture.size());
  auto level_db = [&](const std::vector<float>& x, std::size_t from, std::size_t to) {
    double sum = 0.0;
    for (std::size_t i = from; i < to; ++i) sum += double(x[i]) * x[i];
    return 10.0 * std::log10(sum / double(to - from));
  };
  const auto from = static_cast<std::size_t>(0.5 * fs);
  const double noise_drop_db = level_db(a, from, lead) - level_db(n, from, lead);
  EXPECT_GT(noise_drop_db, 10.0) << "the noise at the ear, 0.5-1.5 s (measured 18.1 dB)";
  const double speech_drop_db = level_db(a, lead, n.size()) - level_db(n, lead, n.size());
  EXPECT_LT(speech_drop_db, 3.0) << "speech in noise at the ear";
  RecordProperty("noise_at_ear_drop_db", std::to_string(noise_drop_db));
  RecordProperty("speech_in_noise_at_ear_drop_db", std::to_string(speech_drop_db));
  const CliRun text = run("render " + in.string() + " " + (dir_ / "t.wav").string() + " --listener N3 --aid fig6,wdrc,nr,nr-floor=-15");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("WDRC aid (attack 5 ms, release 50 ms, MPO 97 dB SPL) and noise reduction (floor -15 dB)"), std::string::npos)
      << text.out;
  expect_one_line_error(run("render " + in.string() + " " + (dir_ / "x.wav").string() + " --listener N3 --aid nal-r,nr-floor=-15"), 2, "add nr");
  EXPECT_FALSE(fs::exists(dir_ / "x.wav"));
}


TEST_F(Cli, ScoreHaspiMatchesTheReferenceAndFallsWithLoss) {
  const auto oracles = oracles_dir();
  if (!oracles) GTEST_SKIP() << "shared/oracles not found: the HASPI oracle pair is skipped";
  const auto rows = read_csv(*oracles / "haspi" / "values.csv");
  const auto& r = rows[2];  // the 6 s talker in cafe noise at 0 dB SNR, normal hearing
  ASSERT_EQ(r[3], "NH");
  const std::string pair = "score --ref " + (*oracles / "haspi" / r[0]).string() + " --test " + (*oracles / "haspi" / r[1]).string();
  // pyclarity's level1 = 65 for these RMS-1 files is earshot's --calibration 65.
  const CliRun normal = run(pair + " --listener normal --haspi --calibration 65 --json");
  ASSERT_EQ(normal.exit_code, 0) << normal.err;
  const auto j = nlohmann::json::parse(normal.out);
  EXPECT_NEAR(j["calibration_db_spl"].get<double>(), 65.0, 1e-12);
  EXPECT_EQ(j["channels"][0]["ear"], "left");
  EXPECT_NEAR(j["channels"][0]["haspi_v2"].get<double>(), std::stod(r[6]), std::max(0.01, 3.0 * std::stod(r[9])));
  // N3 (moderate sloping loss) understands less of the same signal; the text says so too.
  const CliRun n3 = run(pair + " --listener N3 --haspi --calibration 65 --json");
  ASSERT_EQ(n3.exit_code, 0) << n3.err;
  EXPECT_LT(nlohmann::json::parse(n3.out)["channels"][0]["haspi_v2"].get<double>(), j["channels"][0]["haspi_v2"].get<double>() - 0.1);
  const CliRun text = run(pair + " --listener N3 --haspi --calibration 65");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("HASPI v2 (left ear): 0."), std::string::npos) << text.out;
  std::string sii_with_haspi = "score --speech ";
  sii_with_haspi += (*oracles / "haspi" / r[0]).string();
  sii_with_haspi += " --haspi";
  expect_one_line_error(run(sii_with_haspi), 2, "give --ref and --test");
}

TEST_F(Cli, ScoreHaspiLeavesAnImplantedEarUnscoredAndSaysWhy) {
  const auto mono = speechlike(16000.0, 2.0);
  std::vector<float> stereo;
  for (float v : mono) {
    stereo.push_back(v);
    stereo.push_back(v);
  }
  const auto x = wav("x.wav", mono, 16000.0, 1);
  const auto heard = wav("heard.wav", stereo, 16000.0, 2);
  const std::string args = "score --ref " + x.string() + " --test " + heard.string() + " --listener left=N3,right=ci:nucleus-ace --haspi";
  const CliRun r = run(args + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto channels = nlohmann::json::parse(r.out)["channels"];
  ASSERT_EQ(channels.size(), 2u);
  EXPECT_GT(channels[0]["haspi_v2"].get<double>(), 0.0);
  EXPECT_TRUE(channels[1]["haspi_v2"].is_null());
  EXPECT_NE(channels[1]["haspi_v2_not_applicable"].get<std::string>().find("cochlear implant"), std::string::npos);
  const CliRun text = run(args);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("HASPI v2 (right ear): not scored: the right ear hears through a cochlear implant"), std::string::npos) << text.out;
  // A mono --test for two different ears names no ear: refused.
  std::string mono_test = "score --ref ";
  mono_test += x.string();
  mono_test += " --test ";
  mono_test += x.string();
  mono_test += " --listener left=N3,right=ci:nucleus-ace --haspi";
  expect_one_line_error(run(mono_test), 2, "give a stereo --test");
}

// HASQI v2 (Kates & Arehart 2014) in `score`: the oracle pair (the 6 s talker in cafe noise, the
// oracle's L0002_left audiogram) within the C++ test's tolerance of pyclarity, and exactly the
// library's value for that ear's stream (seed 1, {kSeedHasqiNoise, 0}): the CLI adds nothing.
TEST_F(Cli, ScoreHasqiMatchesTheReferenceAndTheLibrary) {
  const auto oracles = oracles_dir();
  if (!oracles) GTEST_SKIP() << "shared/oracles not found: the HASQI oracle pair is skipped";
  const auto dir = *oracles / "haspi";
  const auto rows = read_csv(dir / "values.csv");
  const auto& r = rows[3];
  ASSERT_EQ(r[3], "L0002_left");
  ASSERT_EQ(r[4], "30 35 40 45 70 80");
  const std::string pair = "score --ref " + (dir / r[0]).string() + " --test " + (dir / r[1]).string() +
                           " --listener 250:30,500:35,1000:40,2000:45,4000:70,6000:80 --calibration 65";
  const CliRun both = run(pair + " --haspi --hasqi --json");
  ASSERT_EQ(both.exit_code, 0) << both.err;
  const auto channel = nlohmann::json::parse(both.out)["channels"][0];
  EXPECT_EQ(channel["ear"], "left");
  const double hasqi_cli = channel["hasqi_v2"].get<double>();
  EXPECT_NEAR(hasqi_cli, std::stod(r[7]), std::max(0.01, 3.0 * std::stod(r[10])));
  EXPECT_NEAR(channel["haspi_v2"].get<double>(), std::stod(r[6]), std::max(0.01, 3.0 * std::stod(r[9])));
  double fs_ref = 0.0, fs_test = 0.0;
  const auto clean = read_mono(dir / r[0], &fs_ref);
  const auto degraded = read_mono(dir / r[1], &fs_test);
  RandomSource random(derive_seed(1, {kSeedHasqiNoise, 0}));
  const auto library = hasqi_v2(std::vector<double>(clean.begin(), clean.end()), fs_ref, std::vector<double>(degraded.begin(), degraded.end()),
                                fs_test, {30, 35, 40, 45, 70, 80}, 65.0, random);
  ASSERT_TRUE(library.ok()) << describe(library.errors());
  EXPECT_EQ(hasqi_cli, library.value().combined) << "the CLI's HASQI is the library's, bit for bit";
  // --hasqi alone: the same value, and no HASPI key; the text names the index and the ear.
  const CliRun alone = run(pair + " --hasqi --json");
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  const auto alone_channel = nlohmann::json::parse(alone.out)["channels"][0];
  EXPECT_EQ(alone_channel["hasqi_v2"].get<double>(), hasqi_cli);
  EXPECT_FALSE(alone_channel.contains("haspi_v2"));
  const CliRun text = run(pair + " --hasqi");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("HASQI v2 (left ear): 0.12"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("HASPI v2"), std::string::npos) << text.out;
}

// Quality falls with the loss for the same pair (HASQI models the loss from the audiogram), an
// implanted ear is left unscored with the reason, and bad pairs are one-line errors.
TEST_F(Cli, ScoreHasqiPerEarAndItsErrors) {
  const auto mono = speechlike(16000.0, 2.0);
  std::vector<float> stereo;
  for (float v : mono) {
    stereo.push_back(v);
    stereo.push_back(v);
  }
  const auto x = wav("x.wav", mono, 16000.0, 1);
  const auto heard = wav("heard.wav", stereo, 16000.0, 2);
  const std::string pair = "score --ref " + x.string() + " --test " + heard.string();
  const CliRun r = run(pair + " --listener left=normal,right=N4 --hasqi --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto channels = nlohmann::json::parse(r.out)["channels"];
  ASSERT_EQ(channels.size(), 2u);
  EXPECT_EQ(channels[0]["ear"], "left");
  EXPECT_EQ(channels[1]["ear"], "right");
  EXPECT_GT(channels[0]["hasqi_v2"].get<double>(), 0.9) << "the reference itself, for normal hearing";
  EXPECT_LT(channels[1]["hasqi_v2"].get<double>(), channels[0]["hasqi_v2"].get<double>() - 0.1) << "N4 hears it worse";
  const std::string implanted = pair + " --listener left=N3,right=ci:nucleus-ace --haspi --hasqi";
  const CliRun ci = run(implanted + " --json");
  ASSERT_EQ(ci.exit_code, 0) << ci.err;
  const auto ci_channels = nlohmann::json::parse(ci.out)["channels"];
  EXPECT_GT(ci_channels[0]["hasqi_v2"].get<double>(), 0.0);
  EXPECT_TRUE(ci_channels[1]["hasqi_v2"].is_null());
  EXPECT_TRUE(ci_channels[1]["haspi_v2"].is_null());
  EXPECT_NE(ci_channels[1]["hasqi_v2_not_applicable"].get<std::string>().find("cochlear implant"), std::string::npos);
  const CliRun ci_text = run(implanted);
  ASSERT_EQ(ci_text.exit_code, 0) << ci_text.err;
  EXPECT_NE(ci_text.out.find("HASQI v2 (right ear): not scored: the right ear hears through a cochlear implant (ci:nucleus-ace); HASQI "
                             "models acoustic hearing only"),
            std::string::npos)
      << ci_text.out;
  // A test of another length, or another rate: refused before any index is computed.
  const auto shorter = wav("shorter.wav", std::vector<float>(mono.begin(), mono.begin() + 16000), 16000.0, 1);
  expect_one_line_error(run("score --ref " + x.string() + " --test " + shorter.string() + " --listener N3 --hasqi"), 3, "frames");
  const auto other_rate = wav("other_rate.wav", speechlike(22050.0, 2.0), 22050.0, 1);
  expect_one_line_error(run("score --ref " + x.string() + " --test " + other_rate.string() + " --listener N3 --hasqi"), 3, "Hz");
  // HASQI needs a reference and a test; a listener's SII request is not one.
  expect_one_line_error(run("score --speech " + x.string() + " --hasqi"), 2, "--hasqi scores a processed signal");
  // A silent reference: refused, by name.
  const auto silent = wav("silent.wav", std::vector<float>(mono.size(), 0.0f), 16000.0, 1);
  expect_one_line_error(run("score --ref " + silent.string() + " --test " + x.string() + " --listener N3 --hasqi"), 3, "is silent");
}

}  // namespace
}  // namespace earshot::test
