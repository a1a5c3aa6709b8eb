#include "apps/cli/scene_job.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <cmath>
#include <memory>
#include <numeric>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/output_set.hpp"
#include "apps/cli/output_file.hpp"
#include "apps/cli/library_errors.hpp"
#include "report/scene_timeline_chart.hpp"
#include "apps/cli/text_format.hpp"
#include "engine/audible_gain.hpp"
#include "engine/calibration.hpp"
#include "engine/input_check.hpp"
#include "scene/scene_inputs.hpp"
#include "scene/scene_renderer.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

// The first pass (reading and metering the mix) against the render's: a small share of the time,
// as in render (apps/cli/render_job.cpp), so the display moves about evenly.
constexpr double kLevelPassShare = 0.1;

// One [[input]] file, decoded block by block as the scene's mix needs it; each block's samples
// are checked as read_audio checks them (engine/input_check.hpp), the first bad one refused.
class FileInput final : public SceneInputSource {
 public:
  explicit FileInput(const fs::path& path) : path_(path), reader_(path), checker_(reader_.info().channels) {}
  int channels() const override { return reader_.info().channels; }
  double sample_rate_hz() const override { return reader_.info().sample_rate_hz; }
  std::int64_t frames() const override { return reader_.info().frames; }
  std::int64_t read(float* interleaved, std::int64_t frames) override {
    const std::int64_t got = reader_.read(interleaved, frames);
    // (Not finish(): a silent input is a scene's business, e.g. a timeline of tinnitus alone.)
    if (const SpecErrors bad = checker_.add(interleaved, got); !bad.empty()) throw_input_error(path_, bad);
    return got;
  }

 private:
  fs::path path_;
  AudioReader reader_;
  InputChecker checker_;
};

// The scene's inputs on its timeline, opened afresh for each pass over them.
std::unique_ptr<SceneInputMix> open_input_mix(const SceneFile& scene, const SceneTimeline& timeline) {
  auto mix = std::make_unique<SceneInputMix>(timeline);
  for (const auto& in : scene.inputs) mix->add(std::make_unique<FileInput>(in.file), in.gain_db, in.start_s);
  return mix;
}

}  // namespace


std::string SceneSummary::text() const {
  char line[512];
  std::snprintf(line, sizeof line, "scene: %.2f s at %g Hz, %d keyframes; layers: %d tinnitus, %d masker, %d implant character\n",
                duration_s, sample_rate_hz, keyframes, tinnitus_layers, maskers, characters);
  std::string s = line;
  std::snprintf(line, sizeof line, "processors: left %d, right %d (one per run of states reached continuously; crossfaded between)\n",
                processors[0], processors[1]);
  s += line;
  for (const auto& d : downmixed) s += d + "\n";
  if (windowed) {
    std::snprintf(line, sizeof line, "window: %g s to %g s (%.2f s written), in the state the whole render has there\n", window_from_s,
                  window_to_s, window_to_s - window_from_s);
    s += line;
  }
  if (!calibration_mode.empty()) {
    std::snprintf(line, sizeof line, "calibration: %s, a digital RMS of 1.0 is %.1f dB SPL\n", calibration_mode.c_str(), calibration_db_spl);
    s += line;
    std::snprintf(line, sizeof line, "output: left %.1f dB SPL, right %.1f dB SPL (long-term); latency removed: %d frames\n",
                  output_long_term_db_spl[0], output_long_term_db_spl[1], latency_removed_frames);
    s += line;
    if (!audible_gain_db.empty()) {
      std::snprintf(line, sizeof line, "--audible (not physical): the render given back its input's level, left %+.1f dB, right %+.1f dB "
                    "(levels above are the physical render's; stems unchanged)\n", audible_gain_db[0], audible_gain_db[1]);
      s += line;
    }
    if (clipped_samples > 0) {
      std::snprintf(line, sizeof line, "warning: %lld samples clipped in integer output\n", static_cast<long long>(clipped_samples));
      s += line;
    }
  }
  for (const auto& w : written) s += "wrote " + w + "\n";
  return s;
}

SceneSummary run_scene(const SceneRequest& request, OutputSet* into) {
  SceneRequest req = request;
  // `--stems stems/` names the folder `stems`: without its trailing separators, the folder's
  // parent is the one it has, not the folder itself (which need not exist yet).
  if (req.stems) {
    while (!req.stems->has_filename() && req.stems->has_relative_path()) *req.stems = req.stems->parent_path();
  }
  if (!req.check_only && !req.output) throw CliError(kExitUsage, "give the output file: earshot scene SCENE.toml -o OUT.wav (or --check)");
  SceneFile scene = load_scene_file(req.scene);
  std::optional<OutputFormat> format;
  // Every output is checked against every input (the scene file, its audio and the profiles its
  // keyframes name) and every other output before any work, and all are committed together at
  // the end (apps/cli/output_set.hpp): a timeline that cannot be written leaves no render or stems.
  // A stems folder this run makes is removed again if the run fails: declared before the outputs,
  // so that it goes after them, once they have removed their temporaries from it.
  struct FolderGuard {
    fs::path path;
    ~FolderGuard() {
      std::error_code ec;
      if (!path.empty()) fs::remove(path, ec);  // only if empty
    }
  } made_folder;
  OutputSet own_outputs;
  OutputSet& outputs = into ? *into : own_outputs;
  outputs.add_input(req.scene);
  for (const auto& in : scene.inputs) outputs.add_input(in.file);
  for (const auto& profile : scene.profiles) outputs.add_input(profile);
  if (req.output) {
    format = output_format_for(*req.output, req.bits);
    if (!req.check_only) outputs.claim(*req.output);
  }
  std::optional<ChartFormat> timeline_format;
  if (req.timeline && !req.check_only) {
    timeline_format = chart_format_for_extension(lowercase_extension(*req.timeline));
    if (!timeline_format) throw CliError(kExitOutput, "--timeline '" + req.timeline->string() + "' must end in .png or .svg");
    outputs.claim(*req.timeline);
  }
  if (req.timeline_width_px && (*req.timeline_width_px < kMinTimelineWidthPx || *req.timeline_width_px > kMaxTimelineWidthPx)) {
    throw CliError(kExitUsage, "--width " + std::to_string(*req.timeline_width_px) + " px is outside " + std::to_string(kMinTimelineWidthPx) +
                                   "..." + std::to_string(kMaxTimelineWidthPx));
  }
  if (req.stems && fs::exists(*req.stems) && !fs::is_directory(*req.stems)) {
    throw CliError(kExitOutput, "--stems '" + req.stems->string() + "' exists and is not a folder");
  }
  if (req.stems && req.stems->has_parent_path() && !fs::is_directory(req.stems->parent_path())) {
    throw CliError(kExitOutput, "cannot make the stems folder '" + req.stems->string() + "': its parent does not exist");
  }
  if (req.stems && !req.check_only && fs::is_directory(*req.stems)) {
    // In a folder that exists, each stem is checked now like any output (an input called room.wav
    // there is refused, not replaced).
    std::vector<std::string> names = {"room.wav", "listener_left.wav", "listener_right.wav"};
    for (std::size_t i = 1; i <= scene.spec.tinnitus.size(); ++i) names.push_back("tinnitus_" + std::to_string(i) + ".wav");
    for (std::size_t i = 1; i <= scene.spec.maskers.size(); ++i) names.push_back("masker_" + std::to_string(i) + ".wav");
    for (const auto& name : names) outputs.claim(*req.stems / name);
  }

  // The timeline: the inputs' rate (the first's), as long as duration_s or the last input's end.
  std::vector<SceneInputHeader> headers;
  std::vector<std::string> downmixed;
  for (const auto& in : scene.inputs) {
    AudioReader reader(in.file);
    const AudioInfo& info = reader.info();
    for (const auto& e : check_input_format(info.sample_rate_hz, info.channels)) {
      if (e.field != "sample_rate_hz") {
        throw CliError(kExitInput, "input '" + in.file.string() + "' has " + std::to_string(info.channels) +
                                       " channels; a listener has two ears: give a mono file (both ears) or a stereo file (left, right)");
      }
      throw CliError(kExitInput, "input '" + in.file.string() + "' has a sample rate of " + fmt("%g", info.sample_rate_hz) +
                                     " Hz, outside the supported 8000...192000 Hz");
    }
    headers.push_back({info.sample_rate_hz, info.frames, in.start_s});
    if (!info.downmix.empty()) downmixed.push_back("input '" + in.file.string() + "': " + info.downmix);
  }
  const SceneTimeline timeline = scene_timeline(headers, scene.duration_s);
  if (const SpecErrors bad = check_scene_timeline(timeline); !bad.empty()) {  // before design or mix allocate
    throw CliError(kExitUsage, req.scene.string() + ": " + describe(bad));
  }
  if (req.timeline && !req.check_only && timeline.duration_s > kMaxSceneTimelineImageDurationS) {
    throw CliError(kExitUsage, req.scene.string() + ": duration_s: the timeline lasts " + fmt("%g", timeline.duration_s) +
                                   " s: --timeline draws the whole render held in memory, and its limit is " +
                                   fmt("%g", kMaxSceneTimelineImageDurationS) + " s (render without --timeline for longer scenes)");
  }
  const double fs = timeline.sample_rate_hz;
  SceneSpec& spec = scene.spec;
  spec.sample_rate_hz = fs;
  spec.duration_s = timeline.duration_s;
  spec.calibration_db_spl = scene.calibration_db_spl.value_or(100.0);

  SceneSummary summary;
  summary.sample_rate_hz = fs;
  summary.duration_s = spec.duration_s;
  summary.keyframes = static_cast<int>(spec.keyframes.size());
  summary.tinnitus_layers = static_cast<int>(spec.tinnitus.size());
  summary.maskers = static_cast<int>(spec.maskers.size());
  summary.characters = static_cast<int>(spec.characters.size());
  summary.downmixed = downmixed;
  auto designed = design_scene(spec);
  if (!designed) throw CliError(kExitUsage, req.scene.string() + ": " + describe(designed.errors()));
  for (int e = 0; e < 2; ++e) summary.processors[e] = static_cast<int>(designed.value().ears[e].processors.size());
  // --from/--to: the frames of the timeline written. Everything before `from` is rendered too
  // (and thrown away), so the window is in the state the whole render has there: keyframes before
  // it applied, layers where they are, the same calibration (from the whole mix).
  const double from_s = req.from_s.value_or(0.0), to_s = req.to_s.value_or(spec.duration_s);
  if (!(from_s >= 0.0 && from_s < spec.duration_s) || !(to_s > from_s && to_s <= spec.duration_s)) {
    throw CliError(kExitUsage, "--from " + fmt("%g", from_s) + " --to " + fmt("%g", to_s) + ": the window must lie within the scene's 0..." +
                                   fmt("%g", spec.duration_s) + " s, from before to");
  }
  if ((req.from_s || req.to_s) && req.timeline) {
    throw CliError(kExitUsage, "--timeline draws the whole scene: give it without --from/--to");
  }
  const std::int64_t from_frame = std::llround(from_s * fs);
  const std::int64_t to_frame = req.to_s ? std::min<std::int64_t>(std::llround(to_s * fs), timeline.frames) : timeline.frames;
  if (to_frame <= from_frame) {
    throw CliError(kExitUsage, "--from " + fmt("%g", from_s) + " --to " + fmt("%g", to_s) + ": the window holds no frame at " + fmt("%g", fs) + " Hz");
  }
  summary.window_from_s = from_s;
  summary.window_to_s = to_s;
  summary.windowed = req.from_s.has_value() || req.to_s.has_value();
  if (req.check_only) return summary;

  // Pass 1, streamed: every input's samples checked, and the mix's active speech level measured
  // (ITU-T P.56, both ears) block by block, as render's first pass does. Nothing is written yet.
  constexpr int kBlockFrames = 8192;
  SpeechLevel measured;
  std::array<SpeechLevel, 2> input_written;  // each ear's input over the frames written
  {
    auto mixer = open_input_mix(scene, timeline);
    std::array<std::vector<float>, 2> block;
    for (auto& b : block) b.assign(kBlockFrames, 0.0f);
    std::vector<ActiveSpeechLevelMeter> meters(2, ActiveSpeechLevelMeter(fs)), window_meters(2, ActiveSpeechLevelMeter(fs));
    for (std::int64_t at = 0; at < timeline.frames; at += kBlockFrames) {
      const int n = static_cast<int>(std::min<std::int64_t>(kBlockFrames, timeline.frames - at));
      mixer->read({block[0].data(), block[1].data()}, n);
      for (int e = 0; e < 2; ++e) meters[e].add(block[e].data(), static_cast<std::size_t>(n));
      // The input over the span written, for --audible.
      const std::int64_t begin = std::max(at, from_frame), end = std::min(at + n, to_frame);
      for (int e = 0; e < 2 && end > begin; ++e) window_meters[e].add(block[e].data() + (begin - at), static_cast<std::size_t>(end - begin));
      if (req.progress) req.progress(kLevelPassShare * double(at + n) / double(std::max<std::int64_t>(timeline.frames, 1)));
    }
    measured = combine_channels({meters[0].result(), meters[1].result()});
    for (int e = 0; e < 2; ++e) input_written[e] = window_meters[e].result();
  }

  // Calibration: fixed, or from the mix's active speech level (ITU-T P.56, both ears).
  const auto calibration = calibrate({scene.level_db_spl, scene.calibration_db_spl}, measured, {.check_range = true});
  if (!calibration) {
    const SpecError& e = calibration.errors().front();
    if (e.field == "input") {
      throw CliError(kExitInput, req.scene.string() + ": the inputs have no active speech to measure (ITU-T P.56); "
                                                      "set calibration_db_spl instead of level_db_spl");
    }
    const double level = scene.level_db_spl.value_or(kDefaultSpeechLevelDbSpl);
    const double derived = level - measured.active_db;
    throw CliError(kExitInput, req.scene.string() + ": presenting this mix at " + fmt("%g", level) + " dB SPL needs a calibration of " +
                                   fmt("%.0f", derived) + " dB SPL, outside 0...160; set calibration_db_spl");
  }
  summary.calibration_mode = to_string(calibration.value().mode);
  summary.calibration_db_spl = calibration.value().calibration_db_spl;
  spec.calibration_db_spl = summary.calibration_db_spl;
  auto plan_result = design_scene(spec);
  if (!plan_result) throw CliError(kExitUsage, req.scene.string() + ": " + describe(plan_result.errors()));
  auto plan = std::make_shared<const ScenePlan>(std::move(plan_result).value());
  summary.latency_removed_frames = plan->latency_frames;

  // Every file goes to a temporary beside it, streamed as the scene renders, and is renamed into
  // place only when all are written.
  const bool stems = req.stems.has_value();
  struct Output {
    std::unique_ptr<AudioWriter> writer;
    std::vector<std::function<const float*(const SceneOutputs&)>> channels;
  };
  std::vector<Output> writers;
  auto add = [&](const fs::path& path, const OutputFormat& f, std::vector<std::function<const float*(const SceneOutputs&)>> channels) {
    writers.push_back({std::make_unique<AudioWriter>(path, f, fs, static_cast<int>(channels.size()), &outputs), std::move(channels)});
    summary.written.push_back(path.string());
  };
  add(*req.output, *format, {[](const SceneOutputs& o) { return o.mix[0]; }, [](const SceneOutputs& o) { return o.mix[1]; }});
  if (stems) {
    std::error_code ec;
    if (!fs::exists(*req.stems)) made_folder.path = *req.stems;
    fs::create_directories(*req.stems, ec);
    if (!fs::is_directory(*req.stems)) throw CliError(kExitOutput, "cannot create the stems folder '" + req.stems->string() + "'");
    const fs::path dir = *req.stems;
    const OutputFormat stem_format = output_format_for(dir / "room.wav", 0);
    add(dir / "room.wav", stem_format, {[](const SceneOutputs& o) { return o.room[0]; }, [](const SceneOutputs& o) { return o.room[1]; }});
    add(dir / "listener_left.wav", stem_format, {[](const SceneOutputs& o) { return o.listener[0]; }});
    add(dir / "listener_right.wav", stem_format, {[](const SceneOutputs& o) { return o.listener[1]; }});
    for (std::size_t l = 0; l < spec.tinnitus.size() + spec.maskers.size(); ++l) {
      const bool tinnitus = l < spec.tinnitus.size();
      const std::size_t number = tinnitus ? l + 1 : l - spec.tinnitus.size() + 1;
      add(dir / ((tinnitus ? "tinnitus_" : "masker_") + std::to_string(number) + ".wav"), stem_format,
          {[l](const SceneOutputs& o) { return o.layers[l][0]; }, [l](const SceneOutputs& o) { return o.layers[l][1]; }});
    }
  }
  std::array<double, 2> sum_squares{0.0, 0.0};
  std::array<std::vector<float>, 2> kept;  // the render, for the picture's spectrograms
  std::vector<float> interleaved;
  // One pass of the renderer: the inputs read again block by block, and the frames of the window
  // handed to `sink` (chunk, first frame in it, count). Rendering stops at the window's end.
  struct WindowDone {};
  const auto scene_pass = [&](bool with_stems, const std::function<void(const SceneOutputs&, int, int)>& sink, double progress_from,
                              double progress_share) {
    auto mixer = open_input_mix(scene, timeline);
    const SceneInputPull input = [&](const std::array<float*, 2>& ears, int n) { mixer->read(ears, n); };
    std::int64_t at = 0;
    try {
      render_scene(plan, input, with_stems, [&](const SceneOutputs& chunk, int n) {
        const std::int64_t begin = std::max(at, from_frame), end = std::min(at + n, to_frame);
        if (end > begin) sink(chunk, static_cast<int>(begin - at), static_cast<int>(end - begin));
        at += n;
        if (req.progress) req.progress(progress_from + progress_share * double(std::min(at, to_frame)) / double(std::max<std::int64_t>(to_frame, 1)));
        if (at >= to_frame && to_frame < plan->frames) throw WindowDone{};
      });
    } catch (const WindowDone&) {
    }
  };
  // --audible (engine/audible_gain.hpp; not physical): a first pass measures each ear's mix, and
  // the gain that gives it back its input's level is applied to the render (not to the stems).
  std::array<float, 2> gain{1.0f, 1.0f};
  const double pass_share = (1.0 - kLevelPassShare) / (req.audible ? 2.0 : 1.0);
  if (req.audible) {
    std::vector<ActiveSpeechLevelMeter> out_meters(2, ActiveSpeechLevelMeter(fs));
    scene_pass(false, [&](const SceneOutputs& chunk, int offset, int n) {
      for (int e = 0; e < 2; ++e) out_meters[e].add(chunk.mix[e] + offset, static_cast<std::size_t>(n));
    }, kLevelPassShare, pass_share);
    for (int e = 0; e < 2; ++e) {
      const AudibleGain g = audible_gain(input_written[e], out_meters[e].result());
      gain[e] = static_cast<float>(std::pow(10.0, g.gain_db / 20.0));
      summary.audible_gain_db.push_back(g.gain_db);
    }
  }
  std::vector<float> scaled[2];
  scene_pass(stems, [&](const SceneOutputs& chunk, int offset, int n) {
    SceneOutputs at = chunk;  // the window's frames of this chunk
    for (int e = 0; e < 2; ++e) {
      const auto shift = [offset](float*& p) {
        if (p) p += offset;  // a stem not rendered (no --stems) stays null
      };
      shift(at.mix[e]);
      shift(at.room[e]);
      shift(at.listener[e]);
      for (auto& layer : at.layers) shift(layer[e]);
      for (int i = 0; i < n; ++i) sum_squares[e] += double(at.mix[e][i]) * at.mix[e][i];  // the physical render's level
      if (req.timeline) kept[e].insert(kept[e].end(), at.mix[e], at.mix[e] + n);
      if (req.audible) {
        scaled[e].resize(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) scaled[e][static_cast<std::size_t>(i)] = at.mix[e][i] * gain[e];
        at.mix[e] = scaled[e].data();
      }
    }
    for (auto& o : writers) {
      const std::size_t c = o.channels.size();
      interleaved.resize(static_cast<std::size_t>(n) * c);
      for (std::size_t k = 0; k < c; ++k) {
        const float* src = o.channels[k](at);
        for (int i = 0; i < n; ++i) interleaved[i * c + k] = src[i];
      }
      o.writer->write(interleaved.data(), n);
    }
  }, kLevelPassShare + (req.audible ? pass_share : 0.0), pass_share);
  const std::int64_t frames_written = to_frame - from_frame;
  for (int e = 0; e < 2; ++e) {
    summary.output_long_term_db_spl[e] =
        sum_squares[e] > 0.0 ? 10.0 * std::log10(sum_squares[e] / double(frames_written)) + summary.calibration_db_spl : -300.0;
  }
  SceneTimelineChart picture;
  if (req.timeline) {
    picture = scene_timeline_chart(*plan, kept, summary.calibration_db_spl, *timeline_format,
                                   {.width_px = req.timeline_width_px.value_or(0), .title = req.scene.filename().string()});
    summary.timeline_width_px = picture.width_px;
    summary.timeline_height_px = picture.height_px;
    summary.timeline_plot_left_px = picture.plot_left_px;
    summary.timeline_plot_right_px = picture.plot_right_px;
    summary.timeline_plot_top_px = picture.plot_top_px;
    summary.timeline_plot_bottom_px = picture.plot_bottom_px;
  }
  for (auto& o : writers) {
    o.writer->commit();  // synced and closed; renamed below with the rest
    summary.clipped_samples += o.writer->clipped_samples();
  }
  if (req.timeline) {
    outputs.write(*req.timeline, picture.bytes);
    summary.written.push_back(req.timeline->string());
  }
  if (!into) outputs.commit();
  made_folder.path.clear();
  return summary;
}

}  // namespace earshot::cli
