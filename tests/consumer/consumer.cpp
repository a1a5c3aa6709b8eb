// A C++ consumer of the installed library: renders a corpus speech file through the facade
// (earshot::render) and checks that the samples are the ones `earshot render` writes for the same
// file, listener and level. Usage: consumer_cpp EARSHOT_CLI WORK_DIR
// Exit 0 pass, 1 fail, 77 skipped (EARSHOT_CORPUS not set).
#include <earshot/earshot.hpp>
#include <earshot/earshot.h>  // the C API is usable from C++ too

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

using Channels = std::vector<std::vector<float>>;

// Fields of one CSV line ("" quotes, commas inside quotes).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// The shortest mono speech file in the corpus manifest (file, kind, ..., channels 4, seconds 5).
std::string pick_speech(const std::string& corpus) {
  std::ifstream manifest(corpus + "/MANIFEST.csv");
  std::string line, best;
  double best_s = 1e300;
  std::getline(manifest, line);  // header
  while (std::getline(manifest, line)) {
    const auto f = csv_fields(line);
    if (f.size() < 6 || f[1] != "speech" || f[4] != "1") continue;
    const double seconds = std::atof(f[5].c_str());
    if (seconds > 1.0 && seconds < best_s) {
      best_s = seconds;
      best = corpus + "/" + f[0];
    }
  }
  return best;
}

bool read_audio(const std::string& path, Channels& channels, double& rate) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (!file) {
    std::cerr << "cannot read " << path << ": " << sf_strerror(nullptr) << "\n";
    return false;
  }
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) * info.channels);
  const sf_count_t got = sf_readf_float(file, interleaved.data(), info.frames);
  sf_close(file);
  channels.assign(info.channels, std::vector<float>(static_cast<std::size_t>(got)));
  for (sf_count_t i = 0; i < got; ++i)
    for (int c = 0; c < info.channels; ++c) channels[c][i] = interleaved[i * info.channels + c];
  rate = info.samplerate;
  return got == info.frames;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

// `earshot render` of input into work/name.wav (float32) with these flags; its samples.
bool cli_render(const std::string& cli, const std::string& input, const std::string& output,
                const std::string& flags, Channels& out) {
  const std::string command = quote(cli) + " render " + quote(input) + " " + quote(output) + " " + flags + " > /dev/null";
  if (std::system(command.c_str()) != 0) {
    std::cerr << "failed: " << command << "\n";
    return false;
  }
  double rate = 0;
  return read_audio(output, out, rate);
}

double max_abs_diff(const Channels& a, const Channels& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0.0;
  for (std::size_t c = 0; c < a.size(); ++c) {
    if (a[c].size() != b[c].size()) return INFINITY;
    for (std::size_t i = 0; i < a[c].size(); ++i) worst = std::max(worst, std::fabs(double(a[c][i]) - b[c][i]));
  }
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: consumer_cpp EARSHOT_CLI WORK_DIR\n";
    return 1;
  }
  const char* corpus = std::getenv("EARSHOT_CORPUS");
  if (!corpus || !*corpus) {
    std::cout << "SKIP: EARSHOT_CORPUS is not set (point it at the shared corpus to run this test)\n";
    return 77;
  }
  const std::string cli = argv[1], work = argv[2];
  int failures = 0;

  if (std::string(earshot::version()) != EARSHOT_VERSION_STRING || std::string(earshot_version()) != earshot::version()) {
    std::cerr << "FAIL: library version " << earshot::version() << " differs from the headers' " << EARSHOT_VERSION_STRING << "\n";
    ++failures;
  }

  const std::string speech = pick_speech(corpus);
  if (speech.empty()) {
    std::cerr << "FAIL: no mono speech file in " << corpus << "/MANIFEST.csv\n";
    return 1;
  }
  Channels input;
  double rate = 0;
  if (!read_audio(speech, input, rate)) return 1;
  std::cout << "speech: " << speech << " (" << input[0].size() << " frames at " << rate << " Hz)\n";

  struct Case {
    std::string listener, flags;
    earshot::RenderOptions options;
    std::size_t channels;
  };
  std::vector<Case> cases(3);
  cases[0] = {"N3", "", {}, 1};                          // the CLI's default: --level 65
  cases[1] = {"age:70:female", "--level 72", {}, 1};
  cases[1].options.level_db_spl = 72.0;
  cases[2] = {"left=N2,right=ci:nucleus-ace", "--calibration 100", {}, 2};
  cases[2].options.calibration_db_spl = 100.0;

  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    Channels expected;
    const std::string out = work + "/cpp_cli_" + std::to_string(k) + ".wav";
    if (!cli_render(cli, speech, out, "--listener " + quote(c.listener) + " " + c.flags, expected)) {
      ++failures;
      continue;
    }
    auto rendered = earshot::render(input, rate, c.listener, c.options);
    if (!rendered) {
      std::cerr << "FAIL: earshot::render(" << c.listener << "): " << earshot::describe(rendered.errors()) << "\n";
      ++failures;
      continue;
    }
    const double diff = max_abs_diff(rendered.value().channels, expected);
    const bool ok = rendered.value().channels.size() == c.channels && diff <= 1e-6;
    std::cout << (ok ? "ok  " : "FAIL") << " facade render " << c.listener << " " << c.flags << ": "
              << rendered.value().channels.size() << " channel(s), max |facade - CLI| = " << diff
              << ", calibration " << rendered.value().calibration.calibration_db_spl << " dB SPL, latency removed "
              << rendered.value().latency_removed_frames << " frames\n";
    failures += !ok;
    if (k == 0) {
      // A metric through the same header: the N3 render's intelligibility against the clean speech.
      auto scores = earshot::stoi(input[0], rendered.value().channels[0], rate);
      const bool sane = scores && scores.value().stoi > 0.0 && scores.value().stoi <= 1.0;
      std::cout << (sane ? "ok  " : "FAIL") << " STOI of the N3 render: "
                << (scores ? std::to_string(scores.value().stoi) : earshot::describe(scores.errors())) << "\n";
      failures += !sane;
    }
  }

  // Bad input comes back as errors naming the field, never as exceptions.
  auto bad = earshot::render(input, rate, "N9", {});
  const bool named = !bad && earshot::describe(bad.errors()).find("listener") != std::string::npos;
  std::cout << (named ? "ok  " : "FAIL") << " bad listener: " << (bad ? "accepted" : earshot::describe(bad.errors())) << "\n";
  failures += !named;
  earshot::RenderOptions both;
  both.level_db_spl = 65.0;
  both.calibration_db_spl = 100.0;
  auto conflict = earshot::render(input, rate, "N3", both);
  const bool refused = !conflict && earshot::describe(conflict.errors()).find("level_db_spl") != std::string::npos;
  std::cout << (refused ? "ok  " : "FAIL") << " level and calibration together: "
            << (conflict ? "accepted" : earshot::describe(conflict.errors())) << "\n";
  failures += !refused;

  std::cout << (failures ? "FAILED: " + std::to_string(failures) + " check(s)\n" : "all checks passed\n");
  return failures ? 1 : 0;
}
