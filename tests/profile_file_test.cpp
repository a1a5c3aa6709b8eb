#include <gtest/gtest.h>

#include <fstream>

#include "apps/cli/cli_error.hpp"
#include "apps/cli/profile_file.hpp"

namespace earshot::cli {
namespace {
namespace fs = std::filesystem;

fs::path write_profile(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("earshot_profile_" + name + ".toml");
  std::ofstream(p) << text;
  return p;
}

TEST(ProfileFile, ReadsAudiogramsPresetsAndAirBoneGap) {
  const auto p = write_profile("ok", R"(
[left]
audiogram_hz    = [250, 500, 1000, 2000, 4000, 8000]
audiogram_db_hl = [ 40,  40,   45,   50,   60,   70]
air_bone_gap_db = [ 25,  20,   15,   10,    5,    0]
[right]
preset = "N2"
)");
  const Listener l = load_listener_profile(p);
  EXPECT_DOUBLE_EQ(l.left.air_loss_db_hl(1000), 45.0);
  EXPECT_DOUBLE_EQ(l.left.conductive_loss_db(500), 20.0);
  EXPECT_DOUBLE_EQ(l.left.sensorineural_loss_db_hl(250), 15.0);
  EXPECT_DOUBLE_EQ(l.right.air_loss_db_hl(4000), 45.0);
  EXPECT_FALSE(l.symmetric());
}

TEST(ProfileFile, BothTableAppliesToBothEars) {
  const Listener l = load_listener_profile(write_profile("both", "[both]\npreset = \"age:70:female\"\n"));
  EXPECT_TRUE(l.symmetric());
}

TEST(ProfileFile, EveryProblemOnOneLineWithFieldPaths) {
  const auto p = write_profile("bad", R"(
[left]
audiogram_hz    = [250, 500, 500]
audiogram_db_hl = [ 40, 140,  45]
[right]
preset = "N9"
colour = "blue"
)");
  try {
    load_listener_profile(p);
    FAIL() << "expected an error";
  } catch (const CliError& e) {
    const std::string m = e.what();
    EXPECT_EQ(e.exit_code, kExitUsage);
    EXPECT_EQ(m.find('\n'), std::string::npos);
    EXPECT_NE(m.find("left.audiogram[1].level_db_hl"), std::string::npos) << m;
    EXPECT_NE(m.find("left.audiogram[2].frequency_hz"), std::string::npos) << m;
    EXPECT_NE(m.find("right.preset"), std::string::npos) << m;
    EXPECT_NE(m.find("right.colour"), std::string::npos) << m;
  }
}

TEST(ProfileFile, SyntaxErrorsNameTheLine) {
  try {
    load_listener_profile(write_profile("syntax", "[left]\npreset = N3\n"));
    FAIL();
  } catch (const CliError& e) {
    EXPECT_NE(std::string(e.what()).find(":2:"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace earshot::cli
