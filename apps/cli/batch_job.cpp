#include "apps/cli/batch_job.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/library_errors.hpp"
#include "apps/cli/render_job.hpp"
#include "apps/cli/score_job.hpp"
#include "apps/cli/text_format.hpp"
#include "engine/aided_speech_and_noise.hpp"
#include "engine/calibration.hpp"
#include "formats/file_errors.hpp"
#include "metrics/hearing_aid_index.hpp"
#include "metrics/stoi.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

std::vector<const float*> channel_pointers(const AudioData& d) {
  std::vector<const float*> p;
  for (const auto& c : d.channels) p.push_back(c.data());
  return p;
}

// The output's long-term level at each ear; a mono output is both ears.
void score_output_levels(const AudioData& out, double calibration_db_spl, BatchRowResult& r) {
  std::vector<double> level;
  for (const auto& c : out.channels) {
    double sum = 0.0;
    for (float y : c) sum += double(y) * y;
    level.push_back(10.0 * std::log10(std::max(sum / std::max<std::size_t>(c.size(), 1), 1e-30)) + calibration_db_spl);
  }
  r.left.output_db_spl = level.front();
  r.right.output_db_spl = level.back();
}

void score_stoi_against(const BatchRowPlan& plan, const AudioData& ref, const AudioData& out, BatchRowResult& r) {
  const std::string name = "reference '" + plan.reference->string() + "'";
  if (ref.info.sample_rate_hz != out.info.sample_rate_hz) {
    throw CliError(kExitInput, name + " is at " + fmt("%g", ref.info.sample_rate_hz) + " Hz but the input at " +
                                   fmt("%g", out.info.sample_rate_hz) + " Hz: STOI compares signals at the same rate");
  }
  if (ref.info.frames != out.info.frames) {
    throw CliError(kExitInput, name + " has " + std::to_string(ref.info.frames) + " frames but the input " +
                                   std::to_string(out.info.frames) + ": STOI compares time-aligned signals of equal length");
  }
  if (ref.info.channels != 1 && ref.info.channels != out.info.channels) {
    throw CliError(kExitInput, name + " has " + std::to_string(ref.info.channels) + " channels but the render " +
                                   std::to_string(out.info.channels) + ": give a mono reference or one of the render's channels");
  }
  std::vector<StoiScores> per_channel;
  for (int c = 0; c < out.info.channels; ++c) {
    const auto& x = ref.channels[ref.info.channels == 1 ? 0 : c];
    auto s = stoi(x, out.channels[c], out.info.sample_rate_hz);
    if (!s) throw CliError(kExitInput, name + ": " + describe(s.errors()));
    per_channel.push_back(s.value());
  }
  r.left.stoi = per_channel.front().stoi;
  r.left.estoi = per_channel.front().estoi;
  r.right.stoi = per_channel.back().stoi;
  r.right.estoi = per_channel.back().estoi;
}

// HASPI v2 / HASQI v2 per ear (batch/batch_scores.hpp), as `earshot score --haspi --hasqi` scores a
// channel (metrics/hearing_aid_index.hpp, seed kScoreIndexSeed): the reference against the signal
// that reaches the ear, which is the aid's output for an aided ear (the input through the aid alone,
// engine/aided_speech_and_noise.hpp, in quiet: the manifest's noise is the SII's, not the render's)
// and the input itself otherwise. The indices model the loss from the audiogram; the render, which
// already has it, would be counted twice. level1 is the row's calibration (the input as the render
// presents it; the reference is read on the input's digital scale, as STOI reads it). The
// reference's checks (rate, length, channels) are STOI's, made first.
void score_indices_per_ear(const BatchRowPlan& plan, const Listener& listener, const AudioData& ref, const AudioData& input,
                           double calibration_db_spl, BatchRowResult& r) {
  const std::vector<std::vector<float>> at_ears =
      has_aid(listener) ? [&] {
        AidedSpeechAndNoise aided = aided_speech_and_noise(listener, input.channels, {}, input.info.sample_rate_hz, calibration_db_spl);
        return std::vector<std::vector<float>>{std::move(aided.speech[0]), std::move(aided.speech[1])};
      }()
                        : input.channels;
  const std::string name = "reference '" + plan.reference->string() + "'";
  for (int ear = 0; ear < 2; ++ear) {
    BatchEarScores& out = ear == 0 ? r.left : r.right;
    const EarProfile& profile = listener.ear(ear);
    const auto& x = ref.channels[ref.info.channels == 1 ? 0 : static_cast<std::size_t>(ear)];
    const auto& y = at_ears[std::min<std::size_t>(static_cast<std::size_t>(ear), at_ears.size() - 1)];
    for (HearingAidIndex index : {HearingAidIndex::haspi_v2, HearingAidIndex::hasqi_v2}) {
      if (!(index == HearingAidIndex::haspi_v2 ? plan.haspi : plan.hasqi)) continue;
      if (!hearing_aid_index_not_applicable(index, profile, ear).empty()) {
        out.indices_not_applicable = true;
        continue;
      }
      const auto s = hearing_aid_index(index, std::vector<double>(x.begin(), x.end()), ref.info.sample_rate_hz,
                                       std::vector<double>(y.begin(), y.end()), input.info.sample_rate_hz, profile, ear, calibration_db_spl,
                                       kScoreIndexSeed);
      if (!s) throw CliError(kExitInput, name + ": " + display_name(index) + ": " + describe(s.errors()));
      (index == HearingAidIndex::haspi_v2 ? out.haspi_v2 : out.hasqi_v2) = s.value();
    }
  }
}

// SII per ear. The library's SII refuses a listener with an implanted ear (it is acoustic), so
// each acoustic ear is scored as a listener with that ear on both sides: an ear's SII depends only
// on the speech and noise at that ear and its own thresholds (ANSI S3.5 has no binaural term).
void score_sii_per_ear(const BatchRowPlan& plan, const Listener& listener, AudioData input, std::vector<SpeechLevel> levels,
                       BatchRowResult& r) {
  SiiRequest req;
  req.speech = plan.input;
  req.noise = plan.noise;
  req.level_db_spl = plan.level_db_spl;
  req.calibration_db_spl = plan.calibration_db_spl;
  SiiAudio audio;
  audio.speech = std::move(input);
  audio.speech_levels = std::move(levels);
  if (plan.noise) audio.noise = read_audio(*plan.noise);
  if (has_aid(listener)) {
    // An aided ear's SII is of the speech and noise its aid delivers (score_job.hpp,
    // score_sii_at_ears); an implanted ear has none.
    req.acoustic_ears_only = true;
    const SiiReport levels_only = score_sii(req, audio);  // checks the inputs, gives the calibrations
    const double cal = *levels_only.speech_calibration_db_spl;
    const AudioData& speech = *audio.speech;
    const auto noise = audio.noise ? noise_on_speech_scale(*audio.noise, speech.info.sample_rate_hz, speech.channels.front().size(),
                                                           speech.channels.size(), *levels_only.noise_calibration_db_spl, cal)
                                   : std::vector<std::vector<float>>{};
    const auto ears = score_sii_at_ears(listener, speech.channels, noise, speech.info.sample_rate_hz, cal, SiiProcedure::third_octave);
    for (int ear = 0; ear < 2; ++ear) {
      BatchEarScores& out = ear == 0 ? r.left : r.right;
      out.sii_not_applicable = !ears[ear].applies;
      if (ears[ear].applies) out.sii = ears[ear].sii;
    }
    return;
  }
  if (!listener.left.implant && !listener.right.implant) {
    // Both ears acoustic: one call scores each ear with its own channel of a stereo input.
    req.listener = listener;
    const SiiReport both = score_sii(req, audio);
    r.left.sii = both.left.sii;
    r.right.sii = both.right.sii;
    return;
  }
  for (int ear = 0; ear < 2; ++ear) {
    const EarProfile& profile = ear == 0 ? listener.left : listener.right;
    BatchEarScores& out = ear == 0 ? r.left : r.right;
    if (profile.implant) {
      out.sii_not_applicable = true;
      continue;
    }
    req.listener = listener;
    req.listener.left = profile;
    req.listener.right = profile;
    // That ear's side of the report: with a stereo input it is scored on that ear's channel.
    const SiiReport report = score_sii(req, audio);
    out.sii = ear == 0 ? report.left.sii : report.right.sii;
  }
}

}  // namespace

std::vector<BatchRowPlan> plan_manifest(const fs::path& manifest, const fs::path& out_folder) {
  auto read = read_batch_manifest(manifest);
  if (!read) throw CliError(kExitUsage, describe(manifest, read.errors()));
  const fs::path folder = manifest.parent_path();  // empty for a bare name: paths stay as written
  auto plans = plan_batch(read.value(), folder, out_folder);
  if (!plans) throw CliError(kExitUsage, describe(manifest, plans.errors()));
  return std::move(plans).value();
}

bool batch_output_complete(const BatchRowPlan& plan) {
  try {
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(plan.output, ec))) return false;
    AudioReader out(plan.output);
    AudioReader in(plan.input);
    if (!out.info().warning.empty()) return false;  // a header that promises more than the file holds
    if (out.info().sample_rate_hz != in.info().sample_rate_hz || out.info().frames != in.info().frames) return false;
    // The header's count is what a writer declares; the frames must also be there to read.
    std::vector<float> block(static_cast<std::size_t>(4096) * out.info().channels);
    std::int64_t got = 0;
    for (std::int64_t n; (n = out.read(block.data(), 4096)) > 0;) got += n;
    return got == out.info().frames;
  } catch (const std::exception&) {
    return false;
  }
}

BatchRowResult run_row(const BatchRowPlan& plan, HearingLossDesignCache* designs) {
  BatchRowResult r;
  r.line = plan.line;
  r.input = plan.input_name;
  r.listener = plan.listener_name;
  r.output = plan.output_name;
  r.seed = plan.render_seed;
  try {
    Listener listener = listener_from_argument(plan.listener);
    if (plan.aid) listener = listener_with_aid(std::move(listener), *plan.aid);
    // Each input channel's P.56 levels: measured once a row (by the render's first pass, or here for
    // a skipped row) for the levels, the calibration and the SII.
    std::vector<SpeechLevel> levels;
    std::optional<AudioData> kept_input, kept_output;  // a rendered row's samples, as the files hold them
    if (batch_output_complete(plan)) {
      r.status = BatchRowStatus::skipped;
    } else {
      std::error_code ec;
      if (plan.output.has_parent_path()) fs::create_directories(plan.output.parent_path(), ec);
      RenderRequest req;
      req.input = plan.input;
      req.output = plan.output;
      req.listener = listener;
      req.listener_file = plan.listener_file;
      req.level_db_spl = plan.level_db_spl;
      req.calibration_db_spl = plan.calibration_db_spl;
      req.seed = plan.render_seed;
      req.threads = 1;  // rows are the unit of parallel work here (--jobs, Dask workers): one thread a row
      req.designs = designs;
      req.keep_samples = true;
      RenderReport rendered = render_file(req);
      levels = std::move(rendered.input_levels);
      kept_input = std::move(rendered.input_samples);
      kept_output = std::move(rendered.output_samples);
      r.status = BatchRowStatus::rendered;
    }
    // Scored from the samples the files hold: kept by the render, or read (a skipped row).
    AudioData input = kept_input ? std::move(*kept_input) : read_audio(plan.input);
    const AudioData output = kept_output ? std::move(*kept_output) : read_audio(plan.output);
    if (levels.size() != input.channels.size()) {
      levels = measure_channel_levels(channel_pointers(input), static_cast<std::size_t>(input.info.frames), input.info.sample_rate_hz);
    }
    const auto calibration = calibrate({plan.level_db_spl, plan.calibration_db_spl}, combine_channels(levels));
    if (!calibration) throw CliError(kExitInput, "input '" + plan.input.string() + "' has no active speech to measure (ITU-T P.56)");
    r.sample_rate_hz = input.info.sample_rate_hz;
    r.frames = input.info.frames;
    r.input_active_db_spl = calibration.value().active_db_spl;
    r.input_long_term_db_spl = calibration.value().long_term_db_spl;
    score_output_levels(output, calibration.value().calibration_db_spl, r);
    if (plan.reference) {
      const AudioData ref = read_audio(*plan.reference);
      score_stoi_against(plan, ref, output, r);
      if (plan.haspi || plan.hasqi) score_indices_per_ear(plan, listener, ref, input, calibration.value().calibration_db_spl, r);
    }
    score_sii_per_ear(plan, listener, std::move(input), std::move(levels), r);
  } catch (const std::exception& e) {
    const BatchRowStatus was = r.status;
    r = BatchRowResult{};
    r.line = plan.line;
    r.input = plan.input_name;
    r.listener = plan.listener_name;
    r.output = plan.output_name;
    r.seed = plan.render_seed;
    r.status = BatchRowStatus::failed;
    r.error = e.what();
    if (was == BatchRowStatus::rendered || was == BatchRowStatus::skipped) r.error = "output written, but scoring failed: " + r.error;
    for (char& c : r.error) {
      if (c == '\n' || c == '\r') c = ' ';
    }
  }
  return r;
}

std::vector<BatchRowResult> run_rows(const std::vector<BatchRowPlan>& plans, const BatchRun& run) {
  std::vector<BatchRowResult> results(plans.size());
  std::atomic<std::size_t> next{0};
  std::mutex report_mutex;
  BatchProgress progress;
  progress.total = plans.size();
  HearingLossDesignCache designs;
  const auto start = std::chrono::steady_clock::now();
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < plans.size();) {
      results[i] = run_row(plans[i], &designs);
      std::lock_guard lock(report_mutex);
      ++progress.done;
      if (results[i].status == BatchRowStatus::failed) ++progress.failed;
      progress.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (run.on_row) run.on_row(results[i], progress);
    }
  };
  const int jobs = std::max(1, std::min<int>(run.jobs, static_cast<int>(plans.size())));
  if (jobs == 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
  }
  return results;
}

}  // namespace earshot::cli
