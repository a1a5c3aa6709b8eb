// earshot command-line front end: turns flags into a render request and calls the engine.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "apps/cli/cli_error.hpp"
#include "apps/cli/demo.hpp"
#include "apps/cli/electrodogram_job.hpp"
#include "apps/cli/listeners_table.hpp"
#include "apps/cli/library_errors.hpp"
#include "apps/cli/render_job.hpp"
#include "apps/cli/report_job.hpp"
#include "apps/cli/scene_job.hpp"
#include "apps/cli/score_job.hpp"
#include "formats/listener_reader.hpp"

using namespace earshot;
using namespace earshot::cli;

namespace {

// The speech-in-noise options `score` and `report` share, and the SII request they make.
struct SpeechInNoiseOptions {
  std::string noise, listener = "normal";
  std::optional<double> level, calibration, noise_level;

  void add_to(CLI::App* command) {
    command->add_option("--noise", noise, "noise file; in quiet without it");
    command->add_option("--noise-level", noise_level, "the noise's long-term level, dB SPL (otherwise: the speech's calibration)");
    command->add_option("--listener,-l", listener, "listener, as for render [default normal]");
    command->add_option("--level", level, "the speech's active level, dB SPL [default 65]");
    command->add_option("--calibration", calibration, "a digital RMS of 1.0 is this many dB SPL, for speech and noise");
  }

  SiiRequest request() const {
    SiiRequest req;
    if (!noise.empty()) req.noise = noise;
    req.noise_level_db_spl = noise_level;
    req.listener = listener_from_argument(listener);
    req.level_db_spl = level;
    req.calibration_db_spl = calibration;
    return req;
  }
};

// A message as one line: a newline or carriage return inside a user's string (a listener, a path)
// is shown escaped, so an error is always exactly one line.
std::string one_line(std::string text) {
  for (std::size_t at = 0; (at = text.find_first_of("\n\r", at)) != std::string::npos; at += 2) {
    text.replace(at, 1, text[at] == '\n' ? "\\n" : "\\r");
  }
  return text;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"earshot: renders what a listener hears (hearing loss from an audiogram, calibrated in dB SPL)"};
  app.require_subcommand(1);

  std::string input, output, listener_arg = "normal", field = "free";
  std::optional<double> level, calibration;
  int bits = 0;
  unsigned seed = 1;
  bool json = false, no_smearing = false;
  TemporalJitterParams jitter;
  auto* render = app.add_subcommand("render", "render INPUT as LISTENER hears it into OUTPUT (.wav or .flac)");
  render->add_option("input", input, "input audio (WAV, FLAC, OGG, AIFF; mono or stereo = left, right ear)")->required();
  render->add_option("output", output, "output file (.wav float32 by default, or .flac)")->required();
  render->add_option("--listener,-l", listener_arg, "preset, audiogram, age:/noise: spec, left=..,right=.., profile.toml, or a Clarity listener file as listeners.json#L0001 (see: earshot listeners)");
  render->add_option("--level", level, "present the input's active speech level (ITU-T P.56) at this dB SPL [default 65]");
  render->add_option("--calibration", calibration, "a digital RMS of 1.0 is this many dB SPL (fixed; instead of --level)");
  render->add_option("--field", field, "how sound reaches the listener: free (frontal) or diffuse [default free]");
  render->add_option("--bits", bits, "output sample format: 16, 24 (PCM) or 32 (float, WAV only)");
  render->add_option("--seed", seed, "seed for the model's random phases [default 1]");
  render->add_flag("--no-smearing", no_smearing, "leave out spectral smearing (threshold and recruitment only)");
  render->add_option("--jitter", jitter.rms_ms, "temporal jitter: rms delay in ms of the band below the cutoff (e.g. 0.25) [default 0: off]");
  render->add_option("--jitter-bandwidth", jitter.bandwidth_hz, "how fast the jitter wanders, Hz [default 500]");
  render->add_option("--jitter-cutoff", jitter.cutoff_hz, "jitter only the band below this, Hz [default 1200]");
  render->add_flag("--json", json, "print a machine-readable summary instead of text");

  std::string score_ref, score_test, score_speech, score_effort, score_procedure = "third_octave";
  SpeechInNoiseOptions score_options;
  bool score_json = false;
  auto* score = app.add_subcommand("score", "how much speech survives: STOI/ESTOI (--ref, --test) or SII (--speech or --effort)");
  score->add_option("--ref", score_ref, "clean reference (STOI/ESTOI)");
  score->add_option("--test", score_test, "processed signal, same rate and length as --ref (STOI/ESTOI)");
  score->add_option("--speech", score_speech, "speech file (SII), presented at --level");
  score->add_option("--effort", score_effort, "instead of --speech: ANSI S3.5 standard speech at normal, raised, loud or shout effort");
  score_options.add_to(score);
  score->add_option("--procedure", score_procedure, "SII band procedure: critical, equally_critical, third_octave, octave [default third_octave]");
  score->add_flag("--json", score_json, "print a machine-readable summary");

  std::string report_speech, report_out;
  SpeechInNoiseOptions report_options;
  auto* report = app.add_subcommand("report", "one self-contained HTML page: audiograms, speech audibility, spectrograms, scores");
  report->add_option("speech", report_speech, "speech file")->required();
  report_options.add_to(report);
  report->add_option("-o,--output", report_out, "the report, .html")->required();

  std::string dogram_input, dogram_csv, dogram_png, dogram_listener, dogram_ear;
  std::optional<double> dogram_level, dogram_calibration;
  auto* dogram = app.add_subcommand("electrodogram", "the pulses a cochlear implant delivers for INPUT: CSV (time_s, electrode, current_ua) and a PNG picture");
  dogram->add_option("input", dogram_input, "input audio")->required();
  dogram->add_option("--listener,-l", dogram_listener, "an implanted listener: ci:nucleus-ace, ci:ab-hires, ci:medel-cis, eas:..., vocoder:..., or a .toml map")->required();
  dogram->add_option("-o,--output", dogram_csv, "the pulses, .csv")->required();
  dogram->add_option("--png", dogram_png, "also draw them, .png");
  dogram->add_option("--ear", dogram_ear, "left or right [default: the first implanted ear]");
  dogram->add_option("--level", dogram_level, "present the input's active speech level at this dB SPL [default 65]");
  dogram->add_option("--calibration", dogram_calibration, "a digital RMS of 1.0 is this many dB SPL (instead of --level)");

  std::string scene_file, scene_out, scene_stems, scene_timeline;
  bool scene_check = false;
  int scene_bits = 0;
  auto* scene = app.add_subcommand("scene", "render a timeline of changing hearing (keyframes, tinnitus, maskers, implant character) from a .toml scene");
  scene->add_option("scene", scene_file, "the scene file (see docs/scenes.md)")->required();
  scene->add_option("-o,--output", scene_out, "the render, stereo .wav or .flac");
  scene->add_option("--stems", scene_stems, "also write the stems into this folder: room, listener per ear, each layer");
  scene->add_option("--timeline", scene_timeline, "also draw the timeline and the render's spectrogram, .png");
  scene->add_option("--bits", scene_bits, "output sample format: 16, 24 (PCM) or 32 (float, WAV only)");
  scene->add_flag("--check", scene_check, "validate the scene and its inputs' headers; render nothing");

  auto* listeners = app.add_subcommand("listeners", "list every listener preset with its audiogram");

  std::string demo_dir = "earshot-demo";
  auto* demo = app.add_subcommand("demo", "synthesise speech over drums, render it for normal, N3 and N6 listeners, and render the built-in arc scene");
  demo->add_option("--out", demo_dir, "directory for the demo files [default ./earshot-demo]");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "earshot: error: %s (see earshot --help)\n", e.what());
    return kExitUsage;
  }

  try {
    if (*listeners) {
      std::fputs(listeners_table().c_str(), stdout);
      return kExitOk;
    }
    if (*demo) {
      std::fputs(run_demo(demo_dir).c_str(), stdout);
      std::printf("\nwrote input.wav, normal.wav, N3.wav, N6.wav, speech.wav, report.html, arc.toml, arc_input.wav, arc.wav, arc.png, "
                  "arc_stems/ and summary.txt in %s/\n", demo_dir.c_str());
      return kExitOk;
    }
    if (*scene) {
      SceneRequest req;
      req.scene = scene_file;
      if (!scene_out.empty()) req.output = scene_out;
      if (!scene_stems.empty()) req.stems = scene_stems;
      if (!scene_timeline.empty()) req.timeline = scene_timeline;
      req.check_only = scene_check;
      req.bits = scene_bits;
      const SceneSummary s = run_scene(req);
      if (scene_check) std::printf("%s: valid\n", scene_file.c_str());
      std::fputs(s.text().c_str(), stdout);
      return kExitOk;
    }
    if (*dogram) {
      ElectrodogramRequest req;
      req.input = dogram_input;
      req.csv = dogram_csv;
      if (!dogram_png.empty()) req.png = dogram_png;
      req.listener = listener_from_argument(dogram_listener);
      req.listener_file = listener_file(dogram_listener);
      req.ear = dogram_ear;
      req.level_db_spl = dogram_level;
      req.calibration_db_spl = dogram_calibration;
      const ElectrodogramSummary s = write_electrodogram(req);
      std::printf("wrote %s%s: %zu pulses in %.2f s (%.0f per second) on %d of %d electrodes, %s ear, %s\n", dogram_csv.c_str(),
                  dogram_png.empty() ? "" : (" and " + dogram_png).c_str(), s.pulses, s.seconds, s.pulses / std::max(s.seconds, 1e-9),
                  s.electrodes_fired, s.electrodes_active, s.ear.c_str(), s.device.c_str());
      return kExitOk;
    }
    if (*report) {
      ReportRequest req;
      req.scores = report_options.request();
      req.scores.speech = report_speech;
      req.output = report_out;
      req.listener_file = listener_file(report_options.listener);
      const ReportSummary s = write_report(req);
      std::printf("wrote %s: SII left %.2f, right %.2f; STOI left %.3f, right %.3f\n", s.output.c_str(), s.sii_left,
                  s.sii_right, s.stoi_left, s.stoi_right);
      return kExitOk;
    }
    if (*score) {
      const bool stoi_mode = !score_ref.empty() || !score_test.empty();
      if (stoi_mode) {
        if (score_ref.empty() || score_test.empty()) throw CliError(kExitUsage, "STOI needs both --ref and --test");
        if (!score_speech.empty() || !score_options.noise.empty() || !score_effort.empty()) {
          throw CliError(kExitUsage, "give --ref/--test (STOI) or --speech/--effort (SII), not both");
        }
        const StoiReport report = score_stoi({score_ref, score_test});
        if (score_json) std::cout << to_json(report).dump(2) << "\n";
        else std::fputs(to_text(report).c_str(), stdout);
        return kExitOk;
      }
      SiiRequest req = score_options.request();
      if (!score_speech.empty()) req.speech = score_speech;
      if (!score_effort.empty()) {
        VocalEffort e;
        if (!parse_vocal_effort(score_effort, e)) throw CliError(kExitUsage, "--effort '" + score_effort + "' is not known: use normal, raised, loud or shout");
        req.effort = e;
      }
      if (!parse_sii_procedure(score_procedure, req.procedure)) {
        throw CliError(kExitUsage, "--procedure '" + score_procedure + "' is not known: use critical, equally_critical, third_octave or octave");
      }
      const SiiReport report = score_sii(req);
      if (score_json) std::cout << to_json(report).dump(2) << "\n";
      else std::fputs(to_text(report).c_str(), stdout);
      return kExitOk;
    }
    RenderRequest req;
    req.input = input;
    req.output = output;
    if (field == "free") req.field = SoundField::free;
    else if (field == "diffuse") req.field = SoundField::diffuse;
    else throw CliError(kExitUsage, "--field '" + field + "' is not known: use free or diffuse");
    req.listener = listener_from_argument(listener_arg);
    req.listener_file = listener_file(listener_arg);
    req.level_db_spl = level;
    req.calibration_db_spl = calibration;
    req.bits = bits;
    req.seed = seed;
    req.smearing = !no_smearing;
    req.jitter = jitter;
    const RenderReport report = render_file(req);
    if (json) std::cout << to_json(report).dump(2) << "\n";
    else std::fputs(to_text(report).c_str(), stdout);
    return kExitOk;
  } catch (const CliError& e) {
    std::fprintf(stderr, "earshot: error: %s\n", one_line(e.what()).c_str());
    return e.exit_code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "earshot: internal error: %s\n", one_line(e.what()).c_str());
    return kExitInternal;
  }
}

int main(int argc, char** argv) {
  const int code = run(argc, argv);
  // What was printed must have reached its destination: `earshot listeners > /dev/full` is an
  // error (exit 4), not a success with the output lost.
  std::cout.flush();
  const bool cout_failed = !std::cout;
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout) || cout_failed) {
    const int err = errno;
    std::fprintf(stderr, "earshot: error: cannot write to standard output%s%s\n", err ? ": " : "", err ? std::strerror(err) : "");
    return code == kExitOk ? kExitOutput : code;
  }
  return code;
}
