#include "apps/cli/render_job.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <cstdio>
#include <memory>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/library_errors.hpp"
#include "apps/cli/text_format.hpp"
#include "dsp/speech_level.hpp"
#include "engine/audible_gain.hpp"
#include "engine/calibration.hpp"
#include "engine/engine.hpp"
#include "engine/threaded_engine.hpp"
#include "engine/input_check.hpp"
#include "hearing_aid/maximum_output.hpp"
#include "hearing_loss/hearing_loss_design.hpp"

namespace earshot::cli {
namespace {

constexpr int kBlockFrames = 8192;
constexpr double kLevelPassShare = 0.1;  // of a render's progress: the first pass only reads and meters

}  // namespace

RenderReport render_file(const RenderRequest& req, OutputSet* into) {
  const CalibrationRequest calibration_request{req.level_db_spl, req.calibration_db_spl};
  if (req.level_db_spl && req.calibration_db_spl) throw CliError(kExitUsage, "give --level or --calibration, not both");
  check_level_flags(calibration_request);  // the library's rule, before any file is read
  // apps/cli/output_set.hpp: checked now, written to a temporary, renamed at the end (by the
  // caller's set, if given, with its other outputs).
  OutputSet own_outputs;
  OutputSet& outputs = into ? *into : own_outputs;
  outputs.add_input(req.input);
  if (req.listener_file) outputs.add_input(*req.listener_file);
  outputs.claim(req.output);
  const OutputFormat out_format = output_format_for(req.output, req.bits);
  AudioReader reader(req.input);
  const AudioInfo info = reader.info();
  for (const auto& e : check_input_format(info.sample_rate_hz, info.channels)) {
    if (e.field == "sample_rate_hz") {
      throw CliError(kExitInput, "input sample rate " + fmt("%g", info.sample_rate_hz) + " Hz is outside the supported " +
                                     fmt("%g", kMinSampleRateHz) + "..." + fmt("%g", kMaxSampleRateHz) + " Hz");
    }
    throw CliError(kExitInput, "input has " + std::to_string(info.channels) +
                                   " channels; a listener has two ears: give a mono file (both ears) or a stereo file (left, right)");
  }

  // Pass 1: sample validity and levels.
  const int ch = info.channels;
  std::vector<float> block(static_cast<std::size_t>(kBlockFrames) * ch);
  std::vector<ActiveSpeechLevelMeter> meters(ch, ActiveSpeechLevelMeter(info.sample_rate_hz));
  InputChecker samples(ch);
  // keep_samples: the input, kept as it is read (planar, as read_audio gives it); pass 2 then takes
  // its frames from here rather than decoding the file again.
  std::optional<AudioData> kept_input;
  if (req.keep_samples) {
    kept_input.emplace();
    kept_input->info = info;
    kept_input->channels.assign(ch, {});
    for (auto& c : kept_input->channels) c.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(info.frames, 0, std::int64_t{1} << 28)));
  }
  std::int64_t position = 0;
  for (std::int64_t got; (got = reader.read(block.data(), kBlockFrames)) > 0; position += got) {
    if (const SpecErrors bad = samples.add(block.data(), got); !bad.empty()) throw_input_error(req.input, bad);
    for (int c = 0; c < ch; ++c) meters[c].add(block.data() + c, static_cast<std::size_t>(got), ch);
    if (kept_input) {
      for (int c = 0; c < ch; ++c) {
        auto& kept = kept_input->channels[c];
        const std::size_t at = kept.size();
        kept.resize(at + static_cast<std::size_t>(got));
        for (std::int64_t i = 0; i < got; ++i) kept[at + static_cast<std::size_t>(i)] = block[static_cast<std::size_t>(i) * ch + c];
      }
    }
    // The level pass reads and meters: about a tenth of the render's time.
    if (req.progress) req.progress(kLevelPassShare * double(position + got) / double(std::max<std::int64_t>(info.frames, 1)));
  }
  if (position != info.frames) {
    throw CliError(kExitInput, "input '" + req.input.string() + "' is truncated or corrupt: its header promises " +
                                   std::to_string(info.frames) + " frames but " + std::to_string(position) + " can be read");
  }
  if (const SpecErrors bad = samples.finish(); !bad.empty()) throw_input_error(req.input, bad);
  std::vector<SpeechLevel> levels;
  for (const auto& m : meters) levels.push_back(m.result());
  auto calibration = calibrate(calibration_request, combine_channels(levels));
  if (!calibration) {
    throw CliError(kExitInput, "input '" + req.input.string() +
                                   "' has no active speech to measure (ITU-T P.56); use --calibration DB instead of --level");
  }

  RenderReport report;
  report.calibration_mode = to_string(calibration.value().mode);
  report.calibration_db_spl = calibration.value().calibration_db_spl;
  report.input_active_db_spl = calibration.value().active_db_spl;
  report.input_long_term_db_spl = calibration.value().long_term_db_spl;
  report.input_levels = levels;

  EngineSpec spec;
  spec.listener = req.listener;
  spec.input_channels = ch;
  spec.hearing.sample_rate_hz = info.sample_rate_hz;
  spec.hearing.field = req.field;
  spec.hearing.calibration_db_spl = report.calibration_db_spl;
  spec.hearing.smearing = req.smearing;
  spec.hearing.seed = req.seed;
  spec.jitter = req.jitter;
  auto plan = design_engine(spec, req.designs);
  if (!plan) throw CliError(kExitUsage, describe(plan.errors()));
  const auto shared_plan = std::make_shared<const EnginePlan>(std::move(plan).value());
  const int out_ch = shared_plan->output_channels;
  const int latency = shared_plan->latency_frames;

  // Pass 2 (and, with --audible, a pass before it that only measures): render. The first
  // `latency` output frames precede the input's first frame and are dropped; the input is followed
  // by `latency` frames of silence to flush its last frames out. Each pass has its own engine from
  // the same plan, so both give the same samples (seeded, DESIGN.md "Reproducible").
  const auto render_pass = [&](const std::function<void(const float* interleaved, int frames)>& sink, double progress_from,
                               double progress_share) {
    ThreadedEngine engine;  // the two ears side by side, output as Engine's
    engine.prepare(shared_plan, req.threads);
    if (!kept_input) reader.rewind();
    std::int64_t read_position = 0;
    std::vector<std::vector<float>> in_planar(ch, std::vector<float>(kBlockFrames));
    std::vector<std::vector<float>> out_planar(out_ch, std::vector<float>(kBlockFrames));
    std::vector<float> out_interleaved(static_cast<std::size_t>(kBlockFrames) * out_ch);
    std::vector<const float*> in_ptr(ch);
    std::vector<float*> out_ptr(out_ch);
    for (int c = 0; c < ch; ++c) in_ptr[c] = in_planar[c].data();
    for (int c = 0; c < out_ch; ++c) out_ptr[c] = out_planar[c].data();
    std::int64_t to_skip = latency, written = 0, flush_left = latency;
    bool input_done = false;
    while (written < info.frames) {
      int frames = 0;
      if (!input_done) {
        if (kept_input) {
          frames = static_cast<int>(std::min<std::int64_t>(kBlockFrames, info.frames - read_position));
          for (int c = 0; c < ch; ++c) {
            std::copy_n(kept_input->channels[c].begin() + read_position, frames, in_planar[c].begin());
          }
        } else {
          frames = static_cast<int>(reader.read(block.data(), kBlockFrames));
          for (int c = 0; c < ch; ++c)
            for (int i = 0; i < frames; ++i) in_planar[c][i] = block[static_cast<std::size_t>(i) * ch + c];
        }
        read_position += frames;
        if (frames == 0) input_done = true;
      }
      if (input_done) {
        frames = static_cast<int>(std::min<std::int64_t>(kBlockFrames, flush_left));
        if (frames == 0) break;
        for (int c = 0; c < ch; ++c) std::fill(in_planar[c].begin(), in_planar[c].begin() + frames, 0.0f);
        flush_left -= frames;
      }
      engine.process(in_ptr.data(), out_ptr.data(), frames);
      const int skip = static_cast<int>(std::min<std::int64_t>(to_skip, frames));
      to_skip -= skip;
      const int keep = static_cast<int>(std::min<std::int64_t>(frames - skip, info.frames - written));
      for (int i = 0; i < keep; ++i) {
        for (int c = 0; c < out_ch; ++c) out_interleaved[static_cast<std::size_t>(i) * out_ch + c] = out_planar[c][skip + i];
      }
      if (keep > 0) sink(out_interleaved.data(), keep);
      written += keep;
      if (req.progress) req.progress(progress_from + progress_share * double(written) / double(std::max<std::int64_t>(info.frames, 1)));
    }
  };

  // --audible (engine/audible_gain.hpp): a first render measures each ear's output level, and the
  // gain that gives it back its input's level is applied as the render is written.
  std::vector<float> out_gain(out_ch, 1.0f);
  if (req.audible) {
    std::vector<ActiveSpeechLevelMeter> out_meters(out_ch, ActiveSpeechLevelMeter(info.sample_rate_hz));
    render_pass([&](const float* y, int n) {
      for (int c = 0; c < out_ch; ++c) out_meters[c].add(y + c, static_cast<std::size_t>(n), static_cast<std::size_t>(out_ch));
    }, kLevelPassShare, (1.0 - kLevelPassShare) / 2.0);
    for (int c = 0; c < out_ch; ++c) {
      // A mono input reaches both ears; a stereo one, each ear its own channel.
      const AudibleGain g = audible_gain(levels[static_cast<std::size_t>(std::min(c, ch - 1))], out_meters[c].result());
      out_gain[c] = static_cast<float>(std::pow(10.0, g.gain_db / 20.0));
      report.audible_gain_db.push_back(g.gain_db);
    }
  }
  AudioWriter writer(req.output, out_format, info.sample_rate_hz, out_ch, &outputs);
  // keep_samples: a float32 output holds exactly the floats written (libsndfile stores them as
  // they are); an integer one is rounded and clipped on the way, and is not kept.
  std::optional<AudioData> kept_output;
  if (req.keep_samples && out_format.sample == SampleFormat::float32) {
    kept_output.emplace();
    kept_output->info.sample_rate_hz = info.sample_rate_hz;
    kept_output->info.channels = out_ch;
    kept_output->info.file_channels = out_ch;
    kept_output->info.frames = info.frames;
    kept_output->info.format = out_format.description;
    kept_output->channels.assign(out_ch, {});
    for (auto& c : kept_output->channels) c.reserve(static_cast<std::size_t>(info.frames));
  }
  std::vector<double> out_sum_squares(out_ch, 0.0);
  std::vector<float> scaled;
  const double write_from = req.audible ? kLevelPassShare + (1.0 - kLevelPassShare) / 2.0 : kLevelPassShare;
  render_pass([&](const float* y, int n) {
    if (req.audible) scaled.resize(static_cast<std::size_t>(n) * out_ch);
    // Channel by channel, each channel's sum in a register (its terms in the same order as ever).
    const std::size_t stride = static_cast<std::size_t>(out_ch);
    for (int c = 0; c < out_ch; ++c) {
      const float* yc = y + c;
      double sum = out_sum_squares[c];
      for (int i = 0; i < n; ++i) {
        const double v = yc[static_cast<std::size_t>(i) * stride];
        sum += v * v;  // the physical render's level, before any --audible gain
      }
      out_sum_squares[c] = sum;
      if (req.audible) {
        for (int i = 0; i < n; ++i) {
          const std::size_t k = static_cast<std::size_t>(i) * stride + c;
          scaled[k] = y[k] * out_gain[c];
        }
      }
    }
    const float* written = req.audible ? scaled.data() : y;
    if (kept_output) {
      for (int c = 0; c < out_ch; ++c) {
        auto& kept = kept_output->channels[c];
        if (out_ch == 1) {
          kept.insert(kept.end(), written, written + n);
        } else {
          for (int i = 0; i < n; ++i) kept.push_back(written[static_cast<std::size_t>(i) * stride + c]);
        }
      }
    }
    writer.write(written, n);
  }, write_from, 1.0 - write_from);
  writer.commit();
  if (!into) outputs.commit();

  report.input = req.input.string();
  report.output = req.output.string();
  report.input_format = info.format;
  report.output_format = out_format.description;
  report.sample_rate_hz = info.sample_rate_hz;
  report.input_channels = info.file_channels;
  report.input_downmix = info.downmix;
  report.output_channels = out_ch;
  report.frames = info.frames;
  for (int c = 0; c < out_ch; ++c) {
    report.output_long_term_db_spl.push_back(10.0 * std::log10(std::max(out_sum_squares[c] / info.frames, 1e-30)) +
                                             report.calibration_db_spl);
  }
  report.latency_removed_frames = latency;
  report.clipped_samples = writer.clipped_samples();
  report.input_warning = info.warning;
  report.listener = req.listener;
  report.field = req.field;
  report.smearing = req.smearing;
  report.jitter = req.jitter;
  report.seed = req.seed;
  report.input_samples = std::move(kept_input);
  report.output_samples = std::move(kept_output);
  return report;
}

nlohmann::json to_json(const EarProfile& ear) {
  nlohmann::json j;
  j["label"] = ear.label;
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : ear.air_db_hl.points) points.push_back({{"frequency_hz", p.frequency_hz}, {"level_db_hl", p.level_db_hl}});
  j["audiogram"] = points;
  if (!ear.air_bone_gap_db.empty()) {
    nlohmann::json gap = nlohmann::json::array();
    for (const auto& p : ear.air_bone_gap_db.points) gap.push_back({{"frequency_hz", p.frequency_hz}, {"gap_db", p.level_db_hl}});
    j["air_bone_gap"] = gap;
  }
  if (ear.aid) {
    j["aid"] = {{"prescription", prescription_name(ear.aid->prescription)}, {"compression", ear.aid->compression}};
    if (ear.aid->compression) {
      j["aid"]["attack_ms"] = ear.aid->attack_ms;
      j["aid"]["release_ms"] = ear.aid->release_ms;
      j["aid"]["mpo_db_spl"] = ear.aid->mpo_db_spl.value_or(default_mpo_db_spl(ear.air_db_hl));
    }
    j["aid"]["noise_reduction"] = ear.aid->noise_reduction;
    if (ear.aid->noise_reduction) j["aid"]["nr_floor_db"] = ear.aid->nr_floor_db;
  }
  if (ear.implant) {
    const ImplantMap& m = *ear.implant;
    j["implant"] = {{"device", m.device}, {"strategy", to_string(m.strategy)}, {"electrodes", m.electrodes},
                    {"switched_off", m.switched_off}, {"band_edges_hz", m.band_edges_hz}, {"maxima", m.maxima},
                    {"rate_pps", m.rate_pps}, {"carrier", to_string(m.carrier)}, {"place_map", to_string(m.place_map)},
                    {"spread_db_per_mm", m.spread_db_per_mm}, {"acoustic_crossover_hz", m.acoustic_crossover_hz}};
  }
  return j;
}

nlohmann::json to_json(const RenderReport& r) {
  nlohmann::json j;
  j["input"] = {{"path", r.input}, {"format", r.input_format}, {"sample_rate_hz", r.sample_rate_hz},
                {"channels", r.input_channels}, {"frames", r.frames},
                {"active_speech_level_db_spl", r.input_active_db_spl}, {"long_term_level_db_spl", r.input_long_term_db_spl}};
  if (!r.input_warning.empty()) j["input"]["warning"] = r.input_warning;
  if (!r.input_downmix.empty()) j["input"]["downmix"] = r.input_downmix;
  j["output"] = {{"path", r.output}, {"format", r.output_format}, {"channels", r.output_channels}, {"frames", r.frames},
                 {"long_term_level_db_spl", r.output_long_term_db_spl}, {"clipped_samples", r.clipped_samples}};
  j["calibration"] = {{"mode", r.calibration_mode}, {"digital_rms_1_db_spl", r.calibration_db_spl},
                      {"threshold_reference", std::string("ISO 389-7:2005 ") + to_string(r.field) + " field"}};
  if (!r.audible_gain_db.empty()) j["output"]["audible_gain_db"] = r.audible_gain_db;  // --audible: applied after the levels above
  j["latency_removed_frames"] = r.latency_removed_frames;
  j["latency_removed_ms"] = 1000.0 * r.latency_removed_frames / r.sample_rate_hz;
  j["listener"] = {{"left", to_json(r.listener.left)}, {"right", to_json(r.listener.right)}};
  j["model"] = {{"smearing", r.smearing}, {"seed", r.seed},
                {"jitter", {{"rms_ms", r.jitter.rms_ms}, {"bandwidth_hz", r.jitter.bandwidth_hz}, {"cutoff_hz", r.jitter.cutoff_hz}}}};
  return j;
}

std::string to_text(const RenderReport& r) {
  std::string s;
  s += "rendered " + r.output + " (" + r.output_format + ", " + std::to_string(r.output_channels) + " ch, " +
       fmt("%.0f", r.sample_rate_hz) + " Hz, " + fmt("%.3f", r.frames / r.sample_rate_hz) + " s)\n";
  if (!r.input_downmix.empty()) s += "  input: " + r.input_downmix + "\n";
  const auto ear_text = [](const EarProfile& e) {
    if (!e.aid) return e.label;
    const std::string nr = e.aid->noise_reduction ? " and noise reduction (floor " + fmt("%g", e.aid->nr_floor_db) + " dB)" : "";
    if (!e.aid->compression) return e.label + " with a " + prescription_name(e.aid->prescription) + " aid" + nr;
    return e.label + " with a " + prescription_name(e.aid->prescription) + " WDRC aid (attack " + fmt("%g", e.aid->attack_ms) +
           " ms, release " + fmt("%g", e.aid->release_ms) + " ms, MPO " +
           fmt("%.0f", e.aid->mpo_db_spl.value_or(default_mpo_db_spl(e.air_db_hl))) + " dB SPL)" + nr;
  };
  s += "  listener: left " + ear_text(r.listener.left) + ", right " + ear_text(r.listener.right) + "\n";
  s += "  calibration: digital RMS 1.0 = " + fmt("%.1f", r.calibration_db_spl) + " dB SPL (" +
       (r.calibration_mode == "level" ? "from --level" : "--calibration") + ")\n";
  s += "  input: active speech level " + fmt("%.1f", r.input_active_db_spl) + " dB SPL, long-term " +
       fmt("%.1f", r.input_long_term_db_spl) + " dB SPL\n";
  s += "  output: long-term";
  for (std::size_t c = 0; c < r.output_long_term_db_spl.size(); ++c) {
    s += (r.output_long_term_db_spl.size() > 1 ? (c == 0 ? " left " : ", right ") : " ") +
         fmt("%.1f", r.output_long_term_db_spl[c]) + " dB SPL";
  }
  if (r.jitter.rms_ms > 0.0) {
    s += "\n  temporal jitter: " + fmt("%.2f", r.jitter.rms_ms) + " ms rms below " + fmt("%.0f", r.jitter.cutoff_hz) + " Hz";
  }
  s += "\n  latency removed: " + std::to_string(r.latency_removed_frames) + " frames (" +
       fmt("%.1f", 1000.0 * r.latency_removed_frames / r.sample_rate_hz) + " ms)\n";
  if (!r.audible_gain_db.empty()) {
    s += "  --audible (not physical): each ear given back its input's level, +";
    for (std::size_t c = 0; c < r.audible_gain_db.size(); ++c) {
      s += (r.audible_gain_db.size() > 1 ? (c == 0 ? "left " : ", right ") : "") + fmt("%.1f", r.audible_gain_db[c]) + " dB";
    }
    s += " (the levels above are the physical render's)\n";
  }
  if (!r.input_warning.empty()) s += "  warning: input " + r.input_warning + "\n";
  if (r.clipped_samples > 0) s += "  warning: " + std::to_string(r.clipped_samples) + " samples clipped at full scale\n";
  return s;
}

}  // namespace earshot::cli
