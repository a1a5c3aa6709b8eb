// Listener profiles and scene files read by formats: a Result with every problem named by its
// field path inside the file, and one whole-file error for a missing file or bad TOML.
#include <gtest/gtest.h>

#include <fstream>

#include "formats/file_errors.hpp"
#include "formats/listener_reader.hpp"
#include "formats/profile_file.hpp"
#include "formats/scene_file.hpp"

namespace earshot {
namespace {
namespace fs = std::filesystem;

fs::path write_file(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("earshot_profile_" + name + ".toml");
  std::ofstream(p) << text;
  return p;
}

bool has_field(const SpecErrors& errors, const std::string& field) {
  for (const auto& e : errors) {
    if (e.field == field) return true;
  }
  return false;
}

TEST(ProfileFile, ReadsAudiogramsPresetsAndAirBoneGap) {
  const auto p = write_file("ok", R"(
[left]
audiogram_hz    = [250, 500, 1000, 2000, 4000, 8000]
audiogram_db_hl = [ 40,  40,   45,   50,   60,   70]
air_bone_gap_db = [ 25,  20,   15,   10,    5,    0]
[right]
preset = "N2"
)");
  const auto read = read_listener_profile(p);
  ASSERT_TRUE(read) << describe(read.errors());
  const Listener& l = read.value();
  EXPECT_DOUBLE_EQ(l.left.air_loss_db_hl(1000), 45.0);
  EXPECT_DOUBLE_EQ(l.left.conductive_loss_db(500), 20.0);
  EXPECT_DOUBLE_EQ(l.left.sensorineural_loss_db_hl(250), 15.0);
  EXPECT_DOUBLE_EQ(l.right.air_loss_db_hl(4000), 45.0);
  EXPECT_FALSE(l.symmetric());
}

TEST(ProfileFile, BothTableAppliesToBothEars) {
  const auto read = read_listener_profile(write_file("both", "[both]\npreset = \"age:70:female\"\n"));
  ASSERT_TRUE(read) << describe(read.errors());
  EXPECT_TRUE(read.value().symmetric());
}

TEST(ProfileFile, EveryProblemWithItsFieldPath) {
  const auto p = write_file("bad", R"(
[left]
audiogram_hz    = [250, 500, 500]
audiogram_db_hl = [ 40, 140,  45]
[right]
preset = "N9"
colour = "blue"
)");
  const auto read = read_listener_profile(p);
  ASSERT_FALSE(read);
  const SpecErrors& errors = read.errors();
  EXPECT_TRUE(has_field(errors, "left.audiogram[1].level_db_hl")) << describe(errors);
  EXPECT_TRUE(has_field(errors, "left.audiogram[2].frequency_hz")) << describe(errors);
  EXPECT_TRUE(has_field(errors, "right.preset")) << describe(errors);
  EXPECT_TRUE(has_field(errors, "right.colour")) << describe(errors);
  // The line a user reads names the file once, then every problem.
  const std::string m = describe(p, errors);
  EXPECT_EQ(m.rfind(p.string() + ": ", 0), 0u) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos);
}

TEST(ProfileFile, SyntaxErrorsAndMissingFilesAreAboutTheWholeFile) {
  const auto p = write_file("syntax", "[left]\npreset = N3\n");
  const auto bad = read_listener_profile(p);
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.errors().size(), 1u);
  EXPECT_TRUE(bad.errors().front().field.empty());
  EXPECT_NE(describe(p, bad.errors()).find(":2:"), std::string::npos) << describe(p, bad.errors());
  const auto missing = read_listener_profile(fs::temp_directory_path() / "earshot_no_such_profile.toml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.errors().front().message.find("does not exist"), std::string::npos);
}

TEST(ReadListener, TakesAGrammarStringOrAProfilePath) {
  const auto spec = read_listener("left=N3,right=ci:nucleus-ace");
  ASSERT_TRUE(spec) << describe(spec.errors());
  EXPECT_FALSE(spec.value().left.implant.has_value());
  EXPECT_TRUE(spec.value().right.implant.has_value());

  const auto p = write_file("reader", "[both]\npreset = \"N4\"\n");
  const auto file = read_listener(p.string());
  ASSERT_TRUE(file) << describe(file.errors());
  EXPECT_TRUE(file.value().symmetric());

  const auto unknown = read_listener("N9");
  ASSERT_FALSE(unknown);
  EXPECT_FALSE(unknown.errors().front().field.empty());
}

TEST(SceneFile, ReadsInputsKeyframesAndLayers) {
  const auto p = write_file("scene_ok", R"(
seed = 7
level_db_spl = 70
[[input]]
file = "speech.wav"
gain_db = -6
start_s = 1.5
[[keyframe]]
time_s = 0
listener = "normal"
[[keyframe]]
time_s = 10
listener = "N4"
transition_s = 5
[[tinnitus]]
frequency_hz = 4000
level_db_sl = 10
)");
  const auto read = read_scene_file(p);
  ASSERT_TRUE(read) << describe(read.errors());
  const SceneFile& s = read.value();
  ASSERT_EQ(s.inputs.size(), 1u);
  EXPECT_EQ(s.inputs[0].file, p.parent_path() / "speech.wav");  // resolved against the scene's folder
  EXPECT_DOUBLE_EQ(s.inputs[0].gain_db, -6.0);
  EXPECT_DOUBLE_EQ(s.inputs[0].start_s, 1.5);
  EXPECT_EQ(s.spec.seed, 7u);
  EXPECT_EQ(s.spec.keyframes.size(), 2u);
  EXPECT_EQ(s.spec.tinnitus.size(), 1u);
  EXPECT_EQ(s.level_db_spl, 70.0);
}

TEST(SceneFile, EveryProblemWithItsFieldPath) {
  const auto p = write_file("scene_bad", R"(
level_db_spl = 70
calibration_db_spl = 100
[[input]]
gain_db = 90
[[keyframe]]
time_s = 3
listener = "N9"
[[masker]]
colour = "green"
)");
  const auto read = read_scene_file(p);
  ASSERT_FALSE(read);
  const SpecErrors& e = read.errors();
  EXPECT_TRUE(has_field(e, "level_db_spl")) << describe(e);  // both ways of calibrating
  EXPECT_TRUE(has_field(e, "input[0].file")) << describe(e);
  EXPECT_TRUE(has_field(e, "input[0].gain_db")) << describe(e);
  EXPECT_TRUE(has_field(e, "masker[0].colour")) << describe(e);
  EXPECT_TRUE(has_field(e, "masker[0].level_db_spl")) << describe(e);
  bool keyframe = false;
  for (const auto& err : e) keyframe = keyframe || err.field.starts_with("keyframe[0].listener");
  EXPECT_TRUE(keyframe) << describe(e);
}

}  // namespace
}  // namespace earshot

namespace earshot {
namespace {

// [left.aid]: a hearing aid per ear; a wrong rule, a wrong key or an aid on an implant-only ear
// is named by its path.
TEST(ProfileFile, ReadsAHearingAidPerEar) {
  const auto ok = read_listener_profile(write_file("aid", R"(
[left]
preset = "N3"
[left.aid]
prescription = "nal-rp"
[right]
preset = "N2"
)"));
  ASSERT_TRUE(ok) << describe(ok.errors());
  ASSERT_TRUE(ok.value().left.aid.has_value());
  EXPECT_EQ(ok.value().left.aid->prescription, PrescriptionRule::nal_rp);
  EXPECT_FALSE(ok.value().right.aid.has_value());
  const auto bad = read_listener_profile(write_file("aid_bad", R"(
[left]
preset = "N3"
[left.aid]
prescription = "nal-nl2"
gain = 3
[right]
preset = "ci:nucleus-ace"
[right.aid]
prescription = "nal-r"
)"));
  ASSERT_FALSE(bad);
  EXPECT_TRUE(has_field(bad.errors(), "left.aid.prescription")) << describe(bad.errors());
  EXPECT_TRUE(has_field(bad.errors(), "left.aid.gain")) << describe(bad.errors());
  EXPECT_TRUE(has_field(bad.errors(), "right.aid")) << describe(bad.errors());
}

// [left.aid] with compression: its keys read, their ranges and types named by path.
TEST(ProfileFile, ReadsAnAidsCompressor) {
  const auto ok = read_listener_profile(write_file("aid_wdrc", R"(
[both]
preset = "N3"
[both.aid]
prescription = "fig6"
compression = true
attack_ms = 10
release_ms = 200.5
mpo_db_spl = 105
)"));
  ASSERT_TRUE(ok) << describe(ok.errors());
  const AidSettings& aid = *ok.value().left.aid;
  EXPECT_TRUE(aid.compression);
  EXPECT_EQ(aid.attack_ms, 10.0);
  EXPECT_EQ(aid.release_ms, 200.5);
  EXPECT_EQ(aid.mpo_db_spl, 105.0);
  EXPECT_EQ(ok.value().right.aid, ok.value().left.aid);
  const auto bad = read_listener_profile(write_file("aid_wdrc_bad", R"(
[left]
preset = "N3"
[left.aid]
prescription = "nal-r"
compression = true
attack_ms = 0.2
mpo_db_spl = 150
[right]
preset = "N3"
[right.aid]
prescription = "nal-r"
compression = "yes"
)"));
  ASSERT_FALSE(bad);
  EXPECT_TRUE(has_field(bad.errors(), "left.aid.attack_ms")) << describe(bad.errors());
  EXPECT_TRUE(has_field(bad.errors(), "left.aid.mpo_db_spl")) << describe(bad.errors());
  EXPECT_TRUE(has_field(bad.errors(), "right.aid.compression")) << describe(bad.errors());
  const auto off = read_listener_profile(write_file("aid_wdrc_off", R"(
[both]
preset = "N3"
[both.aid]
prescription = "fig6"
mpo_db_spl = 100
)"));
  ASSERT_FALSE(off);
  EXPECT_TRUE(has_field(off.errors(), "both.aid")) << describe(off.errors());
}

}  // namespace
}  // namespace earshot
