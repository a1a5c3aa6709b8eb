// `earshot batch` (issue 17): the manifest's grammar (RFC 4180 quoting, columns, numbers), the
// row plan (paths, output names, seeds), and the command run as a user runs it over corpus speech:
// each output equal to `earshot render` of its row, the same bytes for any --jobs, a re-run that
// skips every complete row, and bad rows reported while the others complete. (Manifest errors as
// the command reports them are rows of tests/bad_input_test.cpp's table.)
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "batch/batch_manifest.hpp"
#include "batch/batch_row.hpp"
#include "batch/batch_scores.hpp"
#include "support/seed.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;


// ---- the manifest

TEST(BatchManifest, ReadsQuotedFieldsCrlfAndAnyColumnOrder) {
  const std::string text =
      "\xEF\xBB\xBF"
      "listener,input,level_db_spl,seed,output\r\n"
      "\"left=N2,right=ci:nucleus-ace\",\"speech/a, b.wav\",70,42,\"say \"\"hi\"\".wav\"\r\n"
      "\r\n"
      "N3,\"two\nlines.wav\",,,\r\n";
  auto m = parse_batch_manifest(text);
  ASSERT_TRUE(m) << describe(m.errors());
  ASSERT_EQ(m.value().rows.size(), 2u);
  const auto& a = m.value().rows[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.listener, "left=N2,right=ci:nucleus-ace");
  EXPECT_EQ(a.input, "speech/a, b.wav");
  EXPECT_EQ(a.output.value_or(""), "say \"hi\".wav");
  EXPECT_DOUBLE_EQ(a.level_db_spl.value_or(0), 70.0);
  EXPECT_EQ(a.seed.value_or(0), 42u);
  const auto& b = m.value().rows[1];
  EXPECT_EQ(b.line, 4);  // after the blank line
  EXPECT_EQ(b.input, "two\nlines.wav");
  EXPECT_FALSE(b.output || b.level_db_spl || b.seed);
}

TEST(BatchManifest, RefusesWhatWouldBeSilentlyMisread) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"input\nx.wav\n", "the column 'listener' is missing"},
      {"input,listener,levl_db_spl\nx.wav,N3,70\n", "unknown column 'levl_db_spl'"},
      {"input,listener,input\nx,N3,y\n", "column 'input' is named twice"},
      {"input,listener,level_db_spl\nx.wav,N3,loud\n", "line 2, level_db_spl: 'loud' is not a number"},
      {"input,listener,level_db_spl\nx.wav,N3,0x40\n", "'0x40' is not a number"},
      {"input,listener,seed\nx.wav,N3,-1\n", "'-1' is not a whole number"},
      {"input,listener,seed\nx.wav,N3,18446744073709551616\n", "is not a whole number"},
      {"input,listener\nx.wav,\"N3\n", "line 2: a quoted field is not closed"},
      {"input,listener\nx.wav,\"N3\"x\n", "text after a quoted field's closing quote"},
      {"input,listener\nx\"y.wav,N3\n", "a double quote inside an unquoted field"},
      {"input,listener\nx.wav\n", "line 2: 1 fields, but the header names 2 columns"},
      {"input,listener\nx.wav,\n", "line 2, listener: is empty"},
      {"input,listener,level_db_spl,calibration_db_spl\nx.wav,N3,65,90\n", "give one of them"},
      {"input,listener\n", "a header but no rows"},
      {"", "the manifest is empty"},
  };
  for (const auto& [text, fragment] : cases) {
    auto m = parse_batch_manifest(text);
    ASSERT_FALSE(m) << text;
    EXPECT_NE(describe(m.errors()).find(fragment), std::string::npos) << text << " -> " << describe(m.errors());
  }
}

// ---- the plan

TEST(BatchPlan, PathsRelativeToTheManifestOutputsInsideTheOutFolder) {
  auto m = parse_batch_manifest(
      "input,listener,reference,noise,output\n"
      "speech/a.wav,ci:nucleus-ace,clean/a.wav,/abs/n.wav,\n"
      "/abs/b.flac,profiles/p.toml,,,sub/b.wav\n"
      "c.wav,listeners.json#L0001,,,\n");
  ASSERT_TRUE(m) << describe(m.errors());
  auto plans = plan_batch(m.value(), "/data/set", "/renders");
  ASSERT_TRUE(plans) << describe(plans.errors());
  const auto& p = plans.value();
  EXPECT_EQ(p[0].input, fs::path("/data/set/speech/a.wav"));
  EXPECT_EQ(p[0].output_name, "a__ci_nucleus-ace.wav");
  EXPECT_EQ(p[0].output, fs::path("/renders/a__ci_nucleus-ace.wav"));
  EXPECT_EQ(p[0].reference.value_or(""), fs::path("/data/set/clean/a.wav"));
  EXPECT_EQ(p[0].noise.value_or(""), fs::path("/abs/n.wav"));
  EXPECT_EQ(p[1].input, fs::path("/abs/b.flac"));
  EXPECT_EQ(p[1].listener, "/data/set/profiles/p.toml");
  EXPECT_EQ(p[1].output, fs::path("/renders/sub/b.wav"));
  EXPECT_EQ(p[2].listener, "/data/set/listeners.json#L0001");
  EXPECT_EQ(p[2].listener_file.value_or(""), fs::path("/data/set/listeners.json"));
  EXPECT_EQ(p[2].output_name, "c__listeners_L0001.wav");
}

TEST(BatchPlan, RefusesOutputsOutsideTheFolderAndOutputsNamedTwice) {
  for (const auto& [text, fragment] : std::vector<std::pair<std::string, std::string>>{
           {"input,listener,output\na.wav,N3,../x.wav\n", "line 2, output: '../x.wav' must be a file name inside"},
           {"input,listener,output\na.wav,N3,/tmp/x.wav\n", "must be a file name inside"},
           {"input,listener\nx/a.wav,N3\ny/a.wav,N3\n", "line 3, output: 'a__N3.wav' is also line 2's output"},
       }) {
    auto m = parse_batch_manifest(text);
    ASSERT_TRUE(m) << text;
    auto plans = plan_batch(m.value(), "/d", "/r");
    ASSERT_FALSE(plans) << text;
    EXPECT_NE(describe(plans.errors()).find(fragment), std::string::npos) << describe(plans.errors());
  }
}

TEST(BatchPlan, SeedComesFromTheRowsBaseSeedAndOutputNameOnly) {
  // The documented derivation (batch/batch_row.hpp), pinned: a change would change every corpus render.
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);  // FNV-1a 64 test vector
  EXPECT_EQ(batch_render_seed(1, "a__N3.wav"),
            static_cast<std::uint32_t>(derive_seed(1, {kSeedBatchRow, fnv1a64("a__N3.wav")})));
  auto m = parse_batch_manifest("input,listener,seed\na.wav,N3,\nb.wav,N3,\na.wav,N4,7\n");
  ASSERT_TRUE(m);
  auto p = plan_batch(m.value(), "/d", "/r").value();
  EXPECT_EQ(p[0].render_seed, batch_render_seed(1, "a__N3.wav"));
  EXPECT_NE(p[0].render_seed, p[1].render_seed);  // rows do not share random phases
  EXPECT_EQ(p[2].render_seed, batch_render_seed(7, "a__N4.wav"));
  // Order does not enter: the same row planned alone has the same seed.
  auto alone = plan_batch(parse_batch_manifest("input,listener\nb.wav,N3\n").value(), "/d", "/r").value();
  EXPECT_EQ(alone[0].render_seed, p[1].render_seed);
}

TEST(BatchScores, QuotesFieldsAndSaysNotApplicableForImplantedEars) {
  BatchRowResult r;
  r.line = 3;
  r.input = "a,b.wav";
  r.listener = "left=N2,right=ci:nucleus-ace";
  r.output = "o.wav";
  r.status = BatchRowStatus::rendered;
  r.seed = 9;
  r.sample_rate_hz = 16000;
  r.frames = 100;
  r.left.sii = 0.5;
  r.right.sii_not_applicable = true;
  const std::string line = batch_scores_line(r);
  EXPECT_EQ(line, "3,\"a,b.wav\",\"left=N2,right=ci:nucleus-ace\",o.wav,rendered,,9,16000,100,,,,,,,,,0.500000,n/a,,,,");
  // The hearing-aid indices, when asked for: the acoustic ear's values, n/a for the implanted one.
  r.left.haspi_v2 = 0.25;
  r.left.hasqi_v2 = 0.125;
  r.right.indices_not_applicable = true;
  EXPECT_EQ(batch_scores_line(r), "3,\"a,b.wav\",\"left=N2,right=ci:nucleus-ace\",o.wav,rendered,,9,16000,100,,,,,,,,,0.500000,n/a,0.250000,n/a,0.125000,n/a");
  const std::string header = batch_scores_header();
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), 22);
  // As many cells as the header names (the quoted commas are not separators).
  auto m = parse_batch_manifest("input,listener\n" + csv_field("x\"y") + ",N3\n");
  ASSERT_TRUE(m) << describe(m.errors());
  EXPECT_EQ(m.value().rows[0].input, "x\"y");
}

// ---- the command, on corpus speech

// RFC 4180 rows of a file (the scores CSV quotes error messages).
std::vector<std::vector<std::string>> read_quoted_csv(const fs::path& path) {
  const std::string text = slurp(path);
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  rows.pop_back();  // after the last line end
  return rows;
}

struct CommandRun {
  int exit_code = -1;
  std::string out, err;
};

class BatchCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = corpus_dir();
    if (!corpus_) GTEST_SKIP() << "EARSHOT_CORPUS is not set: the batch tests render corpus speech";
    dir_ = fs::temp_directory_path() / ("earshot_batch_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  CommandRun run(const std::string& args) {
    const std::string cmd = std::string(EARSHOT_BINARY) + " " + args + " >" + (dir_ / "stdout").string() + " 2>" + (dir_ / "stderr").string();
    const int status = std::system(cmd.c_str());
    CommandRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(dir_ / "stdout");
    r.err = slurp(dir_ / "stderr");
    return r;
  }
  std::string speech(const std::string& name) const { return (*corpus_ / "speech" / name).string(); }
  // Three short corpus utterances (about 4 s each), four listeners: a loss, an implant, a bimodal
  // listener (SII on the acoustic ear only), with a reference (STOI) and a noise (SII in noise).
  fs::path write_manifest() {
    const fs::path m = dir_ / "manifest.csv";
    write_text(m, "input,listener,reference,noise,level_db_spl\n" +
                      speech("cmu_arctic_aew_a0001_M_en.wav") + ",N3," + speech("cmu_arctic_aew_a0001_M_en.wav") + ",,\n" +
                      speech("cmu_arctic_axb_a0004_F_en.wav") + ",ci:nucleus-ace,,,70\n" +
                      speech("harvard_spk1_snt1_F_en.wav") + ",\"left=N2,right=ci:nucleus-ace\",,"
                      + (*corpus_ / "noise" / "noisereduce_cafe_short.wav").string() + ",\n" +
                      speech("cmu_arctic_aew_a0002_M_en.wav") + ",\"250:20,1000:40,4000:70\",,,\n");
    return m;
  }
  std::optional<fs::path> corpus_;
  fs::path dir_;
};

TEST_F(BatchCommand, EachOutputIsTheRenderOfItsRow) {
  const fs::path m = write_manifest();
  const CommandRun r = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --scores " + (dir_ / "scores.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no progress line when stderr is not a terminal
  const auto rows = read_quoted_csv(dir_ / "scores.csv");
  ASSERT_EQ(rows.size(), 5u);
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < rows[0].size(); ++c) col[rows[0][c]] = c;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& row = rows[i];
    ASSERT_EQ(row.size(), rows[0].size());
    EXPECT_EQ(row[col["status"]], "rendered") << row[col["error"]];
    const std::string level = i == 2 ? " --level 70" : "";
    const fs::path expected = dir_ / ("render_" + std::to_string(i) + ".wav");
    const CommandRun single = run("render " + row[col["input"]] + " " + expected.string() + " --listener '" + row[col["listener"]] +
                           "' --seed " + row[col["seed"]] + level);
    ASSERT_EQ(single.exit_code, 0) << single.err;
    EXPECT_EQ(slurp(dir_ / "out" / row[col["output"]]), slurp(expected)) << "row " << i << ": " << row[col["output"]];
    // The input was presented at the row's level; the loss takes level away.
    EXPECT_NEAR(std::stod(row[col["input_active_db_spl"]]), i == 2 ? 70.0 : 65.0, 0.05);
  }
  // Scores where asked, n/a where they cannot apply.
  const auto& n3 = rows[1];
  EXPECT_LT(std::stod(n3[col["output_left_db_spl"]]), std::stod(n3[col["input_long_term_db_spl"]]) - 10.0);
  EXPECT_GT(std::stod(n3[col["stoi_left"]]), 0.5);
  EXPECT_LT(std::stod(n3[col["stoi_left"]]), 1.0);
  EXPECT_EQ(n3[col["stoi_left"]], n3[col["stoi_right"]]);  // a mono render is both ears
  EXPECT_EQ(rows[2][col["stoi_left"]], "");                // no reference, no STOI
  EXPECT_EQ(rows[2][col["sii_left"]], "n/a");
  EXPECT_EQ(rows[2][col["sii_right"]], "n/a");
  const auto& bimodal = rows[3];
  EXPECT_EQ(bimodal[col["sii_right"]], "n/a");
  const double sii_in_noise = std::stod(bimodal[col["sii_left"]]);
  EXPECT_GT(sii_in_noise, 0.0);
  EXPECT_LT(sii_in_noise, 1.0);
  // A loss that rises to 70 dB HL at 4 kHz leaves less of the speech audible than N2 in quiet would: just in range.
  const double sii_sloping = std::stod(rows[4][col["sii_left"]]);
  EXPECT_GT(sii_sloping, 0.1);
  EXPECT_LT(sii_sloping, 0.9);
}

// Rows of one listener share its hearing-loss design (hearing_loss_design_cache.hpp) and are scored
// from the samples they rendered, not from their files read again: each output is still the bytes
// of its own `earshot render` (each row at its own level or calibration, with its own seed; a
// 44.1 kHz row beside 16 kHz ones; a FLAC output, whose samples are rounded, scored from its file),
// and the scores equal those a re-run takes from the files.
TEST_F(BatchCommand, RowsOfOneListenerShareItsDesignAndKeepTheirBytes) {
  const fs::path m = dir_ / "manifest.csv";
  write_text(m, "input,listener,output,level_db_spl,calibration_db_spl,reference\n" +
                    speech("cmu_arctic_aew_a0001_M_en.wav") + ",N3,a.wav,,," + speech("cmu_arctic_aew_a0001_M_en.wav") + "\n" +
                    speech("cmu_arctic_aew_a0002_M_en.wav") + ",N3,b.wav,72,,\n" +
                    speech("cmu_arctic_axb_a0004_F_en.wav") + ",N3,c.wav,,95,\n" +
                    speech("clarity_T010_G0N_02468_F_en.wav") + ",N3,d.wav,,,\n" +
                    speech("harvard_spk1_snt1_F_en.wav") + ",N3,e.flac,,,\n" +
                    speech("harvard_spk1_snt2_F_en.wav") + ",\"left=N3,right=N5\",f.wav,60,,\n");
  const CommandRun r = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --scores " + (dir_ / "scores.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_quoted_csv(dir_ / "scores.csv");
  ASSERT_EQ(rows.size(), 7u);
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < rows[0].size(); ++c) col[rows[0][c]] = c;
  const char* options[] = {"", " --level 72", " --calibration 95", "", "", " --level 60"};
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& row = rows[i];
    ASSERT_EQ(row[col["status"]], "rendered") << row[col["error"]];
    const fs::path expected = dir_ / ("render_" + row[col["output"]]);
    const CommandRun single = run("render " + row[col["input"]] + " " + expected.string() + " --listener '" + row[col["listener"]] +
                                  "' --seed " + row[col["seed"]] + options[i - 1]);
    ASSERT_EQ(single.exit_code, 0) << single.err;
    EXPECT_EQ(slurp(dir_ / "out" / row[col["output"]]), slurp(expected)) << "row " << i << ": " << row[col["output"]];
  }
  EXPECT_NE(rows[1][col["stoi_left"]], "");  // a reference: STOI from the kept samples too
  // Scored again from the files, every row skipped: the same scores.
  const CommandRun again = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --scores " + (dir_ / "again.csv").string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::string expected = slurp(dir_ / "scores.csv");
  for (std::size_t at; (at = expected.find(",rendered,")) != std::string::npos;) expected.replace(at, 10, ",skipped,");
  EXPECT_EQ(slurp(dir_ / "again.csv"), expected);
}

// A stereo input's ears hear different speech: each ear's SII is that of `earshot score` for the
// same file and listener, ear by ear (not the left ear's twice), acoustic and bimodal alike.
TEST_F(BatchCommand, EachEarOfAStereoInputIsScoredOnItsOwnChannel) {
  const std::string binaural = speech("clarity_S06001_target_anechoic_M_en_binaural.wav");
  const fs::path m = dir_ / "manifest.csv";
  write_text(m, "input,listener\n" + binaural + ",N3\n" + binaural + ",\"left=ci:nucleus-ace,right=N3\"\n");
  const CommandRun r = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --scores " + (dir_ / "scores.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_quoted_csv(dir_ / "scores.csv");
  ASSERT_EQ(rows.size(), 3u);
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < rows[0].size(); ++c) col[rows[0][c]] = c;
  const CommandRun score = run("score --speech " + binaural + " --listener N3 --json");
  ASSERT_EQ(score.exit_code, 0) << score.err;
  const auto j = nlohmann::json::parse(score.out);
  const double left = j["left"]["sii"].get<double>(), right = j["right"]["sii"].get<double>();
  ASSERT_GT(std::abs(left - right), 0.005) << "the file's ears should differ for this test to mean anything";
  EXPECT_NEAR(std::stod(rows[1][col["sii_left"]]), left, 1e-5);
  EXPECT_NEAR(std::stod(rows[1][col["sii_right"]]), right, 1e-5);
  EXPECT_EQ(rows[2][col["sii_left"]], "n/a");
  EXPECT_NEAR(std::stod(rows[2][col["sii_right"]]), right, 1e-5);
}

// Issue 16: an `aid` column. An aided row is `earshot render --aid` of its input, has its own
// derived name beside the unaided row of the same input and listener, and its SII is its aided
// ears' (higher than unaided for N3 at 55 dB SPL in cafe noise); "none" is unaided; an aid on the
// acoustic ear of a bimodal listener leaves the implanted ear's SII n/a.
TEST_F(BatchCommand, AnAidColumnRendersAndScoresTheAidedEars) {
  const std::string s = speech("cmu_arctic_aew_a0001_M_en.wav");
  const std::string cafe = (*corpus_ / "noise" / "noisereduce_cafe_short.wav").string();
  const fs::path m = dir_ / "manifest.csv";
  write_text(m, "input,listener,aid,noise,level_db_spl\n" + s + ",N3,," + cafe + ",55\n" + s + ",N3,\"nal-r,wdrc\"," + cafe + ",55\n" + s +
                    ",N4,none,,55\n" + s + ",\"left=N3,right=ci:nucleus-ace\",left=nal-r,,55\n");
  const CommandRun r = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --scores " + (dir_ / "scores.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_quoted_csv(dir_ / "scores.csv");
  ASSERT_EQ(rows.size(), 5u);
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < rows[0].size(); ++c) col[rows[0][c]] = c;
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i][col["status"]], "rendered") << rows[i][col["error"]];
  const auto& unaided = rows[1];
  const auto& aided = rows[2];
  EXPECT_NE(unaided[col["output"]], aided[col["output"]]);
  EXPECT_NE(aided[col["output"]].find("aid"), std::string::npos) << aided[col["output"]];
  const fs::path expected = dir_ / "aided.wav";
  const CommandRun single = run("render " + s + " " + expected.string() + " --listener N3 --aid nal-r,wdrc --level 55 --seed " + aided[col["seed"]]);
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(slurp(dir_ / "out" / aided[col["output"]]), slurp(expected));
  std::printf("N3, speech at 55 dB SPL in cafe noise: SII unaided %s, with nal-r,wdrc %s\n", unaided[col["sii_left"]].c_str(),
              aided[col["sii_left"]].c_str());
  EXPECT_GT(std::stod(aided[col["sii_left"]]), std::stod(unaided[col["sii_left"]]) + 0.1);
  EXPECT_GT(std::stod(aided[col["output_left_db_spl"]]), std::stod(unaided[col["output_left_db_spl"]]) + 10.0);
  EXPECT_EQ(rows[3][col["output"]].find("aid"), std::string::npos);  // "none": unaided, named so
  EXPECT_EQ(rows[4][col["sii_right"]], "n/a");
  EXPECT_GT(std::stod(rows[4][col["sii_left"]]), 0.0);
}

// Issue 16: `--haspi --hasqi` add HASPI v2 and HASQI v2 per ear for rows with a reference, of the
// signal at the ear: an unaided row's is exactly `earshot score` of the reference against the
// input (not the render, which has the loss already: the indices model it from the audiogram); an
// aided row's is of the aid's output, which for N3 at a soft level (NAL-R restoring audibility)
// scores higher than the unaided input; an implanted ear is n/a; rows without a reference, and a
// run without the flags, leave the cells empty; the flags need --scores.
TEST_F(BatchCommand, HaspiAndHasqiScoreTheSignalAtTheEarPerEar) {
  const std::string s = speech("cmu_arctic_aew_a0001_M_en.wav");
  const fs::path m = dir_ / "manifest.csv";
  // calibration 80: this utterance's active speech is then at about 55 dB SPL, soft for N3.
  write_text(m, "input,listener,reference,aid,calibration_db_spl\n" + s + ",N3," + s + ",,80\n" + s + ",N3," + s + ",nal-r,80\n" + s +
                    ",\"left=N3,right=ci:nucleus-ace\"," + s + ",left=nal-r,80\n" + speech("cmu_arctic_aew_a0002_M_en.wav") + ",N3,,,80\n");
  const CommandRun r = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --scores " + (dir_ / "scores.csv").string() +
                           " --haspi --hasqi");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_quoted_csv(dir_ / "scores.csv");
  ASSERT_EQ(rows.size(), 5u);
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < rows[0].size(); ++c) col[rows[0][c]] = c;
  for (const char* name : {"haspi_v2_left", "haspi_v2_right", "hasqi_v2_left", "hasqi_v2_right"}) ASSERT_TRUE(col.count(name)) << name;
  for (std::size_t i = 1; i < rows.size(); ++i) ASSERT_EQ(rows[i][col["status"]], "rendered") << rows[i][col["error"]];
  const auto& unaided = rows[1];
  const auto& aided = rows[2];
  const CommandRun score = run("score --ref " + s + " --test " + s + " --listener N3 --haspi --hasqi --calibration 80 --json");
  ASSERT_EQ(score.exit_code, 0) << score.err;
  const auto channel = nlohmann::json::parse(score.out)["channels"][0];
  // The left ear draws score's stream for a mono --test (ear 0): equal to the CSV's 6 decimals. The
  // right ear draws its own (ear 1), so it differs from the left by the random draws' effect only.
  for (const char* index : {"haspi_v2", "hasqi_v2"}) {
    EXPECT_NEAR(std::stod(unaided[col[std::string(index) + "_left"]]), channel[index].get<double>(), 5e-7) << index;
    EXPECT_NEAR(std::stod(unaided[col[std::string(index) + "_right"]]), channel[index].get<double>(), 0.002) << index;
  }
  std::printf("N3, speech at about 55 dB SPL: HASPI v2 unaided %s, with nal-r %s; HASQI v2 unaided %s, with nal-r %s\n",
              unaided[col["haspi_v2_left"]].c_str(), aided[col["haspi_v2_left"]].c_str(), unaided[col["hasqi_v2_left"]].c_str(),
              aided[col["hasqi_v2_left"]].c_str());
  EXPECT_GT(std::stod(aided[col["haspi_v2_left"]]), std::stod(unaided[col["haspi_v2_left"]]) + 0.05);
  EXPECT_GT(std::stod(aided[col["hasqi_v2_left"]]), std::stod(unaided[col["hasqi_v2_left"]]) + 0.05);
  // The bimodal row: its aided acoustic ear is the aided N3 ear's value (the same aid, input and
  // level), its implanted ear n/a.
  const auto& bimodal = rows[3];
  EXPECT_EQ(bimodal[col["haspi_v2_left"]], aided[col["haspi_v2_left"]]);
  EXPECT_EQ(bimodal[col["hasqi_v2_left"]], aided[col["hasqi_v2_left"]]);
  EXPECT_EQ(bimodal[col["haspi_v2_right"]], "n/a");
  EXPECT_EQ(bimodal[col["hasqi_v2_right"]], "n/a");
  EXPECT_EQ(rows[4][col["haspi_v2_left"]], "");  // no reference
  EXPECT_EQ(rows[4][col["hasqi_v2_right"]], "");
  // Without the flags the columns are there and empty; the flags without --scores are refused.
  const CommandRun plain = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --scores " + (dir_ / "plain.csv").string());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto plain_rows = read_quoted_csv(dir_ / "plain.csv");
  EXPECT_EQ(plain_rows[1][col["haspi_v2_left"]], "");
  EXPECT_EQ(plain_rows[1][col["stoi_left"]], unaided[col["stoi_left"]]);
  const CommandRun no_scores = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --hasqi");
  EXPECT_EQ(no_scores.exit_code, 2);
  EXPECT_NE(no_scores.err.find("--hasqi adds columns to the scores CSV: give --scores FILE"), std::string::npos) << no_scores.err;
}

// A misspelt aid stops the batch before any row runs (exit 2, the line and column named); an aid
// that does not fit its row's listener (on an implanted ear) fails that row only (exit 6).
TEST_F(BatchCommand, ABadAidStopsTheBatchOrFailsItsRow) {
  const std::string s = speech("cmu_arctic_aew_a0001_M_en.wav");
  const fs::path m = dir_ / "manifest.csv";
  write_text(m, "input,listener,aid\n" + s + ",N3,nal-r\n" + s + ",N3,nal-x\n");
  const CommandRun bad = run("batch " + m.string() + " --out " + (dir_ / "out").string());
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("line 3, aid"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  write_text(m, "input,listener,aid\n" + s + ",N3,nal-r\n" + s + ",ci:nucleus-ace,nal-r\n");
  const CommandRun row = run("batch " + m.string() + " --out " + (dir_ / "out").string());
  EXPECT_EQ(row.exit_code, 6) << row.err;
  EXPECT_NE(row.err.find("line 3:"), std::string::npos) << row.err;
  EXPECT_NE(row.err.find("aid"), std::string::npos) << row.err;
}

TEST_F(BatchCommand, TwoJobsGiveTheBytesOfOneAndARerunSkipsEveryRow) {
  const fs::path m = write_manifest();
  const CommandRun one = run("batch " + m.string() + " --out " + (dir_ / "one").string() + " --jobs 1 --scores " + (dir_ / "one.csv").string());
  const CommandRun two = run("batch " + m.string() + " --out " + (dir_ / "two").string() + " -j 2 --scores " + (dir_ / "two.csv").string());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "one")) {
    EXPECT_EQ(slurp(e.path()), slurp(dir_ / "two" / e.path().filename())) << e.path().filename();
    ++files;
  }
  EXPECT_EQ(files, 4u);
  EXPECT_EQ(slurp(dir_ / "one.csv"), slurp(dir_ / "two.csv"));

  // Again into "one": every output is complete, so nothing is rendered and nothing is touched.
  std::map<fs::path, fs::file_time_type> before;
  for (const auto& e : fs::directory_iterator(dir_ / "one")) before[e.path()] = fs::last_write_time(e.path());
  const CommandRun again = run("batch " + m.string() + " --out " + (dir_ / "one").string() + " -j 2 --scores " + (dir_ / "again.csv").string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 rendered, 4 skipped"), std::string::npos) << again.out;
  for (const auto& [p, t] : before) EXPECT_EQ(fs::last_write_time(p), t) << p;
  // The skipped rows are scored from their files as the rendered ones were.
  std::string expected = slurp(dir_ / "one.csv");
  for (std::size_t at; (at = expected.find(",rendered,")) != std::string::npos;) expected.replace(at, 10, ",skipped,");
  EXPECT_EQ(slurp(dir_ / "again.csv"), expected);

  // An output cut short under its final name (not by earshot, which renames only complete files) is
  // not complete: it is rendered again.
  const auto rows = read_quoted_csv(dir_ / "one.csv");
  const fs::path cut = dir_ / "one" / rows[1][3];
  const std::string whole = slurp(cut);
  write_text(cut, whole.substr(0, whole.size() / 2));
  const CommandRun mend = run("batch " + m.string() + " --out " + (dir_ / "one").string());
  ASSERT_EQ(mend.exit_code, 0) << mend.err;
  EXPECT_NE(mend.out.find("1 rendered, 3 skipped"), std::string::npos) << mend.out;
  EXPECT_EQ(slurp(cut), whole);
}

TEST_F(BatchCommand, AnInterruptedRunLeavesOnlyCompleteFilesAndResumes) {
  const fs::path m = write_manifest();
  ASSERT_EQ(run("batch " + m.string() + " --out " + (dir_ / "whole").string()).exit_code, 0);
  // Stopped part of the way (SIGTERM after 0.3 s: wherever it lands, the promise below holds).
  const std::string cut = "timeout -s TERM 0.3 " + std::string(EARSHOT_BINARY) + " batch " + m.string() + " --out " +
                          (dir_ / "cut").string() + " --jobs 2 >/dev/null 2>&1";
  std::system(cut.c_str());
  if (fs::exists(dir_ / "cut")) {
    for (const auto& e : fs::directory_iterator(dir_ / "cut")) {
      const std::string name = e.path().filename().string();
      EXPECT_EQ(name.find(".earshot-"), std::string::npos) << "temporary left: " << name;
      EXPECT_EQ(slurp(e.path()), slurp(dir_ / "whole" / name)) << "a partial file under its final name: " << name;
    }
  }
  const CommandRun resumed = run("batch " + m.string() + " --out " + (dir_ / "cut").string() + " --jobs 2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "whole")) {
    EXPECT_EQ(slurp(e.path()), slurp(dir_ / "cut" / e.path().filename())) << e.path().filename();
    ++files;
  }
  EXPECT_EQ(files, 4u);
}

TEST_F(BatchCommand, AListenerFileIsFoundBesideTheManifest) {
  // A Clarity listener file (formats' read_listener) named relative to the manifest's folder.
  fs::create_directories(dir_ / "set");
  fs::copy_file(*corpus_ / "audiograms" / "clarity_listeners_cec2_cpc2.json", dir_ / "set" / "listeners.json");
  write_text(dir_ / "set" / "m.csv", "input,listener\n" + speech("harvard_spk1_snt3_F_en.wav") + ",listeners.json#L0001\n");
  const CommandRun r = run("batch " + (dir_ / "set" / "m.csv").string() + " --out " + (dir_ / "out").string() + " --scores " +
                           (dir_ / "s.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_quoted_csv(dir_ / "s.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][3], "harvard_spk1_snt3_F_en__listeners_L0001.wav");
  const CommandRun single = run("render " + speech("harvard_spk1_snt3_F_en.wav") + " " + (dir_ / "single.wav").string() +
                                " --listener " + (dir_ / "set" / "listeners.json").string() + "#L0001 --seed " + rows[1][6]);
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(slurp(dir_ / "out" / rows[1][3]), slurp(dir_ / "single.wav"));
}

TEST_F(BatchCommand, BadRowsAreReportedWhileTheOthersComplete) {
  write_text(dir_ / "corrupt.wav", "RIFF\x24\x00\x00\x00WAVEfmt this is not audio");
  const fs::path m = dir_ / "manifest.csv";
  write_text(m, "input,listener\n" + speech("cmu_arctic_aew_a0001_M_en.wav") + ",N3\n" +
                    "missing.wav,N3\n" +
                    speech("cmu_arctic_axb_a0006_F_en.wav") + ",N99\n" +
                    "corrupt.wav,N3\n" +
                    speech("cmu_arctic_aew_a0002_M_en.wav") + ",ci:nucleus-ace\n");
  const CommandRun r = run("batch " + m.string() + " --out " + (dir_ / "out").string() + " --jobs 2 --scores " + (dir_ / "scores.csv").string());
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 3) << r.err;
  EXPECT_NE(r.err.find("line 3: input '" + (dir_ / "missing.wav").string() + "' does not exist"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 4: listener: unknown listener 'N99'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 5: input '" + (dir_ / "corrupt.wav").string() + "' is not a readable audio file"), std::string::npos) << r.err;
  const auto rows = read_quoted_csv(dir_ / "scores.csv");
  ASSERT_EQ(rows.size(), 6u);
  const std::vector<std::string> status = {"rendered", "failed", "failed", "failed", "rendered"};
  for (std::size_t i = 0; i < status.size(); ++i) {
    EXPECT_EQ(rows[i + 1][4], status[i]) << i;
    EXPECT_EQ(rows[i + 1][5].empty(), status[i] == "rendered") << rows[i + 1][5];
    EXPECT_EQ(fs::exists(dir_ / "out" / rows[i + 1][3]), status[i] == "rendered") << rows[i + 1][3];
  }
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    EXPECT_EQ(e.path().filename().string().find(".earshot-"), std::string::npos) << "temporary left: " << e.path();
  }
}

}  // namespace
}  // namespace earshot::test
