#include "metrics/sii_inputs.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/speech_level.hpp"
#include "metrics/long_term_spectrum.hpp"

namespace earshot {

std::vector<double> sii_spectrum_levels(const float* samples, std::size_t count, double fs, double calibration_db_spl,
                                        SiiProcedure procedure, double level_offset_db) {
  const SiiBandTable& t = sii_band_table(procedure);
  const std::vector<double> power = long_term_band_powers(samples, count, fs, t.lower_hz, t.upper_hz);
  std::vector<double> levels(power.size());
  for (std::size_t b = 0; b < power.size(); ++b) {
    // A band above the signal's Nyquist frequency holds nothing: far below any threshold.
    const double width = t.upper_hz[b] - t.lower_hz[b];
    levels[b] = 10.0 * std::log10(std::max(power[b] / width, 1e-30)) + calibration_db_spl + level_offset_db;
  }
  return levels;
}

SiiEar sii_ear(const EarProfile& ear, SiiProcedure procedure) {
  SiiEar out;
  for (double f : sii_band_table(procedure).centre_hz) {
    out.threshold_db_hl.push_back(ear.sensorineural_loss_db_hl(f));
    out.conductive_db.push_back(ear.conductive_loss_db(f));
  }
  return out;
}

}  // namespace earshot

namespace earshot {

double effort_level_db_spl(VocalEffort e) {
  switch (e) {
    case VocalEffort::normal: return 62.35;
    case VocalEffort::raised: return 68.34;
    case VocalEffort::loud: return 74.85;
    case VocalEffort::shout: return 82.30;
  }
  return 62.35;
}

bool sii_applies(const EarProfile& ear) { return !ear.implant; }

Result<SiiScores> score_sii(const SiiRequest& req) {
  // The SII's audibility is acoustic: it has no account of electric hearing.
  for (int ear = 0; ear < 2; ++ear) {
    const EarProfile& p = req.listener.ear(ear);
    if (!sii_applies(p) && !req.acoustic_ears_only) {
      return SpecErrors{{std::string("listener.") + (ear == 0 ? "left" : "right"),
                         "the SII models acoustic hearing and cannot score a cochlear implant (" + p.label + ")"}};
    }
  }
  if (req.speech.has_value() == req.effort.has_value()) return SpecErrors{{"speech", "give a speech signal or a vocal effort (one of them)"}};
  const SiiProcedure p = req.procedure;
  const SiiBandTable& table = sii_band_table(p);
  const std::size_t bands = table.centre_hz.size();
  SiiScores r;
  r.band_centre_hz = table.centre_hz;

  // Speech: E' per ear (a mono signal's one spectrum serves both).
  std::vector<double> speech_db[2];
  std::optional<double> calibration;
  if (req.speech) {
    const SiiSignal& speech = *req.speech;
    std::vector<SpeechLevel> levels = speech.levels;
    if (levels.size() != speech.channels.size()) {
      levels.clear();
      for (const float* ch : speech.channels) {
        ActiveSpeechLevelMeter m(speech.sample_rate_hz);
        m.add(ch, speech.frames);
        levels.push_back(m.result());
      }
    }
    const SpeechLevel combined = combine_channels(levels);
    if (combined.silent) return SpecErrors{{"speech", "has no active speech (ITU-T P.56)"}};
    if (!speech.calibration_db_spl) return SpecErrors{{"speech.calibration_db_spl", "missing: the speech signal's calibration"}};
    calibration = speech.calibration_db_spl;
    r.speech_level_db_spl = combined.active_db + *calibration;
    r.speech_calibration_db_spl = calibration;
    for (std::size_t c = 0; c < speech.channels.size() && c < 2; ++c) {
      const SpeechLevel& l = levels[c];
      const double activity_db = l.silent ? 0.0 : -10.0 * std::log10(std::max(l.activity, 1e-6));
      speech_db[c] = sii_spectrum_levels(speech.channels[c], speech.frames, speech.sample_rate_hz, *calibration, p, activity_db);
    }
    if (speech.channels.size() == 1) speech_db[1] = speech_db[0];
  } else {
    auto standard = standard_speech_spectrum(p, *req.effort);
    if (!standard) {
      SpecErrors errors = standard.errors();
      for (auto& e : errors) e.field = e.field.empty() ? "effort" : "effort." + e.field;
      return errors;
    }
    speech_db[0] = speech_db[1] = standard.value();
    r.speech_level_db_spl = effort_level_db_spl(*req.effort);
  }

  // Noise: N' per ear (empty in quiet).
  std::vector<double> noise_db[2];
  if (req.noise) {
    const SiiSignal& noise = *req.noise;
    double sum = 0.0;
    std::size_t count = 0;
    for (const float* ch : noise.channels) {
      for (std::size_t i = 0; i < noise.frames; ++i) sum += double(ch[i]) * ch[i];
      count += noise.frames;
    }
    const double long_term_db = 10.0 * std::log10(std::max(sum / std::max<std::size_t>(count, 1), 1e-30));
    if (sum <= 0.0) return SpecErrors{{"noise", "is digital silence"}};
    double noise_cal = 0.0;
    if (noise.level_db_spl && !(*noise.level_db_spl >= 0.0 && *noise.level_db_spl <= 130.0)) {
      // The same range as a presentation level (engine/calibration.hpp; metrics does not link engine).
      return SpecErrors{{"noise.level_db_spl", format_number(*noise.level_db_spl) + " dB SPL is outside 0...130 dB SPL"}};
    }
    if (noise.level_db_spl) noise_cal = *noise.level_db_spl - long_term_db;
    else if (noise.calibration_db_spl) noise_cal = *noise.calibration_db_spl;
    else if (calibration) noise_cal = *calibration;
    else return SpecErrors{{"noise.level_db_spl", "missing: with a standard vocal effort, give the noise's level (or its calibration)"}};
    r.noise_level_db_spl = long_term_db + noise_cal;
    r.noise_calibration_db_spl = noise_cal;
    for (std::size_t c = 0; c < noise.channels.size() && c < 2; ++c) {
      noise_db[c] = sii_spectrum_levels(noise.channels[c], noise.frames, noise.sample_rate_hz, noise_cal, p);
    }
    if (noise.channels.size() == 1) noise_db[1] = noise_db[0];
  }

  // Each ear: its thresholds, and its conductive part taking off speech and noise alike.
  for (int ear = 0; ear < 2; ++ear) {
    const SiiEar e = sii_ear(req.listener.ear(ear), p);
    SiiInput in;
    in.procedure = p;
    in.speech_spectrum_db = speech_db[ear];
    in.noise_spectrum_db = noise_db[ear];
    in.threshold_db_hl = e.threshold_db_hl;
    for (std::size_t b = 0; b < bands; ++b) {
      in.speech_spectrum_db[b] -= e.conductive_db[b];
      if (!in.noise_spectrum_db.empty()) in.noise_spectrum_db[b] -= e.conductive_db[b];
    }
    r.ears[ear].speech_spectrum_db = in.speech_spectrum_db;
    if (!sii_applies(req.listener.ear(ear))) {
      r.ears[ear].applies = false;
      continue;
    }
    auto result = sii(in);
    if (!result) return result.errors();
    r.ears[ear].sii = result.value().sii;
    r.ears[ear].band_audibility = result.value().band_audibility;
  }
  return r;
}

}  // namespace earshot
