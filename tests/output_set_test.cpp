// apps/cli/output_set.hpp: a command's outputs are all new or all as they were (issue 11). A rename
// that fails after others succeeded is provoked for real: after the files are finished, the
// second target is replaced by a folder with a file in it, which rename(2) cannot replace.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "apps/cli/cli_error.hpp"
#include "apps/cli/output_set.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {
namespace fs = std::filesystem;

class OutputSetCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("earshot_output_set_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Everything in the folder but `except`: no temporary or kept-aside file may be left.
  std::vector<std::string> leftovers(const std::vector<std::string>& expected) const {
    std::vector<std::string> extra;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      if (std::find(expected.begin(), expected.end(), name) == expected.end()) extra.push_back(name);
    }
    return extra;
  }
  fs::path dir_;
};

TEST_F(OutputSetCommit, AFailedSecondRenameRestoresTheFirstOutput) {
  std::ofstream(dir_ / "first.txt") << "old first\n";
  {
    cli::OutputSet set;
    set.write(dir_ / "first.txt", "new first\n");
    set.write(dir_ / "second.txt", "new second\n");
    set.write(dir_ / "third.txt", "new third\n");
    fs::create_directories(dir_ / "second.txt");
    std::ofstream(dir_ / "second.txt" / "keep") << "x";
    try {
      set.commit();
      FAIL() << "commit succeeded onto a folder";
    } catch (const cli::CliError& e) {
      EXPECT_EQ(e.exit_code, cli::kExitOutput);
      EXPECT_NE(std::string(e.what()).find("second.txt"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(slurp(dir_ / "first.txt"), "old first\n");  // put back, not the new one
  EXPECT_FALSE(fs::exists(dir_ / "third.txt"));         // never renamed
  EXPECT_TRUE(fs::is_directory(dir_ / "second.txt"));
  EXPECT_EQ(leftovers({"first.txt", "second.txt"}), std::vector<std::string>{});
}

TEST_F(OutputSetCommit, AFailedRenameRemovesAFirstOutputThatDidNotExistBefore) {
  {
    cli::OutputSet set;
    set.write(dir_ / "first.txt", "new first\n");
    set.write(dir_ / "second.txt", "new second\n");
    fs::create_directories(dir_ / "second.txt");
    std::ofstream(dir_ / "second.txt" / "keep") << "x";
    EXPECT_THROW(set.commit(), cli::CliError);
  }
  EXPECT_FALSE(fs::exists(dir_ / "first.txt"));
  EXPECT_EQ(leftovers({"second.txt"}), std::vector<std::string>{});
}

TEST_F(OutputSetCommit, ASuccessfulCommitReplacesEveryOutputAndKeepsNothingAside) {
  std::ofstream(dir_ / "first.txt") << "old first\n";
  std::ofstream(dir_ / "second.txt") << "old second\n";
  {
    cli::OutputSet set;
    set.write(dir_ / "first.txt", "new first\n");
    set.write(dir_ / "second.txt", "new second\n");
    set.commit();
  }
  EXPECT_EQ(slurp(dir_ / "first.txt"), "new first\n");
  EXPECT_EQ(slurp(dir_ / "second.txt"), "new second\n");
  EXPECT_EQ(leftovers({"first.txt", "second.txt"}), std::vector<std::string>{});
}

}  // namespace
}  // namespace earshot::test
