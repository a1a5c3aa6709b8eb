#pragma once
// The command-line tests' fixture (cli_test, cli_everyday_test, report_test): each test runs the
// earshot binary (EARSHOT_BINARY, defined by the test target) with a fresh folder of its own,
// named after its suite and test, and stdout and stderr captured apart (neither is a terminal).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace earshot::test {

struct CliRun {
  int exit_code;
  std::string out, err;
};

class CliFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("earshot_" + std::string(info->test_suite_name()) + "_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `earshot ARGS` from the test's working folder: paths in ARGS are absolute (dir_ / ...).
  // (Built by appending: GCC 12's -Warray-bounds misreads the inlined `string + " " + args` chain.)
  CliRun run(const std::string& args) const {
    std::string command = EARSHOT_BINARY;
    command += ' ';
    command += args;
    return run_command(command);
  }
  // The same from inside dir_: relative paths in ARGS are the folder's files.
  CliRun run_in_folder(const std::string& args) const {
    return run_command("cd " + dir_.string() + " && " + std::string(EARSHOT_BINARY) + " " + args);
  }

  // Tone bursts with pauses: speech-like enough for an active speech level (ITU-T P.56) and for
  // STOI's envelopes.
  static std::vector<float> speechlike(double fs, double seconds, double level_db_spl = 70.0) {
    auto x = tone(700.0, level_db_spl, fs, seconds);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] *= (static_cast<int>(i / (0.25 * fs)) % 2) ? 0.05f : 1.0f;
    return x;
  }

  static void expect_one_line_error(const CliRun& r, int code, const std::string& fragment) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  }

  std::filesystem::path dir_;

 private:
  CliRun run_command(const std::string& command) const {
    const int status = std::system((command + " >" + (dir_ / "stdout").string() + " 2>" + (dir_ / "stderr").string()).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir_ / "stdout"), slurp(dir_ / "stderr")};
  }
};

}  // namespace earshot::test
