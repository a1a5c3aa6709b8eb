#include "apps/cli/demo.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/demo_material.hpp"
#include "apps/cli/drum_groove.hpp"
#include "apps/cli/render_job.hpp"
#include "apps/cli/output_file.hpp"
#include "apps/cli/output_set.hpp"
#include "apps/cli/report_job.hpp"
#include "apps/cli/scene_job.hpp"
#include "formats/listener_spec_parser.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

// The film's arc as a scene over the demo's own material (docs/scenes.md explains every key).
constexpr const char* kArcSceneHead = R"(# earshot demo arc: a drummer's hearing over a minute (the arc of *Sound of Metal*).
seed = 7
level_db_spl = 70

[[input]]
file = "arc_input.wav"

)";

}  // namespace

// Shared with the page's arc (apps/web/api_routes.cpp), which puts its own inputs and level above it.
const char* const kArcSceneLayers = R"(# Normal hearing: the band plays, someone talks.
[[keyframe]]
time_s = 0
listener = "normal"

# The slide: to a severe loss (Bisgaard N6) over 20 s, steadily in dB.
[[keyframe]]
time_s = 6
listener = "N6"
transition_s = 20

# Near-silence: most of what is left goes within seconds.
[[keyframe]]
time_s = 27
listener = "250:90,500:100,1000:105,2000:110,4000:115,8000:120"
transition_s = 3
curve = "exponential"

# A cut to what the room hears, and back.
[[keyframe]]
time_s = 35
listener = "250:90,500:100,1000:105,2000:110,4000:115,8000:120"
curve = "cut"
perspective = 1

[[keyframe]]
time_s = 37.5
listener = "250:90,500:100,1000:105,2000:110,4000:115,8000:120"
curve = "cut"
perspective = 0

# Switch-on: cochlear implants in both ears.
[[keyframe]]
time_s = 44
listener = "ci:nucleus-ace"
curve = "cut"

# Processors off: no hearing at all.
[[keyframe]]
time_s = 57
listener = "deaf"
curve = "cut"

# The ringing, in the near-silence, until switch-on.
[[tinnitus]]
kind = "tone"
frequency_hz = 5200
level_db_spl = 42
start_s = 26
end_s = 44.5
ramp_s = 3
wander_db = 3

# What the implants sound like at first, settling as he gets used to them.
[[implant_character]]
start_s = 44
acclimatisation_s = 5
)";

std::string run_demo(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) throw CliError(kExitOutput, "cannot create demo directory '" + dir.string() + "'");
  // All the demo's files are one output set (apps/cli/output_set.hpp), committed together at the
  // end: its own inputs (the mixes, the speech, the scene file) are made in a scratch folder beside
  // the outputs, the renders read them there, and at the end they are moved in with the renders.
  OutputSet outputs;
  const fs::path scratch = outputs.scratch_folder(dir / "summary.txt");
  // A finished file in the scratch folder, to be the output dir/name.
  auto made = [&](const std::string& name) {
    outputs.adopt(dir / name, scratch / name);
    return scratch / name;
  };
  const AudioData spoken = speak_demo_text(scratch);
  const double fs = spoken.info.sample_rate_hz;
  const std::vector<float>& speech = spoken.channels.front();
  const std::vector<float> mix = speech_over_drums(speech, fs);
  const fs::path input = scratch / "input.wav";
  {
    AudioWriter w(input, output_format_for(input, 0), fs, 1);
    w.write(mix.data(), static_cast<std::int64_t>(mix.size()));
    w.commit();
  }
  made("input.wav");

  std::string summary = "earshot demo: espeak-ng speech over a synthesised drum groove, presented at 70 dB SPL\n";
  summary += "(active speech level of the mix, ITU-T P.56), free field, smearing on.\n\n";
  for (const char* who : {"normal", "N3", "N6"}) {
    RenderRequest req;
    req.input = input;
    req.output = dir / (std::string(who) + ".wav");
    req.listener = parse_listener_spec(who).value();
    req.level_db_spl = 70.0;
    const RenderReport rep = render_file(req, &outputs);
    char line[256];
    std::snprintf(line, sizeof line, "%-7s %-28s in %5.1f dB SPL -> out %5.1f dB SPL (long-term)\n", who,
                  req.output.filename().c_str(), rep.input_long_term_db_spl, rep.output_long_term_db_spl.front());
    summary += line;
  }
  // The same speech, alone, as a page to look at: left ear N3, right ear N6.
  const fs::path speech_only = scratch / "speech.wav";
  {
    AudioWriter w(speech_only, output_format_for(speech_only, 0), fs, 1);
    w.write(speech.data(), static_cast<std::int64_t>(speech.size()));
    w.commit();
  }
  made("speech.wav");
  ReportRequest report;
  report.scores.speech = speech_only;
  report.scores.listener = parse_listener_spec("left=N3,right=N6").value();
  report.scores.level_db_spl = 70.0;
  report.output = dir / "report.html";
  const ReportSummary r = write_report(report, &outputs);
  char line[256];
  std::snprintf(line, sizeof line, "\nreport.html: the speech alone at 70 dB SPL for a left ear with N3 (SII %.2f) and a right ear with N6 (SII %.2f).\n",
                r.sii_left.value_or(0.0), r.sii_right.value_or(0.0));  // (both ears acoustic: both scored)
  summary += line;
  summary += "\nN3: Bisgaard moderate loss (35-65 dB HL): quieter and duller, the consonants and hi-hat fade.\n"
             "N6: severe loss (75-100 dB HL): at 70 dB SPL speech and drums are below this listener's\n"
             "thresholds; unaided, this is near silence. Listen in that order, at one fixed volume.\n";

  // The arc: the same voice every 11 s over a minute of drums, through the built-in scene.
  {
    std::vector<float> arc = drum_groove(fs, kArcSeconds, 11);
    for (auto& x : arc) x *= 0.35f;
    for (double start = 1.0; start + speech.size() / fs < kArcSeconds; start += 11.0) {
      const auto at = static_cast<std::size_t>(start * fs);
      for (std::size_t i = 0; i < speech.size() && at + i < arc.size(); ++i) arc[at + i] += 0.8f * speech[i];
    }
    const fs::path arc_input = scratch / "arc_input.wav";
    AudioWriter w(arc_input, output_format_for(arc_input, 0), fs, 1);
    w.write(arc.data(), static_cast<std::int64_t>(arc.size()));
    w.commit();
  }
  made("arc_input.wav");
  write_atomically(scratch / "arc.toml", std::string(kArcSceneHead) + kArcSceneLayers);  // (it names arc_input.wav beside it, there and in dir)
  SceneRequest scene;
  scene.scene = made("arc.toml");
  scene.output = dir / "arc.wav";
  scene.stems = dir / "arc_stems";
  scene.timeline = dir / "arc.png";
  const SceneSummary arc = run_scene(scene, &outputs);
  summary += "\narc.wav: the built-in scene arc.toml over a minute of the same material: normal hearing; a slide to a\n"
             "severe loss (N6) over 20 s; near-silence with a ringing at 5.2 kHz; a cut to the room's sound and back;\n"
             "cochlear implants switched on at 44 s, metallic and high at first, settling; at 57 s the processors come\n"
             "off: silence. arc.png draws it (each ear's hearing, the layers, the perspective, the render's spectrogram);\n"
             "arc_stems/ holds the room, each ear's listener and the tinnitus as separate files.\n";
  char arc_line[256];
  std::snprintf(arc_line, sizeof arc_line, "arc: %.1f s, output %.1f / %.1f dB SPL (left / right, long-term)\n", arc.duration_s,
                arc.output_long_term_db_spl[0], arc.output_long_term_db_spl[1]);
  summary += arc_line;
  outputs.write(dir / "summary.txt", summary);
  outputs.commit();
  return summary;
}

}  // namespace earshot::cli
