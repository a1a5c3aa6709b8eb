#include "cli/demo.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "cli/audio_file.hpp"
#include "cli/cli_error.hpp"
#include "cli/drum_groove.hpp"
#include "cli/render_job.hpp"
#include "cli/report_job.hpp"
#include "core/listener_spec_parser.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

constexpr const char* kText =
    "The drummer counts the band in. One, two, three, four. "
    "Can you still hear the words over the drums? The high sounds go first: "
    "s, f, and t fade, and the voice turns dull and far away.";

}  // namespace

std::string run_demo(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) throw CliError(kExitOutput, "cannot create demo directory '" + dir.string() + "'");
  if (std::system("command -v espeak-ng >/dev/null 2>&1") != 0) {
    throw CliError(kExitMissingTool, "the demo speaks with espeak-ng, which is not installed (apt-get install espeak-ng)");
  }
  const fs::path speech_path = dir / ".speech.wav";
  const std::string cmd = "espeak-ng -v en-us -s 145 -w '" + speech_path.string() + "' \"" + kText + "\" 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) throw CliError(kExitMissingTool, "espeak-ng failed to synthesise the demo speech");
  const AudioData spoken = read_audio(speech_path);
  const double fs = spoken.info.sample_rate_hz;
  const std::vector<float>& speech = spoken.channels.front();
  fs::remove(speech_path, ec);

  // Speech starts after one bar of drums; drums sit about 8 dB under the voice.
  const std::size_t lead = static_cast<std::size_t>(2.4 * fs);
  const double seconds = (speech.size() + lead) / fs + 1.2;
  std::vector<float> mix = drum_groove(fs, seconds, 7);
  for (auto& x : mix) x *= 0.35f;
  for (std::size_t i = 0; i < speech.size() && lead + i < mix.size(); ++i) mix[lead + i] += 0.8f * speech[i];
  const fs::path input = dir / "input.wav";
  {
    AudioWriter w(input, output_format_for(input, 0), fs, 1);
    w.write(mix.data(), static_cast<std::int64_t>(mix.size()));
    w.commit();
  }

  std::string summary = "earshot demo: espeak-ng speech over a synthesised drum groove, presented at 70 dB SPL\n";
  summary += "(active speech level of the mix, ITU-T P.56), free field, smearing on.\n\n";
  for (const char* who : {"normal", "N3", "N6"}) {
    RenderRequest req;
    req.input = input;
    req.output = dir / (std::string(who) + ".wav");
    req.listener = parse_listener_spec(who).value();
    req.level_db_spl = 70.0;
    const RenderReport rep = render_file(req);
    char line[256];
    std::snprintf(line, sizeof line, "%-7s %-28s in %5.1f dB SPL -> out %5.1f dB SPL (long-term)\n", who,
                  req.output.filename().c_str(), rep.input_long_term_db_spl, rep.output_long_term_db_spl.front());
    summary += line;
  }
  // The same speech, alone, as a page to look at: left ear N3, right ear N6.
  const fs::path speech_only = dir / "speech.wav";
  {
    AudioWriter w(speech_only, output_format_for(speech_only, 0), fs, 1);
    w.write(speech.data(), static_cast<std::int64_t>(speech.size()));
    w.commit();
  }
  ReportRequest report;
  report.scores.speech = speech_only;
  report.scores.listener = parse_listener_spec("left=N3,right=N6").value();
  report.scores.level_db_spl = 70.0;
  report.output = dir / "report.html";
  const ReportSummary r = write_report(report);
  char line[256];
  std::snprintf(line, sizeof line, "\nreport.html: the speech alone at 70 dB SPL for a left ear with N3 (SII %.2f) and a right ear with N6 (SII %.2f).\n",
                r.sii_left, r.sii_right);
  summary += line;
  summary += "\nN3: Bisgaard moderate loss (35-65 dB HL): quieter and duller, the consonants and hi-hat fade.\n"
             "N6: severe loss (75-100 dB HL): at 70 dB SPL speech and drums are below this listener's\n"
             "thresholds; unaided, this is near silence. Listen in that order, at one fixed volume.\n";
  std::ofstream(dir / "summary.txt") << summary;
  return summary;
}

}  // namespace earshot::cli
