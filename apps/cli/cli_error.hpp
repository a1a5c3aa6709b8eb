#pragma once
// Front-end errors: a one-line message and a documented exit code (README, "Exit codes").
#include <stdexcept>
#include <string>

namespace earshot::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,    // a bug: please report
  kExitUsage = 2,       // bad command line, listener or profile
  kExitInput = 3,       // input audio unreadable, empty, corrupt, NaN/Inf, unsupported layout or rate
  kExitOutput = 4,      // output cannot be written (missing directory, same as input, format)
  kExitMissingTool = 5, // an external program the command needs is not installed (demo: espeak-ng)
  kExitRowsFailed = 6,  // batch: some rows failed (each named on stderr and in the scores CSV); the others are done
};

struct CliError : std::runtime_error {
  CliError(ExitCode code, const std::string& message) : std::runtime_error(message), exit_code(code) {}
  ExitCode exit_code;
};

}  // namespace earshot::cli
