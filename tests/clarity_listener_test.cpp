// Clarity/Cadenza listener files (formats/clarity_listener.hpp) through read_listener, as every
// front end reads them: each corpus listener's audiograms are the file's, and every malformed file
// is one error that names the file and the field. The CLI's side (exit code, one line, nothing
// written) is in bad_input_test.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "formats/clarity_listener.hpp"
#include "formats/file_errors.hpp"
#include "formats/listener_reader.hpp"
#include "test_support.hpp"

namespace earshot {
namespace {
namespace fs = std::filesystem;

fs::path write_json(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("earshot_clarity_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / (name + ".json");
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

const std::string kOne =
    R"({"L0001": {"name": "L0001", "audiogram_cfs": [250, 500, 1000, 2000, 4000, 8000],)"
    R"( "audiogram_levels_l": [10, 20, 30, 45, 60, 70], "audiogram_levels_r": [15, 25, 35, 50, 65, 75]},)"
    R"( "L0002": {"name": "L0002", "audiogram_cfs": [250, 1000, 4000],)"
    R"( "audiogram_levels_l": [20, 40, 60], "audiogram_levels_r": [20, 40, 60]}})";

std::string one_line_error(const std::string& arg) {
  const auto read = read_listener(arg);
  EXPECT_FALSE(read) << arg;
  if (read) return "";
  return describe(*listener_file(arg), read.errors());
}

TEST(ClarityListener, EveryCorpusListenerHasItsFilesAudiograms) {
  const auto corpus = test::corpus_dir();
  if (!corpus) GTEST_SKIP() << "EARSHOT_CORPUS is not set: no Clarity listener files to read";
  int files = 0, listeners = 0;
  for (const auto& entry : fs::directory_iterator(*corpus / "audiograms")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    std::ifstream in(entry.path());
    const auto doc = nlohmann::json::parse(in);
    for (const auto& [id, l] : doc.items()) {
      const auto read = read_listener(entry.path().string() + "#" + id);
      ASSERT_TRUE(read) << describe(entry.path(), read.errors());
      const auto& cfs = l["audiogram_cfs"];
      for (int ear = 0; ear < 2; ++ear) {
        const auto& levels = l[ear == 0 ? "audiogram_levels_l" : "audiogram_levels_r"];
        const auto& points = read.value().ear(ear).air_db_hl.points;
        ASSERT_EQ(points.size(), cfs.size()) << id;
        for (std::size_t i = 0; i < points.size(); ++i) {
          EXPECT_EQ(points[i].frequency_hz, cfs[i].get<double>()) << id << " " << ear_name(ear) << " [" << i << "]";
          EXPECT_EQ(points[i].level_db_hl, levels[i].get<double>()) << id << " " << ear_name(ear) << " [" << i << "]";
        }
        // Between and beyond the points, the threshold is the audiogram's own reading of them.
        EXPECT_EQ(read.value().ear(ear).air_loss_db_hl(cfs[0].get<double>()), levels[0].get<double>());
      }
      ++listeners;
    }
  }
  EXPECT_GE(files, 3);
  EXPECT_GE(listeners, 100);  // 83 + 27 + 2 in the corpus today
}

TEST(ClarityListener, IsTheSameListenerAsItsAudiogramSpec) {
  const auto p = write_json("same", kOne);
  const auto file = read_listener(p.string() + "#L0001");
  const auto spec = read_listener("left=250:10,500:20,1000:30,2000:45,4000:60,8000:70,right=250:15,500:25,1000:35,2000:50,4000:65,8000:75");
  ASSERT_TRUE(file) << describe(p, file.errors());
  ASSERT_TRUE(spec);
  EXPECT_TRUE(file.value().left == spec.value().left);
  EXPECT_TRUE(file.value().right == spec.value().right);
  EXPECT_FALSE(file.value().symmetric());
  const auto same_ears = read_listener(p.string() + "#L0002");
  ASSERT_TRUE(same_ears);
  EXPECT_TRUE(same_ears.value().symmetric());  // renders mono from mono input, like "250:20,1000:40,4000:60"
  EXPECT_EQ(listener_file(p.string() + "#L0001"), p);
  EXPECT_EQ(listener_file("N3"), std::nullopt);
}

TEST(ClarityListener, EachProblemIsOneErrorNamingTheFileOrField) {
  const auto missing = one_line_error((fs::temp_directory_path() / "earshot_no_such_listeners.json").string() + "#L0001");
  EXPECT_NE(missing.find("does not exist"), std::string::npos) << missing;

  const auto p = write_json("ok", kOne);
  const auto unknown = one_line_error(p.string() + "#L0010");
  EXPECT_NE(unknown.find("has no listener 'L0010' (2 listeners; nearest: L0001, L0002)"), std::string::npos) << unknown;
  const auto no_id = one_line_error(p.string());
  EXPECT_NE(no_id.find("needs a listener id"), std::string::npos) << no_id;

  const auto bad = write_json("bad", R"({"L0001": {"audiogram_cfs": [250, 500,)");
  const auto not_json = one_line_error(bad.string() + "#L0001");
  EXPECT_NE(not_json.find("is not valid JSON: parse error"), std::string::npos) << not_json;

  const auto list = write_json("list", "[1, 2]");
  EXPECT_NE(one_line_error(list.string() + "#L0001").find("must be a JSON object of listeners"), std::string::npos);

  const auto no_right = write_json("no_right", R"({"L1": {"audiogram_cfs": [250, 500], "audiogram_levels_l": [10, 20]}})");
  const auto missing_field = one_line_error(no_right.string() + "#L1");
  EXPECT_NE(missing_field.find("L1.audiogram_levels_r: missing"), std::string::npos) << missing_field;

  const auto text = write_json("text", R"({"L1": {"audiogram_cfs": [250, 500], "audiogram_levels_l": [10, "x"], "audiogram_levels_r": [10, 20]}})");
  const auto not_number = one_line_error(text.string() + "#L1");
  EXPECT_NE(not_number.find("L1.audiogram_levels_l[1]: must be a number, not \"x\""), std::string::npos) << not_number;

  const auto short_r = write_json("short", R"({"L1": {"audiogram_cfs": [250, 500], "audiogram_levels_l": [10, 20], "audiogram_levels_r": [10]}})");
  const auto lengths = one_line_error(short_r.string() + "#L1");
  EXPECT_NE(lengths.find("L1.audiogram_levels_r: has 1 levels for the 2 frequencies"), std::string::npos) << lengths;

  const auto loud = write_json("loud", R"({"L1": {"audiogram_cfs": [250, 500], "audiogram_levels_l": [10, 130], "audiogram_levels_r": [10, 20]}})");
  const auto range = one_line_error(loud.string() + "#L1");
  EXPECT_NE(range.find("L1.audiogram_levels_l[1].level_db_hl: 130 dB HL is outside"), std::string::npos) << range;

  const auto deep = write_json("deep", std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_NE(one_line_error(deep.string() + "#L1").find("nest more than 16"), std::string::npos);
  const auto big = write_json("big", "{\"pad\": \"" + std::string(kMaxClarityFileBytes, 'x') + "\"}");
  EXPECT_NE(one_line_error(big.string() + "#L1").find("the limit is 1048576 bytes"), std::string::npos);
  fs::remove_all(p.parent_path());
}

}  // namespace
}  // namespace earshot
