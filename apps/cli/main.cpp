// earshot command-line front end: turns flags into a render request and calls the engine.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <unistd.h>

#include "apps/cli/batch_job.hpp"
#ifdef EARSHOT_LIVE
#include "apps/cli/live_job.hpp"
#endif
#include "apps/cli/cli_error.hpp"
#include "apps/cli/demo.hpp"
#include "apps/cli/electrodogram_job.hpp"
#include "apps/cli/fit_job.hpp"
#include "apps/cli/listeners_table.hpp"
#include "apps/cli/progress_meter.hpp"
#include "apps/cli/output_file.hpp"
#include "apps/cli/output_set.hpp"
#include "apps/cli/library_errors.hpp"
#include "apps/cli/render_job.hpp"
#include "apps/cli/report_job.hpp"
#include "apps/cli/scene_job.hpp"
#include "apps/cli/score_job.hpp"
#ifdef EARSHOT_SERVE
#include "apps/cli/serve_command.hpp"
#endif
#include "formats/listener_reader.hpp"
#include "support/nearest_names.hpp"

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

// What `earshot --help` ends with: a command for each thing people come to do, each runnable as
// written in a folder with a speech.wav (and cafe.wav for the noise).
constexpr const char* kHelpExamples = R"(
Examples:
  earshot render speech.wav heard.wav --listener N3                 moderate sloping loss, speech at 65 dB SPL
  earshot render speech.wav heard.wav --listener "250:20,1000:40,4000:70" --level 70
  earshot render speech.wav heard.wav --listener "left=N2,right=ci:nucleus-ace"
  earshot score --ref speech.wav --test heard.wav                   STOI and ESTOI
  earshot score --ref speech.wav --test heard.wav --listener N3 --haspi   and HASPI v2 for that listener
  earshot score --ref speech.wav --test aided.wav --listener N3 --haspi --hasqi   HASPI v2 and HASQI v2 of an aid's output
  earshot report speech.wav --noise cafe.wav --listener N3 -o report.html
  earshot report speech.wav --noise cafe.wav --listener N3 --aid nal-r,wdrc,nr -o aided.html   unaided and aided side by side
  earshot batch manifest.csv --out renders/ --scores scores.csv      every row of a manifest (input,listener)
  earshot batch manifest.csv --out renders/ --scores scores.csv --haspi --hasqi   and HASPI/HASQI per ear for rows with a reference
  earshot listeners                                                 every preset and its audiogram
  earshot demo                                                      a built-in demo into ./earshot-demo
  earshot serve                                                     the page: http://127.0.0.1:8080
Docs: README.md, docs/profiles.md (listeners), docs/scenes.md (scenes).)";

// "rendr": CLI11 reports a stray positional; when it is the first word and near a subcommand's
// name, say which one was meant.
std::string subcommand_suggestion(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return "";
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  if (std::find(names.begin(), names.end(), argv[1]) != names.end()) return "";
  const auto near = nearest_names(argv[1], names, 1, 2);
  if (near.empty()) return "'" + one_line(argv[1]) + "' is not a command";
  return "'" + one_line(argv[1]) + "' is not a command: did you mean '" + near.front() + "'?";
}

// `earshot batch`: plans every row first (a bad manifest stops before any work), runs them, reports
// each failed row on stderr as it fails, and writes the scores CSV atomically, in manifest order.
int run_batch_command(const std::string& manifest, const std::string& out, const std::string& scores, int jobs, bool quiet, bool haspi,
                      bool hasqi) {
  // At most 256: each running row holds one temporary, and the signal handler's list of temporaries
  // to remove has 256 places (apps/cli/output_set.cpp).
  if (jobs < 1 || jobs > 256) throw CliError(kExitUsage, "--jobs " + std::to_string(jobs) + " is outside 1...256");
  if ((haspi || hasqi) && scores.empty()) {
    throw CliError(kExitUsage, std::string(haspi ? "--haspi" : "--hasqi") + " adds columns to the scores CSV: give --scores FILE");
  }
  if (!scores.empty()) {  // checked before any row runs: a scores file that cannot be written would lose the whole run's scores
    OutputSet check;
    check.add_input(manifest);
    check.check(scores);
  }
  std::vector<BatchRowPlan> plans = plan_manifest(manifest, out);
  for (BatchRowPlan& plan : plans) {
    plan.haspi = haspi;
    plan.hasqi = hasqi;
  }
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (!std::filesystem::is_directory(out)) {
    throw CliError(kExitOutput, "output folder '" + out + "' cannot be made" + (ec ? ": " + ec.message() : std::string(": it is not a folder")));
  }
  // Progress only for a person watching: on a terminal, and not with --quiet.
  const bool show_progress = !quiet && ::isatty(STDERR_FILENO);
  BatchRun run;
  run.jobs = jobs;
  run.on_row = [&](const BatchRowResult& row, const BatchProgress& p) {
    if (show_progress) std::fputs("\r\033[K", stderr);
    if (row.status == BatchRowStatus::failed) {
      std::fprintf(stderr, "earshot: error: %s line %d: %s\n", manifest.c_str(), row.line, one_line(row.error).c_str());
    }
    if (show_progress) {
      const double rate = p.done / std::max(p.elapsed_s, 1e-9);
      const double eta_s = (p.total - p.done) / std::max(rate, 1e-9);
      std::fprintf(stderr, "batch: %zu/%zu rows (%d%%)%s, %.2f rows/s, ETA %d:%02d", p.done, p.total,
                   static_cast<int>(100 * p.done / std::max<std::size_t>(p.total, 1)),
                   p.failed ? (", " + std::to_string(p.failed) + " failed").c_str() : "", rate, static_cast<int>(eta_s) / 60,
                   static_cast<int>(eta_s) % 60);
      if (p.done == p.total) std::fputs("\r\033[K", stderr);
    }
    std::fflush(stderr);
  };
  const auto start = std::chrono::steady_clock::now();
  const std::vector<BatchRowResult> results = run_rows(plans, run);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!scores.empty()) write_atomically(scores, batch_scores_csv(results));
  std::size_t rendered = 0, skipped = 0, failed = 0;
  for (const auto& r : results) {
    rendered += r.status == BatchRowStatus::rendered;
    skipped += r.status == BatchRowStatus::skipped;
    failed += r.status == BatchRowStatus::failed;
  }
  std::printf("batch: %zu rows: %zu rendered, %zu skipped (already complete), %zu failed, in %.1f s (%.2f files/s, %d job%s)%s%s\n",
              results.size(), rendered, skipped, failed, seconds, results.size() / std::max(seconds, 1e-9), jobs, jobs == 1 ? "" : "s",
              scores.empty() ? "" : "; scores in ", scores.c_str());
  return failed ? kExitRowsFailed : kExitOk;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"earshot: renders what a listener hears (hearing loss from an audiogram, calibrated in dB SPL)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("earshot ") + EARSHOT_CLI_VERSION);
  app.footer(kHelpExamples);

  std::string input, output, listener_arg, field = "free";
  std::optional<double> level, calibration;
  int bits = 0;
  unsigned seed = 1;
  int threads = 0;  // 0: the machine's cores
  bool json = false, no_smearing = false, quiet = false;
  TemporalJitterParams jitter;
  auto* render = app.add_subcommand("render", "render INPUT as LISTENER hears it into OUTPUT (.wav or .flac)");
  render->add_option("input", input, "input audio (WAV, FLAC, OGG, AIFF; mono or stereo = left, right ear)")->required();
  render->add_option("output", output, "output file (.wav float32 by default, or .flac)")->required();
  render->add_option("--listener,-l", listener_arg, "preset, audiogram, age:/noise: spec, left=..,right=.., profile.toml, or a Clarity listener file as listeners.json#L0001 (see: earshot listeners)")
      // Required: a render without a listener used to be normal hearing, which looks like a
      // loss that did nothing.
      ->required();
  std::string aid_arg;
  render->add_option("--aid", aid_arg, "a hearing aid in front of each ear's model: nal-r, nal-rp, fig6, half-gain or pogo, or left=RULE,right=RULE; add wdrc for multiband compression with a limiter (fig6,wdrc), and optionally attack=MS, release=MS, mpo=DB; add nr for noise reduction (nal-r,nr; fig6,wdrc,nr), optionally nr-floor=DB (default -12)");
  render->add_option("--level", level, "present the input's active speech level (ITU-T P.56) at this dB SPL [default 65]");
  render->add_option("--calibration", calibration, "a digital RMS of 1.0 is this many dB SPL (fixed; instead of --level)");
  render->add_option("--field", field, "how sound reaches the listener: free (frontal) or diffuse [default free]");
  render->add_option("--bits", bits, "output sample format: 16, 24 (PCM) or 32 (float, WAV only)");
  render->add_option("--seed", seed, "seed for the model's random phases [default 1]");
  render->add_flag("--no-smearing", no_smearing, "leave out spectral smearing (threshold and recruitment only)");
  render->add_option("--jitter", jitter.rms_ms, "temporal jitter: rms delay in ms of the band below the cutoff (e.g. 0.25) [default 0: off]");
  render->add_option("--jitter-bandwidth", jitter.bandwidth_hz, "how fast the jitter wanders, Hz [default 500]");
  render->add_option("--jitter-cutoff", jitter.cutoff_hz, "jitter only the band below this, Hz [default 1200]");
  render->add_option("--threads", threads, "render the two ears on up to N threads (same output as 1) [default: the cores]")->check(CLI::NonNegativeNumber);
  bool audible = false;
  render->add_flag("--audible", audible, "NOT PHYSICAL: give each ear back its input's level (active speech level, ITU-T P.56), to hear a loss's character and not only its quietness");
  render->add_flag("--json", json, "print a machine-readable summary instead of text");
  render->add_flag("--quiet,-q", quiet, "no progress display (it is shown only on a terminal anyway)");

  std::string score_ref, score_test, score_speech, score_effort, score_procedure = "third_octave";
  SpeechInNoiseOptions score_options;
  bool score_json = false, score_haspi = false, score_hasqi = false;
  auto* score = app.add_subcommand("score", "how much speech survives: STOI/ESTOI, and HASPI v2 / HASQI v2 for a listener (--ref, --test), or SII (--speech or --effort)");
  score->add_option("--ref", score_ref, "clean reference (STOI/ESTOI)");
  score->add_option("--test", score_test, "processed signal, same rate and length as --ref (STOI/ESTOI)");
  score->add_option("--speech", score_speech, "speech file (SII), presented at --level");
  score->add_option("--effort", score_effort, "instead of --speech: ANSI S3.5 standard speech at normal, raised, loud or shout effort");
  score_options.add_to(score);
  score->add_option("--procedure", score_procedure, "SII band procedure: critical, equally_critical, third_octave, octave [default third_octave]");
  score->add_flag("--json", score_json, "print a machine-readable summary");
  score->add_flag("--haspi", score_haspi,
                  "with --ref/--test: HASPI v2 intelligibility (Kates & Arehart 2021, Speech Communication 131:35-46) for the --listener's ear "
                  "that heard each channel; --test is what reaches the ear (an aid's output, or the unprocessed signal): HASPI models the loss itself");
  score->add_flag("--hasqi", score_hasqi,
                  "with --ref/--test: HASQI v2 quality (Kates & Arehart 2014, J Audio Eng Soc 62(3):99-117) for the --listener's ear that "
                  "heard each channel, the reference amplified by NAL-R for it; --test as for --haspi");

  std::string report_speech, report_out;
  SpeechInNoiseOptions report_options;
  auto* report = app.add_subcommand("report", "one self-contained HTML page: audiograms, speech audibility, spectrograms, players, scores");
  report->add_option("speech", report_speech, "speech file")->required();
  report_options.add_to(report);
  report->add_option("-o,--output", report_out, "the report, .html")->required();
  std::string report_aid;
  report->add_option("--aid", report_aid, "a hearing aid, as for render (nal-r,wdrc,nr; left=fig6): every ear shown unaided and aided side by side");
  int report_threads = 0;
  bool report_quiet = false;
  report->add_flag("--quiet,-q", report_quiet, "no progress display (it is shown only on a terminal anyway)");
  report->add_option("--threads", report_threads, "render the two ears on up to N threads (same report as 1) [default: the cores]")->check(CLI::NonNegativeNumber);

  std::string dogram_input, dogram_csv, dogram_png, dogram_listener, dogram_ear;
  std::optional<double> dogram_level, dogram_calibration;
  int dogram_width = 1000;
  auto* dogram = app.add_subcommand("electrodogram", "the pulses a cochlear implant delivers for INPUT: CSV (time_s, electrode, current_ua) and a picture");
  dogram->add_option("input", dogram_input, "input audio")->required();
  dogram->add_option("--listener,-l", dogram_listener, "an implanted listener: ci:nucleus-ace, ci:ab-hires, ci:medel-cis, eas:..., vocoder:..., or a .toml map")->required();
  dogram->add_option("-o,--output", dogram_csv, "the pulses, .csv")->required();
  dogram->add_option("--picture,--png", dogram_png, "also draw them, with axes and a current colour bar: .png or .svg by extension");
  dogram->add_option("--width", dogram_width, "the picture's width in pixels [default 1000]");
  dogram->add_option("--ear", dogram_ear, "left or right [default: the first implanted ear]");
  dogram->add_option("--level", dogram_level, "present the input's active speech level at this dB SPL [default 65]");
  dogram->add_option("--calibration", dogram_calibration, "a digital RMS of 1.0 is this many dB SPL (instead of --level)");

  std::string scene_file, scene_out, scene_stems, scene_timeline;
  bool scene_check = false;
  int scene_bits = 0;
  std::optional<int> scene_width;
  auto* scene = app.add_subcommand("scene", "render a timeline of changing hearing (keyframes, tinnitus, maskers, implant character) from a .toml scene");
  scene->add_option("scene", scene_file, "the scene file (see docs/scenes.md)")->required();
  scene->add_option("-o,--output", scene_out, "the render, stereo .wav or .flac");
  scene->add_option("--stems", scene_stems, "also write the stems into this folder: room, listener per ear, each layer");
  scene->add_option("--timeline", scene_timeline, "also draw the timeline and the render's spectrograms, with axes: .png or .svg by extension");
  scene->add_option("--width", scene_width, "the timeline picture's width in pixels [default: 20 per second of the scene, plus 270, within 1170...16270]");
  scene->add_option("--bits", scene_bits, "output sample format: 16, 24 (PCM) or 32 (float, WAV only)");
  scene->add_flag("--check", scene_check, "validate the scene and its inputs' headers; render nothing");
  std::optional<double> scene_from, scene_to;
  bool scene_audible = false;
  scene->add_option("--from", scene_from, "write the timeline from this second on (its state there as in the whole render) [default 0]");
  scene->add_option("--to", scene_to, "write the timeline up to this second [default: its end]");
  scene->add_flag("--audible", scene_audible, "NOT PHYSICAL: give each ear's render back its input's level (active speech level, ITU-T P.56)");
  bool scene_quiet = false;
  scene->add_flag("--quiet,-q", scene_quiet, "no progress display (it is shown only on a terminal anyway)");

  std::string batch_manifest, batch_out, batch_scores;
  int batch_jobs = 1;
  bool batch_quiet = false, batch_haspi = false, batch_hasqi = false;
  auto* batch = app.add_subcommand("batch", "render every row of a manifest CSV (input,listener[,output,level_db_spl,...]) into a folder, with a scores CSV; resumable");
  batch->add_option("manifest", batch_manifest, "the manifest, CSV with a header: input,listener and optional output,level_db_spl,calibration_db_spl,seed,reference,noise,aid")->required();
  batch->add_option("--out,-o", batch_out, "folder for the renders (made if missing)")->required();
  batch->add_option("--jobs,-j", batch_jobs, "rows rendered at once, on threads [default 1]; outputs do not depend on it");
  batch->add_option("--scores", batch_scores, "write per-row levels, STOI/ESTOI, SII, status and error to this CSV");
  batch->add_flag("--quiet,-q", batch_quiet, "no progress line on a terminal");
  batch->add_flag("--haspi", batch_haspi,
                  "scores CSV: HASPI v2 (Kates & Arehart 2021) per ear for rows with a reference, of the signal at the ear (the aid's output, "
                  "or the input), not the render; slow: each index costs tens of renders");
  batch->add_flag("--hasqi", batch_hasqi, "scores CSV: HASQI v2 (Kates & Arehart 2014) per ear, likewise");

  std::string fit_listener, fit_prescription;
  bool fit_as_json = false;
  auto* fit = app.add_subcommand("fit", "the insertion gain a prescription (nal-r, nal-rp, fig6, half-gain, pogo) gives each ear of LISTENER");
  fit->add_option("--listener,-l", fit_listener, "listener, as for render")->required();
  fit->add_option("--prescription,-p", fit_prescription, "nal-r, nal-rp, fig6, half-gain or pogo")->required();
  fit->add_flag("--json", fit_as_json, "per ear: ear, prescription, frequencies_hz, input_levels_db_spl, insertion_gain_db");

  auto* listeners = app.add_subcommand("listeners", "list every listener preset with its audiogram");

#ifdef EARSHOT_LIVE
  LiveRequest live_req;
  double live_calibration_db_spl = kDefaultLiveCalibrationDbSpl, live_move_s = 1.0;
  auto* live = app.add_subcommand("live", "JACK client: play what the listener hears of the input ports in real time (a listener on stdin "
                                          "changes it), or a scene against them; Ctrl-C stops");
  // One of --listener and --scene, checked by run_live (one line, exit 2).
  live->add_option("--listener,-l", live_req.listener, "the listener (as render takes it)");
  live->add_option("--scene", live_req.scene, "a scene file (docs/scenes.md) played against the input ports; its [[input]] files are not read");
  live->add_option("--connect", live_req.connect, "output port(s) to listen to: one (both ears) or two (left, right)");
  live->add_option("--calibration", live_calibration_db_spl, "a digital RMS of 1.0 is this many dB SPL [default: a scene's calibration_db_spl, else 100]");
  live->add_option("--move", live_move_s, "seconds a listener change takes (--listener) [default 1]");
  live->add_option("--aid", live_req.aid, "a hearing aid, as for render (nal-r,wdrc); none: unaided, with room for one; typing 'aid SPEC' changes it");
#endif

  std::string demo_dir = "earshot-demo";
  auto* demo = app.add_subcommand("demo", "synthesise speech over drums, render it for normal, N3 and N6 listeners, and render the built-in arc scene");
  demo->add_option("--out", demo_dir, "directory for the demo files [default ./earshot-demo]");

#ifdef EARSHOT_SERVE
  web::ServeOptions serve_options;
  auto* serve = add_serve_command(app, serve_options);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::string mistyped = subcommand_suggestion(app, argc, argv);
    std::fprintf(stderr, "earshot: error: %s (see earshot --help)\n", mistyped.empty() ? one_line(e.what()).c_str() : mistyped.c_str());
    return kExitUsage;
  }

  try {
#ifdef EARSHOT_SERVE
    if (*serve) return run_serve_command(serve_options);
#endif
#ifdef EARSHOT_LIVE
    if (*live) {
      if (live->count("--calibration") > 0) live_req.calibration_db_spl = live_calibration_db_spl;
      if (live->count("--move") > 0) live_req.move_s = live_move_s;
      return run_live(live_req);
    }
#endif
    if (*batch) return run_batch_command(batch_manifest, batch_out, batch_scores, batch_jobs, batch_quiet, batch_haspi, batch_hasqi);
    if (*fit) {
      const Listener l = listener_from_argument(fit_listener);
      std::fputs(fit_as_json ? (fit_json(l, fit_prescription).dump(2) + "\n").c_str() : fit_text(l, fit_prescription).c_str(), stdout);
      return kExitOk;
    }
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
      req.timeline_width_px = scene_width;
      req.check_only = scene_check;
      req.bits = scene_bits;
      req.from_s = scene_from;
      req.to_s = scene_to;
      req.audible = scene_audible;
      ProgressMeter progress("scene", !scene_quiet && !scene_check);
      if (progress.shown()) req.progress = [&progress](double fraction) { progress.update(fraction); };
      const SceneSummary s = run_scene(req);
      progress.finish();
      if (scene_check) std::printf("%s: valid\n", scene_file.c_str());
      std::fputs(s.text().c_str(), stdout);
      return kExitOk;
    }
    if (*dogram) {
      ElectrodogramRequest req;
      req.input = dogram_input;
      req.csv = dogram_csv;
      if (!dogram_png.empty()) req.picture = dogram_png;
      req.width_px = dogram_width;
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
      req.threads = report_threads;
      req.scores = report_options.request();
      req.scores.speech = report_speech;
      if (!report_aid.empty()) req.scores.listener = listener_with_aid(req.scores.listener, report_aid);
      req.output = report_out;
      req.listener_file = listener_file(report_options.listener);
      ProgressMeter progress("report", !report_quiet);
      if (progress.shown()) req.progress = [&progress](double fraction) { progress.update(fraction); };
      const ReportSummary summary = write_report(req);
      progress.finish();
      std::fputs(to_text(summary).c_str(), stdout);
      return kExitOk;
    }
    if (*score) {
      const bool stoi_mode = !score_ref.empty() || !score_test.empty();
      if (stoi_mode) {
        if (score_ref.empty() || score_test.empty()) throw CliError(kExitUsage, "STOI needs both --ref and --test");
        if (!score_speech.empty() || !score_options.noise.empty() || !score_effort.empty()) {
          throw CliError(kExitUsage, "give --ref/--test (STOI) or --speech/--effort (SII), not both");
        }
        StoiRequest stoi_request;
        stoi_request.reference = score_ref;
        stoi_request.test = score_test;
        if (score_haspi || score_hasqi) {
          if (score_options.noise_level) throw CliError(kExitUsage, "--noise-level applies to the SII (--speech), not to --ref/--test");
          stoi_request.haspi = score_haspi;
          stoi_request.hasqi = score_hasqi;
          stoi_request.listener = listener_from_argument(score_options.listener);
          stoi_request.level_db_spl = score_options.level;
          stoi_request.calibration_db_spl = score_options.calibration;
        }
        const StoiReport report = score_stoi(stoi_request);
        if (score_json) std::cout << to_json(report).dump(2) << "\n";
        else std::fputs(to_text(report).c_str(), stdout);
        return kExitOk;
      }
      if (score_haspi || score_hasqi) {
        throw CliError(kExitUsage, std::string(score_haspi ? "--haspi" : "--hasqi") +
                                       " scores a processed signal against its reference: give --ref and --test");
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
    if (!aid_arg.empty()) req.listener = listener_with_aid(req.listener, aid_arg);
    req.listener_file = listener_file(listener_arg);
    req.level_db_spl = level;
    req.calibration_db_spl = calibration;
    req.bits = bits;
    req.seed = seed;
    req.smearing = !no_smearing;
    req.jitter = jitter;
    ProgressMeter progress("render", !quiet);
    if (progress.shown()) req.progress = [&progress](double fraction) { progress.update(fraction); };
    req.threads = threads;
    req.audible = audible;
    const RenderReport report = render_file(req);
    progress.finish();
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
