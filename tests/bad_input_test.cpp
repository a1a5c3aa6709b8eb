// Bad inputs, one row each (issue 11, "Nothing lost, nothing overwritten"): every row runs the
// earshot binary as a user would and holds it to the README's promise: the documented exit code,
// exactly one line on stderr naming what is wrong, every output absent (or, where it existed
// before, byte for byte unchanged), and no temporary file left beside it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "apps/cli/audio_file.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;

void write_wav(const fs::path& p, const std::vector<float>& x, double fs) {
  cli::AudioWriter w(p, cli::output_format_for(p, 0), fs, 1);
  w.write(x.data(), static_cast<std::int64_t>(x.size()));
  w.commit();
}

std::vector<float> speechlike(double fs, double seconds) {
  auto x = tone(700.0, 70.0, fs, seconds);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] *= (static_cast<int>(i / (0.25 * fs)) % 2) ? 0.05f : 1.0f;
  return x;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kClarityOk =
    "{\"L0001\": {\"name\": \"L0001\", \"audiogram_cfs\": [250, 1000, 4000], \"audiogram_levels_l\": [20, 40, 60], "
    "\"audiogram_levels_r\": [25, 45, 65]}}";
const std::string kSceneHead = "[[input]]\nfile = \"in.wav\"\n[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n";

struct Row {
  std::string name;
  // Files the row needs beside the shared in.wav and noise.wav, written into the row's folder.
  std::function<void(const fs::path& dir)> setup;
  std::string args;  // "{d}" is the row's folder
  int exit_code;
  std::string fragment;               // what the one line must say
  std::vector<std::string> outputs;   // must be absent afterwards
  std::vector<std::string> existing;  // written before the run; must be unchanged afterwards
  friend void PrintTo(const Row& r, std::ostream* os) { *os << r.name; }
};

std::vector<Row> rows() {
  const auto none = [](const fs::path&) {};
  const auto huge = [](const fs::path& d) {  // 400 samples at ±1e20, 8 kHz float WAV
    std::vector<float> x(400);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = i % 2 ? 1e20f : -1e20f;
    write_wav(d / "huge.wav", x, 8000.0);
  };
  const auto scene = [](std::string body) {
    return [body](const fs::path& d) { write_text(d / "s.toml", body); };
  };
  const auto manifest = [](std::string body) {
    return [body](const fs::path& d) { write_text(d / "m.csv", body); };
  };
  const std::string batch = "batch {d}/m.csv --out {d}/renders";
  const auto clarity = [](std::string body) {
    return [body](const fs::path& d) { write_text(d / "l.json", body); };
  };
  const std::string render = "render {d}/in.wav {d}/out.wav --listener ";
  const std::string dogram = "electrodogram {d}/in.wav --listener ci:nucleus-ace -o {d}/out.csv ";
  const std::string scene_cmd = "scene {d}/s.toml -o {d}/out.wav --stems {d}/stems";
  std::vector<Row> r = {
      // Crashes.
      {"HugeFiniteSamplesRender", huge, "render {d}/huge.wav {d}/out.wav --listener normal --calibration 100", 3, "beyond the 1e+06",
       {}, {"out.wav"}},
      {"HugeFiniteSamplesReport", huge, "report {d}/huge.wav -o {d}/r.html", 3, "beyond the 1e+06", {"r.html"}, {}},
      {"DeepDottedKeyProfile", [](const fs::path& d) { write_text(d / "deep.toml", "a" + repeat(".a", 50000) + " = 1\n"); },
       render + "{d}/deep.toml", 2, "dotted parts", {}, {"out.wav"}},
      {"DeepDottedKeyScene", [](const fs::path& d) { write_text(d / "s.toml", "a" + repeat(".a", 50000) + " = 1\n"); }, scene_cmd,
       2, "dotted parts", {"out.wav", "stems"}, {}},
      {"DeepDottedTableHeaderProfile", [](const fs::path& d) { write_text(d / "deep.toml", "[a" + repeat(".a", 20) + "]\nx = 1\n"); },
       render + "{d}/deep.toml", 2, "more than 16 dotted parts", {"out.wav"}, {}},
      {"DeepArraysScene",
       [](const fs::path& d) { write_text(d / "s.toml", "x = " + repeat("[", 50000) + repeat("]", 50000) + "\n"); }, scene_cmd, 2,
       "nest more than 16", {"out.wav", "stems"}, {}},
      {"ProfileOverOneMebibyte", [](const fs::path& d) { write_text(d / "big.toml", repeat("# padding padding padding\n", 50000)); },
       render + "{d}/big.toml", 2, "the limit is 1048576 bytes", {"out.wav"}, {}},
      // Clarity/Cadenza listener files (formats/clarity_listener.hpp), in every command that takes --listener.
      {"ClarityFileMissing", none, render + "{d}/nowhere.json#L0001", 2, "listener file '", {"out.wav"}, {}},
      {"ClarityNotJson", clarity("{\"L0001\": {\"audiogram_cfs\": [250,"), render + "{d}/l.json#L0001", 2, "is not valid JSON",
       {}, {"out.wav"}},
      // A number beyond a double: nlohmann's parser throws out_of_range even when told not to (the fuzzer found it).
      {"ClarityNumberOverflow", clarity("{\"L0001\": {\"audiogram_cfs\": [1e999]}}"), render + "{d}/l.json#L0001", 2,
       "is not valid JSON: number overflow", {}, {"out.wav"}},
      {"ClarityUnknownId", clarity(kClarityOk), render + "{d}/l.json#L0009", 2, "has no listener 'L0009' (1 listener; nearest: L0001)",
       {"out.wav"}, {}},
      {"ClarityNoId", clarity(kClarityOk), render + "{d}/l.json", 2, "needs a listener id", {"out.wav"}, {}},
      {"ClarityMissingField", clarity("{\"L0001\": {\"audiogram_cfs\": [250], \"audiogram_levels_l\": [20]}}"),
       "score --speech {d}/in.wav --listener {d}/l.json#L0001", 2, "L0001.audiogram_levels_r: missing", {}, {}},
      {"ClarityLevelNotANumber",
       clarity("{\"L0001\": {\"audiogram_cfs\": [250], \"audiogram_levels_l\": [null], \"audiogram_levels_r\": [20]}}"),
       "report {d}/in.wav -o {d}/r.html --listener {d}/l.json#L0001", 2, "L0001.audiogram_levels_l[0]: must be a number, not null",
       {"r.html"}, {}},
      {"ClarityLengthsDiffer",
       clarity("{\"L0001\": {\"audiogram_cfs\": [250, 500], \"audiogram_levels_l\": [20, 30], \"audiogram_levels_r\": [20]}}"),
       "electrodogram {d}/in.wav -o {d}/out.csv --listener {d}/l.json#L0001", 2, "has 1 levels for the 2 frequencies",
       {"out.csv"}, {}},
      {"ClarityInScene", [](const fs::path& d) {
         write_text(d / "l.json", kClarityOk);
         write_text(d / "s.toml", "[[input]]\nfile = \"in.wav\"\n[[keyframe]]\ntime_s = 0\nlistener = \"l.json#L0002\"\n");
       },
       scene_cmd, 2, "keyframe[0].listener: at 0 s: ", {"out.wav", "stems"}, {}},
      {"AgeFarOutOfRange", none, render + "age:1e10:male", 2, "1e+10 years is outside", {}, {"out.wav"}},
      // Wrong answers to bad values.
      {"ScoreLevelNan", none, "score --speech {d}/in.wav --level nan", 2, "--level nan dB SPL is outside", {}, {}},
      {"ScoreNoiseLevelNan", none, "score --speech {d}/in.wav --noise {d}/noise.wav --noise-level nan", 2,
       "--noise-level nan dB SPL is outside", {}, {}},
      {"ScoreCalibrationHuge", none, "score --speech {d}/in.wav --calibration 1e9", 2, "--calibration 1e+09 dB SPL is outside 0...160",
       {}, {}},
      {"ElectrodogramCalibrationNan", none, dogram + "--calibration nan", 2, "--calibration nan", {"out.csv"}, {}},
      {"ElectrodogramLevelNan", none, dogram + "--level nan", 2, "--level nan", {}, {"out.csv"}},
      {"ElectrodogramCalibrationHuge", none, dogram + "--calibration 1e9", 2, "--calibration 1e+09", {"out.csv"}, {}},
      {"RenderCalibrationNegative", none, "render --listener normal {d}/in.wav {d}/out.wav --calibration=-5", 2, "--calibration -5 dB SPL", {"out.wav"},
       {}},
      {"HexAudiogramFrequency", none, render + "0x100:20", 2, "'0x100:20' is not FREQUENCY_HZ:LEVEL_DB_HL", {}, {"out.wav"}},
      {"AudiogramTooManyPoints",
       [](const fs::path& d) {
         std::string spec;
         for (int i = 0; i < 65; ++i) spec += (i ? "," : "") + std::to_string(200 + 100 * i) + ":30";
         write_text(d / "p.toml", "[both]\npreset = \"" + spec + "\"\n");
       },
       render + "{d}/p.toml", 2, "65 points: the limit is 64", {"out.wav"}, {}},
      {"AgeWithASpace", none, render + "'age: 70:male'", 2, "age needs a number of years", {"out.wav"}, {}},
      {"SceneDurationBeyondLimit", scene("duration_s = 100000\n" + kSceneHead), scene_cmd, 2, "duration_s: 100000 s is outside",
       {"out.wav", "stems"}, {}},
      // A scene streams, but --timeline draws its whole render, held in memory: 20 minutes at most.
      {"SceneTimelinePictureBeyondLimit", scene("duration_s = 1500\n" + kSceneHead), scene_cmd + " --timeline {d}/t.png", 2,
       "--timeline draws the whole render held in memory, and its limit is 1200 s", {"out.wav", "stems", "t.png"}, {}},
      {"SceneInputStartBeyondLimit", scene("[[input]]\nfile = \"in.wav\"\nstart_s = 1000000\n[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n"),
       scene_cmd, 2, "input[0].start_s: 1e+06 s is outside", {"out.wav", "stems"}, {}},
      {"SceneTimelineBeyondLimit", scene("[[input]]\nfile = \"in.wav\"\nstart_s = 10799.5\n[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n"),
       scene_cmd, 2, "a scene's limit is 10800 s", {"out.wav", "stems"}, {}},
      {"SceneTooManyKeyframes",
       scene("[[input]]\nfile = \"in.wav\"\n" + repeat("[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\ncurve = \"cut\"\n", 300)),
       scene_cmd, 2, "300 keyframes: the limit is 256", {"out.wav", "stems"}, {}},
      {"SceneTooManyLayers", scene(kSceneHead + repeat("[[tinnitus]]\nfrequency_hz = 4000\nlevel_db_spl = 30\n", 100)),
       "scene --check {d}/s.toml", 2, "100 tinnitus, masker and implant_character layers: the limit is 64", {}, {}},
      // Broken promises: outputs.
      {"SceneTimelineUnwritable", [](const fs::path& d) { write_text(d / "s.toml", kSceneHead); fs::create_directories(d / "t.png"); },
       scene_cmd + " --timeline {d}/t.png", 4, "is a directory", {"stems"}, {"out.wav"}},
      {"ElectrodogramPngUnwritable", [](const fs::path& d) { fs::create_directories(d / "p.png"); }, dogram + "--png {d}/p.png", 4,
       "is a directory", {}, {"out.csv"}},
      {"SceneStemIsAnInput",
       [](const fs::path& d) {
         fs::create_directories(d / "stems");
         write_text(d / "s.toml", "[[input]]\nfile = \"stems/room.wav\"\n[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n");
       },
       scene_cmd, 4, "is the input file", {"out.wav"}, {"stems/room.wav"}},
      {"SceneOutputIsAStem",
       [](const fs::path& d) {
         fs::create_directories(d / "stems");
         write_text(d / "s.toml", kSceneHead);
       },
       "scene {d}/s.toml -o {d}/stems/room.wav --stems {d}/stems", 4, "named twice", {"stems/room.wav"}, {}},
      {"SceneOutputIsItsInput", scene(kSceneHead), "scene {d}/s.toml -o {d}/in.wav", 4, "is the input file", {}, {"in.wav"}},
      {"SceneTimelineNotPngOrSvg", scene(kSceneHead), scene_cmd + " --timeline {d}/t.jpg", 4, "t.jpg' must end in .png or .svg", {"out.wav", "stems", "t.jpg"}, {}},
      {"SceneTimelineWidthOutOfRange", scene(kSceneHead), scene_cmd + " --timeline {d}/t.svg --width 100", 2,
       "--width 100 px is outside 600...20000", {"out.wav", "stems", "t.svg"}, {}},
      {"ElectrodogramPictureNotPngOrSvg", none, dogram + "--picture {d}/p.gif", 4, "p.gif' must end in .png or .svg", {"out.csv", "p.gif"}, {}},
      {"ElectrodogramWidthOutOfRange", none, dogram + "--png {d}/p.svg --width 50000", 2, "--width 50000 px is outside 300...20000",
       {"out.csv", "p.svg"}, {}},
      {"RenderOutputIsTheInputSpeltAnotherWay", none, "render --listener normal {d}/in.wav {d}/./in.wav", 4, "is the input file", {}, {}},
      {"RenderOutputFolderMissing", none, "render --listener normal {d}/in.wav {d}/nowhere/out.wav", 4, "does not exist", {"nowhere"}, {}},
      {"RenderOutputIsASymlink", [](const fs::path& d) { write_text(d / "target.wav", "x"); fs::create_symlink(d / "target.wav", d / "out.wav"); },
       "render --listener normal {d}/in.wav {d}/out.wav", 4, "is a symbolic link", {}, {"target.wav"}},
      {"RenderOutputIsAFifo", [](const fs::path& d) { ::mkfifo((d / "out.wav").c_str(), 0600); }, "render --listener normal {d}/in.wav {d}/out.wav", 4,
       "is a FIFO, device or socket", {}, {}},
      {"NewlineInListener", none, render + "\"$(printf 'N3\\nN4')\"", 2, "unknown listener 'N3\\nN4'", {"out.wav"}, {}},
      // Batch manifests (issue 17): refused before any row runs, with the line and column named.
      {"BatchManifestMissingColumn", manifest("input\nin.wav\n"), batch, 2, "the column 'listener' is missing", {"renders"}, {}},
      {"BatchManifestUnknownColumn", manifest("input,listener,levl_db_spl\nin.wav,N3,70\n"), batch, 2, "unknown column 'levl_db_spl'",
       {"renders"}, {}},
      {"BatchManifestBadNumber", manifest("input,listener,level_db_spl\nin.wav,N3,loud\n"), batch, 2,
       "line 2, level_db_spl: 'loud' is not a number", {"renders"}, {}},
      {"BatchManifestUnclosedQuote", manifest("input,listener\nin.wav,N3\nin.wav,\"N4\n"), batch, 2,
       "line 3: a quoted field is not closed", {"renders"}, {}},
      {"BatchManifestStrayQuote", manifest("input,listener\nin.wav,N\"3\n"), batch, 2, "a double quote inside an unquoted field",
       {"renders"}, {}},
      {"BatchManifestTooFewFields", manifest("input,listener,level_db_spl\nin.wav,N3\n"), batch, 2,
       "line 2: 2 fields, but the header names 3 columns", {"renders"}, {}},
      {"BatchManifestMissing", none, batch, 2, "cannot be read", {"renders"}, {}},
      {"BatchOutputOutsideFolder", manifest("input,listener,output\nin.wav,N3,../out.wav\n"), batch, 2,
       "'../out.wav' must be a file name inside the output folder", {"renders", "out.wav"}, {}},
      {"BatchScoresIsAFolder", [](const fs::path& d) { write_text(d / "m.csv", "input,listener\nin.wav,N3\n"); fs::create_directories(d / "s.csv"); },
       batch + " --scores {d}/s.csv", 4, "is a directory", {"renders"}, {}},
      {"BatchScoresIsTheManifest", manifest("input,listener\nin.wav,N3\n"), batch + " --scores {d}/m.csv", 4, "is the input file",
       {"renders"}, {"m.csv"}},
      // Hearing aids (issue 16).
      {"AidUnknownPrescription", none, render + "N3 --aid nal-nl2", 2, "--aid: 'nal-nl2' is not a known prescription", {"out.wav"}, {}},
      {"AidOnAnImplantOnlyEar", none, render + "left=N3,right=ci:nucleus-ace --aid nal-r", 2,
       "right.aid: this ear hears through its implant only", {"out.wav"}, {}},
      {"AidMpoOutOfRange", none, render + "N3 --aid fig6,wdrc,mpo=150", 2, "--aid: 'mpo=150': 150 dB SPL is outside 80..140 dB SPL",
       {"out.wav"}, {}},
      {"AidAttackWithoutCompression", none, render + "N3 --aid nal-r,attack=10", 2, "--aid: attack, release and mpo set the compressor",
       {"out.wav"}, {}},
      {"AidNrFloorOutOfRange", none, render + "N3 --aid nal-r,nr,nr-floor=-40", 2, "--aid: 'nr-floor=-40': -40 dB is outside -30..-3 dB",
       {"out.wav"}, {}},
      {"AidNrFloorWithoutNr", none, render + "N3 --aid nal-r,nr-floor=-15", 2, "--aid: nr-floor sets the noise reduction: add nr",
       {"out.wav"}, {}},
      {"FitUnknownPrescription", none, "fit --listener N3 --prescription dsl", 2, "--prescription 'dsl' is not known", {}, {}},
      {"BatchJobsZero", manifest("input,listener\nin.wav,N3\n"), batch + " --jobs 0", 2, "--jobs 0 is outside 1...256", {"renders"}, {}},
  };
  return r;
}

class BadInput : public ::testing::TestWithParam<Row> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("earshot_bad_" + std::to_string(::getpid()) + "_" + GetParam().name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write_wav(dir_ / "in.wav", speechlike(16000.0, 1.5), 16000.0);
    write_wav(dir_ / "noise.wav", tone(1500.0, 60.0, 16000.0, 1.5), 16000.0);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_P(BadInput, OneLineDocumentedExitNothingWritten) {
  const Row& row = GetParam();
  row.setup(dir_);
  const std::string before = "earlier contents, not to be touched\n";
  for (const auto& name : row.existing) write_text(dir_ / name, before);
  std::string args = row.args;
  for (std::size_t at; (at = args.find("{d}")) != std::string::npos;) args.replace(at, 3, dir_.string());
  const std::string cmd = std::string(EARSHOT_BINARY) + " " + args + " >" + (dir_ / "stdout.txt").string() + " 2>" +
                          (dir_ / "stderr.txt").string();
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal: " << cmd;
  const std::string err = slurp(dir_ / "stderr.txt");
  EXPECT_EQ(WEXITSTATUS(status), row.exit_code) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_NE(err.find(row.fragment), std::string::npos) << err;
  for (const auto& name : row.outputs) EXPECT_FALSE(fs::exists(dir_ / name)) << name;
  for (const auto& name : row.existing) EXPECT_EQ(slurp(dir_ / name), before) << name;
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".earshot-"), std::string::npos) << "temp left: " << entry.path();
  }
}

INSTANTIATE_TEST_SUITE_P(Table, BadInput, ::testing::ValuesIn(rows()), [](const auto& info) { return info.param.name; });

TEST(BadInputAudio, OggOfUnknownLengthIsCountedNotReserved) {
  // An Ogg Vorbis stream cut short: libsndfile cannot find its last page and reports its length as
  // unknown (SF_COUNT_MAX); reserving that many frames threw length_error (exit 1, "a bug"). The
  // reader now counts the frames by decoding instead. This libsndfile decodes none from such a
  // file, so every command that reads it says so in one line, exit 3.
  const fs::path dir = fs::temp_directory_path() / ("earshot_bad_ogg_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path ogg = dir / "cut.ogg";
  {
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    SNDFILE* f = sf_open(ogg.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
    const auto x = speechlike(16000.0, 3.0);
    sf_writef_float(f, x.data(), static_cast<sf_count_t>(x.size()));
    sf_close(f);
  }
  fs::resize_file(ogg, fs::file_size(ogg) * 3 / 4);
  {
    SF_INFO info{};
    SNDFILE* f = sf_open(ogg.c_str(), SFM_READ, &info);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(info.frames, SF_COUNT_MAX) << "this libsndfile knows the cut file's length: the case is not exercised";
    sf_close(f);
  }
  for (const std::string& args : {"render " + ogg.string() + " " + (dir / "out.wav").string() + " --listener N3",
                                   "score --ref " + ogg.string() + " --test " + ogg.string(), "score --speech " + ogg.string(),
                                   "electrodogram " + ogg.string() + " --listener ci:nucleus-ace -o " + (dir / "out.csv").string()}) {
    const int status = std::system((std::string(EARSHOT_BINARY) + " " + args + " >/dev/null 2>" + (dir / "err.txt").string()).c_str());
    const std::string err = slurp(dir / "err.txt");
    ASSERT_TRUE(WIFEXITED(status)) << args;
    EXPECT_EQ(WEXITSTATUS(status), 3) << args << ": " << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_NE(err.find("cut.ogg"), std::string::npos) << err;
  }
  EXPECT_FALSE(fs::exists(dir / "out.wav"));
  EXPECT_FALSE(fs::exists(dir / "out.csv"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace earshot::test

namespace earshot::test {
namespace {

class BadOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("earshot_out_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  int run(const std::string& args) {
    const int status = std::system((std::string(EARSHOT_BINARY) + " " + args + " 2>" + (dir_ / "err.txt").string()).c_str());
    err_ = slurp(dir_ / "err.txt");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  void expect_no_temporaries() {
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      EXPECT_EQ(e.path().filename().string().find(".earshot-"), std::string::npos) << "temp left: " << e.path();
    }
  }
  fs::path dir_;
  std::string err_;
};

TEST_F(BadOutput, OutputNameOfTheLongestLengthAFolderAllows) {
  // 255 bytes: the temporary beside it must not add to that name.
  write_wav(dir_ / "in.wav", speechlike(16000.0, 1.0), 16000.0);
  const fs::path out = dir_ / (std::string(251, 'a') + ".wav");
  ASSERT_EQ(out.filename().string().size(), 255u);
  EXPECT_EQ(run("render --listener normal " + (dir_ / "in.wav").string() + " " + out.string() + " >/dev/null"), 0) << err_;
  EXPECT_TRUE(fs::exists(out));
  expect_no_temporaries();
}

TEST_F(BadOutput, StandardOutputThatCannotBeWrittenIsAnError) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full here";
  EXPECT_EQ(run("listeners >/dev/full"), 4);
  EXPECT_EQ(std::count(err_.begin(), err_.end(), '\n'), 1) << err_;
  EXPECT_NE(err_.find("standard output"), std::string::npos) << err_;
}

TEST_F(BadOutput, TerminatedRenderLeavesNoTemporary) {
  // A render long enough to be stopped part way: SIGTERM removes its temporary (output_set.hpp).
  write_wav(dir_ / "in.wav", speechlike(16000.0, 300.0), 16000.0);
  const std::string cmd = std::string(EARSHOT_BINARY) + " render " + (dir_ / "in.wav").string() + " " + (dir_ / "out.wav").string() +
                          " --listener N3 >/dev/null 2>&1 & p=$!; "
                          "while ! ls -a " + dir_.string() + " | grep -q earshot-; do sleep 0.01; done; kill -TERM $p; wait $p";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM) << "the render was not stopped by the signal";
  EXPECT_FALSE(fs::exists(dir_ / "out.wav"));
  expect_no_temporaries();
}

}  // namespace
}  // namespace earshot::test
