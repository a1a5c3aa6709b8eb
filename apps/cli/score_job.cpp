#include "apps/cli/score_job.hpp"

#include <cmath>
#include <cstdio>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/text_format.hpp"
#include "apps/cli/render_job.hpp"
#include "metrics/sii_inputs.hpp"
#include "dsp/speech_level.hpp"

namespace earshot::cli {
namespace {

// Overall level of ANSI S3.5-1997's standard speech at each vocal effort (Table 3 notes).
double effort_level_db_spl(VocalEffort e) {
  switch (e) {
    case VocalEffort::normal: return 62.35;
    case VocalEffort::raised: return 68.34;
    case VocalEffort::loud: return 74.85;
    case VocalEffort::shout: return 82.30;
  }
  return 62.35;
}

void check_channels(const AudioData& d, const std::filesystem::path& p) {
  if (d.info.channels > 2) {
    throw CliError(kExitInput, "'" + p.string() + "' has " + std::to_string(d.info.channels) +
                                   " channels; give a mono file or a stereo file (left, right ear)");
  }
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
  if (ref.info.channels != test.info.channels) {
    throw CliError(kExitInput, "--ref has " + std::to_string(ref.info.channels) + " channels but --test has " +
                                   std::to_string(test.info.channels));
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
  for (int c = 0; c < ref.info.channels; ++c) {
    auto s = stoi(ref.channels[c], test.channels[c], ref.info.sample_rate_hz);
    if (!s) throw CliError(kExitInput, "channel " + std::to_string(c + 1) + ": " + describe(s.errors()));
    r.channels.push_back(s.value());
  }
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
  // The SII's audibility is acoustic: it has no account of electric hearing.
  for (const EarProfile* ear : {&req.listener.left, &req.listener.right}) {
    if (ear->implant) {
      throw CliError(kExitUsage, "the SII models acoustic hearing and cannot score a cochlear implant (" + ear->label +
                                     "): render through it and use score --ref/--test (STOI) instead");
    }
  }
  const SiiProcedure p = req.procedure;
  const SiiBandTable& table = sii_band_table(p);
  const std::size_t bands = table.centre_hz.size();
  SiiReport r;
  r.procedure = p;
  r.listener = req.listener;
  r.band_centre_hz = table.centre_hz;

  // Speech: E' per ear (a mono file's one spectrum serves both).
  std::vector<double> speech_db[2];
  std::optional<double> calibration = req.calibration_db_spl;
  if (audio.speech) {
    const AudioData& speech = *audio.speech;
    std::vector<SpeechLevel> levels;
    for (const auto& ch : speech.channels) {
      ActiveSpeechLevelMeter m(speech.info.sample_rate_hz);
      m.add(ch.data(), ch.size());
      levels.push_back(m.result());
    }
    const SpeechLevel combined = combine_channels(levels);
    if (combined.silent) throw CliError(kExitInput, "speech '" + req.speech->string() + "' has no active speech (ITU-T P.56)");
    if (!calibration) calibration = req.level_db_spl.value_or(kDefaultSpeechLevelDbSpl) - combined.active_db;
    r.speech_source = req.speech->string();
    r.speech_level_db_spl = combined.active_db + *calibration;
    r.speech_calibration_db_spl = calibration;
    for (int c = 0; c < speech.info.channels; ++c) {
      // ANSI S3.5's speech spectra are those of speech while it is going on: the file's long-term
      // spectrum raised by its activity factor.
      const SpeechLevel& l = levels[c];
      const double activity_db = l.silent ? 0.0 : -10.0 * std::log10(std::max(l.activity, 1e-6));
      speech_db[c] = sii_spectrum_levels(speech.channels[c].data(), speech.channels[c].size(), speech.info.sample_rate_hz,
                                         *calibration, p, activity_db);
    }
    if (speech.info.channels == 1) speech_db[1] = speech_db[0];
  } else {
    auto standard = standard_speech_spectrum(p, *req.effort);
    if (!standard) throw CliError(kExitUsage, describe(standard.errors()));
    speech_db[0] = speech_db[1] = standard.value();
    r.speech_source = std::string("ANSI S3.5 standard speech, ") + to_string(*req.effort) + " effort";
    r.speech_level_db_spl = effort_level_db_spl(*req.effort);
  }

  // Noise: N' per ear (empty in quiet).
  std::vector<double> noise_db[2];
  r.noise_source = "quiet";
  if (audio.noise) {
    const AudioData& noise = *audio.noise;
    double sum = 0.0;
    std::size_t count = 0;
    for (const auto& ch : noise.channels) {
      for (float v : ch) sum += double(v) * v;
      count += ch.size();
    }
    const double long_term_db = 10.0 * std::log10(std::max(sum / std::max<std::size_t>(count, 1), 1e-30));
    if (sum <= 0.0) throw CliError(kExitInput, "noise '" + req.noise->string() + "' is digital silence");
    double noise_cal = 0.0;
    if (req.noise_level_db_spl) noise_cal = *req.noise_level_db_spl - long_term_db;
    else if (calibration) noise_cal = *calibration;
    else throw CliError(kExitUsage, "with --effort, give the noise's level as --noise-level DB (or --calibration DB)");
    r.noise_source = req.noise->string();
    r.noise_level_db_spl = long_term_db + noise_cal;
    r.noise_calibration_db_spl = noise_cal;
    for (int c = 0; c < noise.info.channels; ++c) {
      noise_db[c] = sii_spectrum_levels(noise.channels[c].data(), noise.channels[c].size(), noise.info.sample_rate_hz,
                                        noise_cal, p);
    }
    if (noise.info.channels == 1) noise_db[1] = noise_db[0];
  }

  // Each ear: its thresholds, and its conductive part taking off speech and noise alike.
  const EarProfile* ears[2] = {&req.listener.left, &req.listener.right};
  SiiEarReport* out[2] = {&r.left, &r.right};
  for (int ear = 0; ear < 2; ++ear) {
    const SiiEar e = sii_ear(*ears[ear], p);
    SiiInput in;
    in.procedure = p;
    in.speech_spectrum_db = speech_db[ear];
    in.noise_spectrum_db = noise_db[ear];
    in.threshold_db_hl = e.threshold_db_hl;
    for (std::size_t b = 0; b < bands; ++b) {
      in.speech_spectrum_db[b] -= e.conductive_db[b];
      if (!in.noise_spectrum_db.empty()) in.noise_spectrum_db[b] -= e.conductive_db[b];
    }
    auto result = sii(in);
    if (!result) throw CliError(kExitInternal, describe(result.errors()));
    out[ear]->sii = result.value().sii;
    out[ear]->band_audibility = result.value().band_audibility;
    out[ear]->speech_spectrum_db = in.speech_spectrum_db;
  }
  return r;
}

std::string sii_reading(double s) {
  if (s >= 0.75) return "good: nearly all speech is understood";
  if (s >= 0.45) return "fair: sentences are followed, some words are missed";
  if (s >= 0.25) return "poor: most sentences hard to follow";
  return "very poor: speech can hardly be followed";
}

nlohmann::json to_json(const StoiReport& r) {
  nlohmann::json channels = nlohmann::json::array();
  for (const auto& c : r.channels) channels.push_back({{"stoi", c.stoi}, {"estoi", c.estoi}, {"segments", c.segments}});
  return {{"reference", r.reference}, {"test", r.test}, {"sample_rate_hz", r.sample_rate_hz}, {"channels", channels}};
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
