#include "apps/cli/score_job.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/library_errors.hpp"
#include "apps/cli/text_format.hpp"
#include "apps/cli/render_job.hpp"  // to_json(EarProfile)
#include "dsp/rational_resampler.hpp"
#include "engine/aided_speech_and_noise.hpp"
#include "engine/calibration.hpp"
#include "engine/input_check.hpp"
#include "metrics/haspi.hpp"
#include "metrics/hearing_aid_index.hpp"
#include "metrics/sii_inputs.hpp"

namespace earshot::cli {
namespace {

void check_channels(const AudioData& d, const std::filesystem::path& p) {
  for (const auto& e : check_input_format(d.info.sample_rate_hz, d.info.channels)) {
    if (e.field != "channels") continue;  // (the metrics take any rate)
    throw CliError(kExitInput, "'" + p.string() + "' has " + std::to_string(d.info.channels) +
                                   " channels; give a mono file or a stereo file (left, right ear)");
  }
}

const char* ear_name(int ear) { return ear == 0 ? "left" : "right"; }

// Which ear heard each --test channel: a stereo file's channels are the two ears; a mono file is
// taken as heard alike by both, which only a listener whose ears are alike (for HASPI and HASQI) allows.
std::vector<int> channel_ears(const StoiRequest& req, int test_channels) {
  if (test_channels == 2) return {0, 1};
  if (!ears_alike_for_indices(req.listener)) {
    throw CliError(kExitUsage, "listener '" + req.listener.left.label + "' / '" + req.listener.right.label +
                                   "' has two different ears but --test is mono: give a stereo --test (left ear, right ear)");
  }
  return {0};
}

// level1 for the indices: --calibration, or the reference's active speech level (ITU-T P.56)
// presented at --level (default 65 dB SPL), as a render presents its input.
double index_calibration_db_spl(const StoiRequest& req, const AudioData& ref) {
  check_level_flags(CalibrationRequest{req.level_db_spl, req.calibration_db_spl}, std::nullopt);
  std::vector<const float*> channels;
  for (const auto& c : ref.channels) channels.push_back(c.data());
  const auto calibration = calibrate({req.level_db_spl, req.calibration_db_spl}, channels, static_cast<std::size_t>(ref.info.frames),
                                     ref.info.sample_rate_hz);
  if (!calibration) {
    throw CliError(kExitInput, "--ref '" + req.reference.string() + "' has no active speech (ITU-T P.56) to set its level: give --calibration DB");
  }
  return calibration.value().calibration_db_spl;
}

// HASPI v2 and/or HASQI v2 of each --test channel for the ear that heard it
// (metrics/hearing_aid_index.hpp: the same call as Python's and the batch's), one fixed seed (score
// has no --seed: a score repeats exactly).
void score_hearing_aid_indices(const StoiRequest& req, const AudioData& ref, const AudioData& test, StoiReport& r) {
  const std::vector<int> ears = channel_ears(req, test.info.channels);
  r.calibration_db_spl = index_calibration_db_spl(req, ref);
  auto score_with = [&](HearingAidIndex index, std::vector<EarIndexScore>& out) {
    for (int c = 0; c < test.info.channels; ++c) {
      const int ear = ears[static_cast<std::size_t>(c)];
      const EarProfile& profile = req.listener.ear(ear);
      EarIndexScore score;
      score.ear = ear_name(ear);
      score.not_applicable = hearing_aid_index_not_applicable(index, profile, ear);
      if (!score.not_applicable.empty()) {
        score.applies = false;
        out.push_back(score);
        continue;
      }
      const auto& x = ref.channels[static_cast<std::size_t>(std::min(c, ref.info.channels - 1))];
      const auto& y = test.channels[static_cast<std::size_t>(c)];
      const auto s = hearing_aid_index(index, std::vector<double>(x.begin(), x.end()), ref.info.sample_rate_hz,
                                       std::vector<double>(y.begin(), y.end()), test.info.sample_rate_hz, profile, ear,
                                       *r.calibration_db_spl, kScoreIndexSeed);
      if (!s) {
        throw CliError(kExitInput, "channel " + std::to_string(c + 1) + ": " + (index == HearingAidIndex::haspi_v2 ? "HASPI" : "HASQI") +
                                       ": " + describe(s.errors()));
      }
      score.value = s.value();
      out.push_back(score);
    }
  };
  if (req.haspi) score_with(HearingAidIndex::haspi_v2, r.haspi_v2);
  if (req.hasqi) score_with(HearingAidIndex::hasqi_v2, r.hasqi_v2);
}

}  // namespace

StoiReport score_stoi(const StoiRequest& req) {
  const AudioData ref = read_audio(req.reference);
  const AudioData test = read_audio(req.test);
  check_channels(ref, req.reference);
  check_channels(test, req.test);
  if (ref.info.sample_rate_hz != test.info.sample_rate_hz) {
    throw CliError(kExitInput, "--ref is at " + fmt("%g", ref.info.sample_rate_hz) + " Hz but --test at " +
                                   fmt("%g", test.info.sample_rate_hz) + " Hz: STOI compares signals at the same rate");
  }
  // A mono reference against a stereo test is what an asymmetric listener's render gives (the
  // clean input, and what each ear hears): the reference is scored against each ear. A stereo
  // reference against a mono test has no such reading.
  if (ref.info.channels != test.info.channels && !(ref.info.channels == 1 && test.info.channels == 2)) {
    throw CliError(kExitInput, "--ref has " + std::to_string(ref.info.channels) + " channels but --test has " +
                                   std::to_string(test.info.channels) + ": give a --ref with as many channels, or a mono --ref");
  }
  if (ref.info.frames != test.info.frames) {
    throw CliError(kExitInput, "--ref has " + std::to_string(ref.info.frames) + " frames but --test has " +
                                   std::to_string(test.info.frames) +
                                   ": STOI compares time-aligned signals of equal length (earshot render keeps the length)");
  }
  StoiReport r;
  r.reference = req.reference.string();
  r.test = req.test.string();
  r.sample_rate_hz = ref.info.sample_rate_hz;
  for (int c = 0; c < test.info.channels; ++c) {
    auto s = stoi(ref.channels[std::min(c, ref.info.channels - 1)], test.channels[c], ref.info.sample_rate_hz);
    if (!s) throw CliError(kExitInput, "channel " + std::to_string(c + 1) + ": " + describe(s.errors()));
    r.channels.push_back(s.value());
  }
  if (req.haspi || req.hasqi) score_hearing_aid_indices(req, ref, test, r);
  return r;
}

SiiAudio read_sii_audio(const SiiRequest& req) {
  if (req.speech.has_value() == req.effort.has_value()) {
    throw CliError(kExitUsage, "give the speech as --speech FILE or as --effort normal|raised|loud|shout (one of them)");
  }
  if (req.level_db_spl && req.calibration_db_spl) throw CliError(kExitUsage, "give --level or --calibration, not both");
  if (req.effort && (req.level_db_spl || (req.calibration_db_spl && !req.noise))) {
    throw CliError(kExitUsage, "--effort sets the speech level itself; --level applies to a --speech file");
  }
  if (req.noise_level_db_spl && !req.noise) throw CliError(kExitUsage, "--noise-level needs a --noise file");
  check_level_flags(CalibrationRequest{req.level_db_spl, req.calibration_db_spl}, req.noise_level_db_spl);  // the library's rule, before any file is read
  SiiAudio audio;
  if (req.speech) {
    audio.speech = read_audio(*req.speech);
    check_channels(*audio.speech, *req.speech);
  }
  if (req.noise) {
    audio.noise = read_audio(*req.noise);
    check_channels(*audio.noise, *req.noise);
  }
  return audio;
}

SiiReport score_sii(const SiiRequest& req) { return score_sii(req, read_sii_audio(req)); }

SiiReport score_sii(const SiiRequest& req, const SiiAudio& audio) {
  auto signal = [](const AudioData& d) {
    SiiSignal s;
    for (const auto& c : d.channels) s.channels.push_back(c.data());
    s.frames = static_cast<std::size_t>(d.info.frames);
    s.sample_rate_hz = d.info.sample_rate_hz;
    return s;
  };
  earshot::SiiRequest request;
  request.listener = req.listener;
  request.procedure = req.procedure;
  request.effort = req.effort;
  request.acoustic_ears_only = req.acoustic_ears_only;
  // The speech's calibration: --calibration, or its active speech level presented at --level.
  if (audio.speech) {
    request.speech = signal(*audio.speech);
    // (With no active speech to measure this stays unset, and the SII says why.) One P.56
    // measurement serves the calibration and the SII's activity factors.
    request.speech->levels = audio.speech_levels.size() == request.speech->channels.size()
                                 ? audio.speech_levels
                                 : measure_channel_levels(request.speech->channels, request.speech->frames, request.speech->sample_rate_hz);
    const auto calibration = calibrate({req.level_db_spl, req.calibration_db_spl}, combine_channels(request.speech->levels));
    if (calibration) request.speech->calibration_db_spl = calibration.value().calibration_db_spl;
  }
  if (audio.noise) {
    request.noise = signal(*audio.noise);
    request.noise->level_db_spl = req.noise_level_db_spl;
    request.noise->calibration_db_spl = req.calibration_db_spl;
  }
  auto scores = earshot::score_sii(request);
  if (!scores) {
    const SpecError& e = scores.errors().front();
    if (e.field.starts_with("listener.")) {
      throw CliError(kExitUsage, e.message + ": render through it and use score --ref/--test (STOI) instead");
    }
    if (e.field == "speech" || e.field == "speech.calibration_db_spl") {
      throw CliError(kExitInput, "speech '" + req.speech->string() + "' has no active speech (ITU-T P.56)");
    }
    if (e.field.starts_with("effort")) throw CliError(kExitUsage, describe(scores.errors()));
    if (e.field == "noise") throw CliError(kExitInput, "noise '" + req.noise->string() + "' " + e.message);
    if (e.field == "noise.level_db_spl") {
      throw CliError(kExitUsage, "with --effort, give the noise's level as --noise-level DB (or --calibration DB)");
    }
    throw CliError(kExitInternal, describe(scores.errors()));
  }
  const SiiScores& s = scores.value();
  SiiReport r;
  r.procedure = req.procedure;
  r.listener = req.listener;
  r.band_centre_hz = s.band_centre_hz;
  r.speech_source = req.speech ? req.speech->string() : std::string("ANSI S3.5 standard speech, ") + to_string(*req.effort) + " effort";
  r.speech_level_db_spl = s.speech_level_db_spl;
  r.speech_calibration_db_spl = s.speech_calibration_db_spl;
  r.noise_source = req.noise ? req.noise->string() : "quiet";
  r.noise_level_db_spl = s.noise_level_db_spl;
  r.noise_calibration_db_spl = s.noise_calibration_db_spl;
  SiiEarReport* out[2] = {&r.left, &r.right};
  for (int ear = 0; ear < 2; ++ear) {
    out[ear]->applies = s.ears[ear].applies;
    out[ear]->sii = s.ears[ear].sii;
    out[ear]->band_audibility = s.ears[ear].band_audibility;
    out[ear]->speech_spectrum_db = s.ears[ear].speech_spectrum_db;
  }
  return r;
}

std::vector<std::vector<float>> noise_on_speech_scale(const AudioData& noise, double fs, std::size_t frames, std::size_t channels,
                                                      double noise_cal, double speech_cal) {
  const float gain = static_cast<float>(std::pow(10.0, (noise_cal - speech_cal) / 20.0));
  std::vector<std::vector<float>> out;
  for (std::size_t c = 0; c < channels; ++c) {
    const auto& n = noise.channels[std::min(c, noise.channels.size() - 1)];
    std::vector<float> at_rate = n;
    if (noise.info.sample_rate_hz != fs) {
      const std::vector<double> y = resample_rational(std::vector<double>(n.begin(), n.end()), std::lround(fs), std::lround(noise.info.sample_rate_hz));
      at_rate.assign(y.begin(), y.end());
    }
    std::vector<float> looped(frames);
    for (std::size_t i = 0; i < frames && !at_rate.empty(); ++i) looped[i] = gain * at_rate[i % at_rate.size()];
    out.push_back(std::move(looped));
  }
  return out;
}

std::array<SiiEarReport, 2> score_sii_at_ears(const Listener& listener, const std::vector<std::vector<float>>& speech,
                                              const std::vector<std::vector<float>>& noise, double fs, double cal, SiiProcedure procedure) {
  const AidedSpeechAndNoise at_ears = aided_speech_and_noise(listener, speech, noise, fs, cal);
  earshot::SiiRequest r;
  r.listener = listener;
  r.procedure = procedure;
  r.acoustic_ears_only = true;
  SiiSignal s;
  s.channels = {at_ears.speech[0].data(), at_ears.speech[1].data()};
  s.frames = at_ears.speech[0].size();
  s.sample_rate_hz = fs;
  s.calibration_db_spl = cal;
  r.speech = s;
  if (!noise.empty()) {
    SiiSignal n = s;
    n.channels = {at_ears.noise[0].data(), at_ears.noise[1].data()};
    r.noise = n;
  }
  auto scored = earshot::score_sii(r);
  if (!scored) throw CliError(kExitInput, describe(scored.errors()));
  std::array<SiiEarReport, 2> out;
  for (int ear = 0; ear < 2; ++ear) {
    const SiiEarScore& e = scored.value().ears[ear];
    out[ear] = {e.applies, e.sii, e.band_audibility, e.speech_spectrum_db};
  }
  return out;
}

std::string sii_reading(double s) {
  if (s >= 0.75) return "good: nearly all speech is understood";
  if (s >= 0.45) return "fair: sentences are followed, some words are missed";
  if (s >= 0.25) return "poor: most sentences hard to follow";
  return "very poor: speech can hardly be followed";
}

nlohmann::json to_json(const StoiReport& r) {
  nlohmann::json channels = nlohmann::json::array();
  for (std::size_t i = 0; i < r.channels.size(); ++i) {
    const auto& c = r.channels[i];
    nlohmann::json j{{"stoi", c.stoi}, {"estoi", c.estoi}, {"segments", c.segments}};
    if (i < r.haspi_v2.size()) {
      const EarIndexScore& h = r.haspi_v2[i];
      j["ear"] = h.ear;
      j["haspi_v2"] = h.applies ? nlohmann::json(h.value) : nlohmann::json(nullptr);
      if (!h.applies) j["haspi_v2_not_applicable"] = h.not_applicable;
    }
    if (i < r.hasqi_v2.size()) {
      const EarIndexScore& q = r.hasqi_v2[i];
      j["ear"] = q.ear;
      j["hasqi_v2"] = q.applies ? nlohmann::json(q.value) : nlohmann::json(nullptr);
      if (!q.applies) j["hasqi_v2_not_applicable"] = q.not_applicable;
    }
    channels.push_back(j);
  }
  nlohmann::json j{{"reference", r.reference}, {"test", r.test}, {"sample_rate_hz", r.sample_rate_hz}, {"channels", channels}};
  if (r.calibration_db_spl) j["calibration_db_spl"] = *r.calibration_db_spl;
  return j;
}

nlohmann::json to_json(const SiiReport& r) {
  auto ear = [&](const SiiEarReport& e, const EarProfile& p) {
    return nlohmann::json{{"sii", e.sii}, {"reading", sii_reading(e.sii)}, {"band_audibility", e.band_audibility}, {"listener", to_json(p)}};
  };
  nlohmann::json j{{"standard", "ANSI S3.5-1997"},
                   {"procedure", to_string(r.procedure)},
                   {"speech", {{"source", r.speech_source}, {"level_db_spl", r.speech_level_db_spl}}},
                   {"noise", {{"source", r.noise_source}}},
                   {"band_centre_hz", r.band_centre_hz},
                   {"left", ear(r.left, r.listener.left)},
                   {"right", ear(r.right, r.listener.right)},
                   {"better_ear_sii", std::max(r.left.sii, r.right.sii)}};
  if (r.noise_level_db_spl) j["noise"]["level_db_spl"] = *r.noise_level_db_spl;
  return j;
}

std::string to_text(const StoiReport& r) {
  std::string s;
  for (std::size_t c = 0; c < r.channels.size(); ++c) {
    s += (r.channels.size() > 1 ? (c == 0 ? "left:  " : "right: ") : std::string()) + "STOI " + fmt("%.4f", r.channels[c].stoi) +
         ", ESTOI " + fmt("%.4f", r.channels[c].estoi) + "\n";
    if (c < r.haspi_v2.size()) {
      const EarIndexScore& h = r.haspi_v2[c];
      s += "  HASPI v2 (" + h.ear + " ear): " + (h.applies ? fmt("%.4f", h.value) : "not scored: " + h.not_applicable) + "\n";
    }
    if (c < r.hasqi_v2.size()) {
      const EarIndexScore& q = r.hasqi_v2[c];
      s += "  HASQI v2 (" + q.ear + " ear): " + (q.applies ? fmt("%.4f", q.value) : "not scored: " + q.not_applicable) + "\n";
    }
  }
  if (r.calibration_db_spl) {
    const std::string which = !r.haspi_v2.empty() && !r.hasqi_v2.empty() ? "HASPI's and HASQI's" : !r.haspi_v2.empty() ? "HASPI's" : "HASQI's";
    s += "  (" + which + " level: a digital RMS of 1.0 = " + fmt("%.1f", *r.calibration_db_spl) + " dB SPL)\n";
  }
  return s;
}

std::string to_text(const SiiReport& r) {
  std::string s = "SII (ANSI S3.5-1997, " + std::string(to_string(r.procedure)) + " procedure)\n";
  s += "  left  " + fmt("%.3f", r.left.sii) + " (" + r.listener.left.label + "): " + sii_reading(r.left.sii) + "\n";
  s += "  right " + fmt("%.3f", r.right.sii) + " (" + r.listener.right.label + "): " + sii_reading(r.right.sii) + "\n";
  s += "  speech: " + r.speech_source + ", " + fmt("%.1f", r.speech_level_db_spl) + " dB SPL\n";
  s += "  noise: " + r.noise_source + (r.noise_level_db_spl ? ", " + fmt("%.1f", *r.noise_level_db_spl) + " dB SPL long-term" : "") + "\n";
  return s;
}

}  // namespace earshot::cli
