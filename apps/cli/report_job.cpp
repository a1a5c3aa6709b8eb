#include "apps/cli/report_job.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/text_format.hpp"
#include "apps/cli/output_file.hpp"
#include "report/electrodogram_chart.hpp"
#include "report/markup_text.hpp"
#include "report/ogg_vorbis_audio.hpp"
#include "report/png_image.hpp"
#include "report/report_charts.hpp"
#include "report/spectrogram_chart.hpp"
#include "apps/cli/score_job.hpp"
#include "engine/aided_speech_and_noise.hpp"
#include "engine/electrodogram_render.hpp"
#include "engine/engine.hpp"
#include "engine/input_check.hpp"
#include "metrics/spectrogram.hpp"
#include "metrics/stoi.hpp"
#include "report/hearing_aid_indices.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;
namespace {

// The speech range of each SII band on an audiogram: its spectrum level re the band's reference
// internal noise (ANSI S3.5's 0 dB HL), from 15 dB below (quiet parts) to 15 dB above (peaks).
std::vector<SpeechRange> speech_ranges(const SiiBandTable& t, const std::vector<double>& speech_db) {
  std::vector<SpeechRange> r;
  for (std::size_t b = 0; b < t.centre_hz.size(); ++b) {
    const double hl = speech_db[b] - t.internal_noise_db[b];
    r.push_back({t.centre_hz[b], hl - 15.0, hl + 15.0});
  }
  return r;
}

// Progress by stage, for a display on a terminal. The shares are rough: HASPI/HASQI are the largest
// stage (1.9 of 2.3 s CPU for 3.9 s of aided speech in noise, 4.8 of 6.1 s for 60 s and two ears),
// and the players' encoding took 465 of 1508 ms CPU before them for 60 s of 16 kHz speech in noise.
void report_progress(const ReportRequest& req, double fraction) {
  if (req.progress) req.progress(fraction);
}

std::string spectrogram_figure(const std::vector<float>& x, double fs, double cal, const std::string& caption) {
  const Spectrogram s = spectrogram(x.data(), x.size(), fs, cal);
  // The picture carries its axes (time in s, frequency in kHz), its dB SPL colour bar and the
  // caption as its title (report/spectrogram_chart.hpp).
  const SpectrogramChartOptions chart{.width_px = 900, .height_px = 320, .floor_db_spl = 0.0, .ceiling_db_spl = 90.0, .title = caption};
  const std::string png = spectrogram_chart(s, ChartFormat::png, chart);
  return "<figure><img alt=\"Spectrogram: " + escape_markup(caption) + "\" src=\"" + png_data_uri(png) +
         "\" width=\"900\" height=\"320\" style=\"max-width:100%;height:auto\"></figure>";
}

// A player for one sound: the calibrated samples as they are (never normalised: an ear that hears
// less plays quieter), as Ogg Vorbis in a data: URI (report/ogg_vorbis_audio.hpp).
std::string audio_figure(const std::vector<std::vector<float>>& channels, double fs, const std::string& caption) {
  return "<figure class=\"sound\"><audio controls preload=\"auto\" aria-label=\"" + escape_markup(caption) + "\" src=\"" +
         ogg_vorbis_data_uri(channels, fs) + "\"></audio><figcaption>" + escape_markup(caption) + "</figcaption></figure>";
}

// One way the ears are rendered and scored: "unaided", or "aided" (each ear with its aid in front).
struct Condition {
  std::string name;
  Listener listener;
  SiiEarReport sii[2];  // left, right; applies false for an implanted ear
  double stoi[2] = {0.0, 0.0}, estoi[2] = {0.0, 0.0};
  std::array<EarHearingAidIndices, 2> indices;  // HASPI v2 and HASQI v2 (report/hearing_aid_indices.hpp)
  std::vector<std::vector<float>> heard;  // the engine's outputs: one (ears alike) or two (left, right)
};

// The scores the report compares, a row each, by condition and ear (none: the score does not
// apply to that ear, or was not scored).
struct ScoreRow {
  const char* key;   // data-score
  const char* name;  // as shown
  std::optional<double> (*value)(const Condition& c, int ear);
};
constexpr ScoreRow kScoreRows[] = {
    {"sii", "SII", [](const Condition& c, int ear) { return c.sii[ear].applies ? std::optional<double>(c.sii[ear].sii) : std::nullopt; }},
    {"stoi", "STOI", [](const Condition& c, int ear) { return std::optional<double>(c.stoi[ear]); }},
    {"estoi", "ESTOI", [](const Condition& c, int ear) { return std::optional<double>(c.estoi[ear]); }},
    {"haspi", "HASPI v2", [](const Condition& c, int ear) { return c.indices[ear].haspi_v2.value; }},
    {"hasqi", "HASQI v2", [](const Condition& c, int ear) { return c.indices[ear].hasqi_v2.value; }},
};

// Why an ear has no HASPI or HASQI in a condition, in words ("" when both were scored, or when
// the report did not compute them): an implanted ear (one reason for both), or the ear model's
// refusal of the pair.
std::string indices_not_scored(const Condition& c, int ear) {
  const EarHearingAidIndices& i = c.indices[ear];
  if ((i.haspi_v2.value && i.hasqi_v2.value) || (i.haspi_v2.not_scored.empty() && i.hasqi_v2.not_scored.empty())) return "";
  if (!i.haspi_v2.value && !i.hasqi_v2.value && i.haspi_v2.not_scored == i.hasqi_v2.not_scored) {
    return "No HASPI or HASQI: " + i.haspi_v2.not_scored + ".";
  }
  std::string s;
  if (!i.haspi_v2.value) s += "No HASPI: " + i.haspi_v2.not_scored + ". ";
  if (!i.hasqi_v2.value) s += "No HASQI: " + i.hasqi_v2.not_scored + ". ";
  s.pop_back();
  return s;
}

// data-haspi="0.412" data-hasqi="0.153" (with a prefix "aided-" for the aided condition): the
// scores that were computed, for scripts.
std::string indices_attributes(const Condition& c, int ear, const std::string& prefix) {
  std::string a;
  if (c.indices[ear].haspi_v2.value) a += " data-" + prefix + "haspi=\"" + fmt("%.3f", *c.indices[ear].haspi_v2.value) + "\"";
  if (c.indices[ear].hasqi_v2.value) a += " data-" + prefix + "hasqi=\"" + fmt("%.3f", *c.indices[ear].hasqi_v2.value) + "\"";
  return a;
}

// An ear's aid in words: "NAL-R with WDRC (attack 5 ms, release 50 ms) and noise reduction", or "none".
std::string aid_text(const EarProfile& ear) {
  if (!ear.aid) return ear.implant ? "none (implanted ear)" : "none";
  const AidSettings& a = *ear.aid;
  std::string s = prescription_name(a.prescription);
  if (a.compression) s += " with WDRC (attack " + fmt("%g", a.attack_ms) + " ms, release " + fmt("%g", a.release_ms) + " ms)";
  if (a.noise_reduction) s += std::string(a.compression ? " and" : " with") + " noise reduction (floor " + fmt("%g", a.nr_floor_db) + " dB)";
  return s;
}

// An ear's card when the report compares unaided and aided: the SII (or, for an implanted ear,
// STOI) from one to the other, and every score in a table, unaided against aided.
std::string compare_card(const std::vector<Condition>& conditions, int ear, const std::string& title) {
  const Condition& u = conditions.front();
  const Condition& a = conditions.back();
  const char* name = ear_name(ear);
  const bool sii = u.sii[ear].applies;
  std::string card = "<div class=\"card\" data-ear=\"" + std::string(name) + "\"";
  if (sii) card += " data-sii=\"" + fmt("%.3f", u.sii[ear].sii) + "\" data-aided-sii=\"" + fmt("%.3f", a.sii[ear].sii) + "\"";
  card += " data-stoi=\"" + fmt("%.3f", u.stoi[ear]) + "\" data-aided-stoi=\"" + fmt("%.3f", a.stoi[ear]) + "\"" + indices_attributes(u, ear, "") +
          indices_attributes(a, ear, "aided-") + ">" + title;
  if (sii) {
    card += "<div class=\"big\">SII " + fmt("%.2f", u.sii[ear].sii) + " &rarr; " + fmt("%.2f", a.sii[ear].sii) + "</div><div>Aided: " +
            escape_markup(sii_reading(a.sii[ear].sii)) + "</div>";
  } else {
    card += "<div class=\"big\">STOI " + fmt("%.2f", u.stoi[ear]) + " &rarr; " + fmt("%.2f", a.stoi[ear]) +
            "</div><div>No SII: this ear hears through a cochlear implant, and the SII does not apply to an implanted ear.</div>";
  }
  card += "<table class=\"compare\"><tr><th>Score</th><th>Unaided</th><th>Aided</th><th>Change</th></tr>";
  for (const ScoreRow& row : kScoreRows) {
    const std::optional<double> before = row.value(u, ear), after = row.value(a, ear);
    if (!before || !after) continue;
    card += "<tr data-score=\"" + std::string(row.key) + "\"><th>" + row.name + "</th><td data-condition=\"unaided\">" + fmt("%.3f", *before) +
            "</td><td data-condition=\"aided\"" + (*after > *before ? " class=\"up\"" : "") + ">" + fmt("%.3f", *after) + "</td><td>" +
            fmt("%+.3f", *after - *before) + "</td></tr>";
  }
  card += "</table>";
  const std::string unscored_unaided = indices_not_scored(u, ear), unscored_aided = indices_not_scored(a, ear);
  if (!unscored_unaided.empty()) card += "<div class=\"not-scored\">" + escape_markup(unscored_unaided) + "</div>";
  if (!unscored_aided.empty() && unscored_aided != unscored_unaided) {
    card += "<div class=\"not-scored\">Aided: " + escape_markup(unscored_aided) + "</div>";
  }
  card += "<small>Aid: " + escape_markup(aid_text(*(ear == 0 ? &a.listener.left : &a.listener.right))) + "</small></div>";
  return card;
}

}  // namespace

ReportSummary write_report(const ReportRequest& req, OutputSet* into) {
  if (!req.scores.speech) throw CliError(kExitUsage, "a report needs a speech file");
  const fs::path speech_path = *req.scores.speech;
  const std::string ext = lowercase_extension(req.output);
  if (ext != ".html" && ext != ".htm") throw CliError(kExitOutput, "report '" + req.output.string() + "' must end in .html");
  OutputSet own_outputs;  // apps/cli/output_set.hpp; the caller's, if given, commits
  OutputSet& outputs = into ? *into : own_outputs;
  outputs.add_input(speech_path);
  if (req.scores.noise) outputs.add_input(*req.scores.noise);
  if (req.listener_file) outputs.add_input(*req.listener_file);
  outputs.claim(req.output);

  // Scores first: they validate the inputs and give the calibrations used. The SII scores the
  // acoustic ears; an implanted ear is scored by what it hears (STOI/ESTOI), as the library's
  // rule says (metrics/sii_inputs.hpp, sii_applies).
  SiiRequest scores = req.scores;
  scores.acoustic_ears_only = true;
  const SiiAudio audio = read_sii_audio(scores);
  const SiiReport sii = score_sii(scores, audio);
  report_progress(req, 0.05);
  const double cal = *sii.speech_calibration_db_spl;

  // What reaches the ears: speech, plus the noise (at the speech's rate, looped to its length) at its level.
  const AudioData& speech = *audio.speech;
  const double fs = speech.info.sample_rate_hz;
  for (const auto& e : check_input_format(fs, speech.info.channels)) {
    if (e.field == "sample_rate_hz") throw CliError(kExitInput, "speech sample rate " + fmt("%g", fs) + " Hz is outside 8000...192000 Hz");
  }
  // The noise as it reaches each input channel, on the speech's digital scale (the aided SII
  // takes speech and noise apart through the aid: engine/aided_speech_and_noise.hpp).
  const std::vector<std::vector<float>> noise_in =
      audio.noise ? noise_on_speech_scale(*audio.noise, fs, speech.channels.front().size(), speech.channels.size(), *sii.noise_calibration_db_spl, cal)
                  : std::vector<std::vector<float>>{};
  std::vector<std::vector<float>> mix = speech.channels;
  for (std::size_t c = 0; c < noise_in.size(); ++c) {
    for (std::size_t i = 0; i < mix[c].size(); ++i) mix[c][i] += noise_in[c][i];
  }

  // Unaided, and with an aid on either ear (--aid, or the profile's [left.aid]/[right.aid]) aided
  // too: the same ears, the same sound, rendered and scored each way.
  std::vector<Condition> conditions;
  const bool aided = has_aid(req.scores.listener);
  conditions.push_back(Condition{.name = "unaided", .listener = without_aids(req.scores.listener), .sii = {}, .indices = {}, .heard = {}});
  if (aided) conditions.push_back(Condition{.name = "aided", .listener = req.scores.listener, .sii = {}, .indices = {}, .heard = {}});
  for (Condition& c : conditions) {
    if (!aided) {
      // The report as it always was: the SII of the speech and noise files as they are.
      c.sii[0] = sii.left;
      c.sii[1] = sii.right;
    } else {
      // Both conditions the same way (the speech and the looped noise at the speech's rate, as
      // the ears receive them), so that the only difference between them is the aid.
      const auto scored = score_sii_at_ears(c.listener, speech.channels, noise_in, fs, cal, req.scores.procedure);
      c.sii[0] = scored[0];
      c.sii[1] = scored[1];
    }
    EngineSpec spec;
    spec.listener = c.listener;
    spec.input_channels = static_cast<int>(mix.size());
    spec.hearing.sample_rate_hz = fs;
    spec.hearing.calibration_db_spl = cal;
    spec.hearing.field = req.field;
    spec.hearing.seed = req.seed;
    auto plan = design_engine(spec);
    if (!plan) throw CliError(kExitUsage, describe(plan.errors()));
    c.heard = render_offline(std::make_shared<const EnginePlan>(std::move(plan).value()), mix, req.threads);
    report_progress(req, 0.05 + 0.15 * static_cast<double>(&c - conditions.data() + 1) / static_cast<double>(conditions.size()));

    // Intelligibility of what is heard at each ear, against the clean speech: every ear, acoustic
    // or implanted (STOI compares envelopes, whatever made them).
    for (int ear = 0; ear < 2; ++ear) {
      const auto& clean = speech.channels[std::min<std::size_t>(ear, speech.channels.size() - 1)];
      const auto& out = c.heard[std::min<std::size_t>(ear, c.heard.size() - 1)];
      if (ear == 1 && speech.channels.size() == 1 && c.heard.size() == 1) {  // both ears hear the same
        c.stoi[1] = c.stoi[0];
        c.estoi[1] = c.estoi[0];
        break;
      }
      const auto s = stoi(clean, out, fs);
      if (!s) throw CliError(kExitInput, describe(s.errors()));
      c.stoi[ear] = s.value().stoi;
      c.estoi[ear] = s.value().estoi;
    }
  }
  const Condition& unaided = conditions.front();
  ReportSummary summary;
  summary.output = req.output.string();
  if (unaided.sii[0].applies) summary.sii_left = unaided.sii[0].sii;
  if (unaided.sii[1].applies) summary.sii_right = unaided.sii[1].sii;
  summary.stoi_left = unaided.stoi[0];
  summary.stoi_right = unaided.stoi[1];
  if (aided) {
    const Condition& a = conditions.back();
    summary.aided = true;
    if (a.sii[0].applies) summary.aided_sii_left = a.sii[0].sii;
    if (a.sii[1].applies) summary.aided_sii_right = a.sii[1].sii;
    summary.aided_stoi_left = a.stoi[0];
    summary.aided_stoi_right = a.stoi[1];
  }
  report_progress(req, 0.25);
  if (req.scores_only) return summary;

  // HASPI v2 and HASQI v2 of each acoustic ear, unaided and (with an aid) aided, by the Clarity
  // challenges' definitions (report/hearing_aid_indices.hpp): the clean speech at its level against
  // what reaches the ear before the ear (the mix, or the aid's output for it), each index modelling
  // the ear's loss from its audiogram; the level is the render's calibration (HASPI's level1).
  // Not for the scores alone (apps/web's /api/score): they are the report's slowest scores.
  const HearingAidIndicesInput indices_input{.speech = &speech.channels, .noise = &noise_in, .sample_rate_hz = fs, .calibration_db_spl = cal, .seed = req.seed};
  for (Condition& c : conditions) {
    if (!req.hearing_aid_indices) break;
    c.indices = hearing_aid_indices(c.listener, indices_input);
    report_progress(req, 0.25 + 0.55 * static_cast<double>(&c - conditions.data() + 1) / static_cast<double>(conditions.size()));
  }
  summary.haspi_left = unaided.indices[0].haspi_v2.value;
  summary.haspi_right = unaided.indices[1].haspi_v2.value;
  summary.hasqi_left = unaided.indices[0].hasqi_v2.value;
  summary.hasqi_right = unaided.indices[1].hasqi_v2.value;
  if (aided) {
    const Condition& a = conditions.back();
    summary.aided_haspi_left = a.indices[0].haspi_v2.value;
    summary.aided_haspi_right = a.indices[1].haspi_v2.value;
    summary.aided_hasqi_left = a.indices[0].hasqi_v2.value;
    summary.aided_hasqi_right = a.indices[1].hasqi_v2.value;
  }

  const SiiBandTable& table = sii_band_table(req.scores.procedure);
  const EarProfile* ears[2] = {&req.scores.listener.left, &req.scores.listener.right};
  const SiiEarReport* sii_ears[2] = {&unaided.sii[0], &unaided.sii[1]};
  const bool any_implant = ears[0]->implant || ears[1]->implant;
  const std::vector<std::vector<float>>& heard = unaided.heard;
  std::string html;
  html += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>earshot report: " + escape_markup(speech_path.filename().string()) +
          "</title><style>"
          "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222;padding:0 1em}"
          "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}"
          ".scores{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;padding:.8em 1.2em;flex:1;min-width:260px}"
          ".big{font-size:2em;font-weight:bold}.right{color:#c0392b}.left{color:#1f5fbf}.charts{display:flex;flex-wrap:wrap;gap:1em}"
          "figure{margin:0 0 1em 0}figcaption{font-size:.9em;color:#555}small{color:#666}"
          ".sounds{display:flex;flex-wrap:wrap;gap:0 1.5em}.sound audio{width:300px;max-width:100%}"
          ".note{background:#f6f6f0;border-left:4px solid #c9b458;padding:.5em .8em}"
          "table.compare{border-collapse:collapse;margin:.4em 0}table.compare td,table.compare th{padding:.2em .8em;text-align:right}"
          "table.compare th:first-child{text-align:left}table.compare td.up{font-weight:bold}"
          "</style></head><body>";
  html += "<h1>What this listener hears" + std::string(aided ? ", unaided and aided" : "") + "</h1>";
  html += "<p>Speech <b>" + escape_markup(sii.speech_source) + "</b> at " + fmt("%.1f", sii.speech_level_db_spl) + " dB SPL (active speech level), " +
          (req.scores.noise ? "noise <b>" + escape_markup(sii.noise_source) + "</b> at " + fmt("%.1f", *sii.noise_level_db_spl) + " dB SPL" : std::string("in quiet")) +
          ". Listener: left <b>" + escape_markup(req.scores.listener.left.label) + "</b>, right <b>" + escape_markup(req.scores.listener.right.label) + "</b>.";
  if (audio.noise && audio.noise->info.sample_rate_hz != fs) {
    html += " The noise, recorded at " + fmt("%g", audio.noise->info.sample_rate_hz) + " Hz, was resampled to the speech's " + fmt("%g", fs) +
            " Hz to be mixed in.";
  }
  html += "</p>";
  if (aided) {
    html += "<p class=\"aids\">Hearing aids: left <b>" + escape_markup(aid_text(*ears[0])) + "</b>, right <b>" + escape_markup(aid_text(*ears[1])) +
            "</b>. Each ear is shown unaided and aided: the same sound, the same ear, with and without its aid in front.</p>";
  }
  html += "<h2>Scores</h2><div class=\"scores\">";
  for (int ear : {1, 0}) {
    const char* name = ear_name(ear);
    const std::string title = "<div class=\"" + std::string(name) + "\">" + (ear == 0 ? "Left ear" : "Right ear") + " (" + escape_markup(ears[ear]->label) + ")</div>";
    if (aided) {
      html += compare_card(conditions, ear, title);
      continue;
    }
    const std::string stoi_text = "STOI " + fmt("%.3f", unaided.stoi[ear]) + ", ESTOI " + fmt("%.3f", unaided.estoi[ear]) + " of what this ear hears against the clean speech";
    // HASPI v2 and HASQI v2 of the sound reaching this ear, where they were scored.
    const EarHearingAidIndices& indices = unaided.indices[ear];
    std::string indices_text;
    if (indices.haspi_v2.value) indices_text += "HASPI v2 " + fmt("%.3f", *indices.haspi_v2.value) + " (intelligibility)";
    if (indices.hasqi_v2.value) indices_text += std::string(indices_text.empty() ? "" : ", ") + "HASQI v2 " + fmt("%.3f", *indices.hasqi_v2.value) + " (quality)";
    if (!indices_text.empty()) indices_text = "<div class=\"indices\">" + indices_text + "</div>";
    const std::string unscored = indices_not_scored(unaided, ear);
    if (sii_ears[ear]->applies) {
      html += "<div class=\"card\" data-ear=\"" + std::string(name) + "\" data-sii=\"" + fmt("%.3f", sii_ears[ear]->sii) + "\" data-stoi=\"" +
              fmt("%.3f", unaided.stoi[ear]) + "\"" + indices_attributes(unaided, ear, "") + ">" + title + "<div class=\"big\">SII " +
              fmt("%.2f", sii_ears[ear]->sii) + "</div><div>" + escape_markup(sii_reading(sii_ears[ear]->sii)) + "</div>" + indices_text +
              (unscored.empty() ? std::string() : "<div class=\"not-scored\">" + escape_markup(unscored) + "</div>") + "<small>" + stoi_text +
              "</small></div>";
    } else {
      html += "<div class=\"card\" data-ear=\"" + std::string(name) + "\" data-stoi=\"" + fmt("%.3f", unaided.stoi[ear]) + "\"" +
              indices_attributes(unaided, ear, "") + ">" + title + "<div class=\"big\">STOI " + fmt("%.2f", unaided.stoi[ear]) + "</div><div>" +
              stoi_text + " (through its cochlear implant)</div>" + indices_text + "<small>No SII: this ear hears through a cochlear implant, and the SII does not apply to "
              "an implanted ear." + (unscored.empty() ? std::string() : " " + escape_markup(unscored)) + "</small></div>";
    }
  }
  html += "</div><p><small>SII: ANSI S3.5-1997, " + std::string(to_string(req.scores.procedure)) +
          " procedure: the share of speech information that is audible (0 to 1). Above about 0.75 communication is good, "
          "below about 0.45 poor. STOI/ESTOI (Taal et al. 2011, Jensen &amp; Taal 2016) compare the envelopes of what is "
          "heard, simulated by earshot's hearing-loss and implant models, with the clean speech. They do not depend on level, so they "
          "cannot tell that a sound is too soft to hear: where the SII is near 0, trust the SII.";
  if (req.hearing_aid_indices) {
    html += " HASPI v2 (Kates &amp; Arehart 2021: "
          "intelligibility) and HASQI v2 (Kates &amp; Arehart 2014: quality), each 0 to 1, run the sound as it reaches the ear" +
          std::string(aided ? " (the speech and noise, or with the aid, the aid's output for them)" : " (the speech and noise)") +
          " and the clean speech at its level through Kates' model of an ear with this audiogram, as the Clarity challenges score "
          "hearing aids: they model the loss themselves, and are level-aware (a digital RMS of 1 is " + fmt("%.1f", cal) +
          " dB SPL, the calibration of the whole report). An implanted ear has none: their ear model is acoustic.";
    const std::size_t frames = speech.channels.front().size();
    if (hearing_aid_indices_frames(frames, fs) < frames) {
      html += " HASPI and HASQI score the first " + fmt("%g", kHearingAidIndicesMaxSeconds) + " s of the " +
              fmt("%.1f", static_cast<double>(frames) / fs) + " s input, the other scores all of it: their ear model costs about "
              "0.13 s of CPU and 28 MB a second of sound, and they were fitted on sentences of a few seconds.";
    }
  }
  if (aided) {
    html += " Aided SII: the speech and the noise at the aid's output, taken apart by phase inversion (Hagerman &amp; Olofsson 2004: the "
            "aid hears speech plus noise and speech minus noise; half their sum is its speech, half their difference its noise), "
            "against the ear's own thresholds. Both columns score the speech and the noise as the ears receive them (the noise looped "
            "to the speech's length at its rate), so that the aid is the only difference.";
  }
  html += "</small></p>";
  if (any_implant) {
    html += "<p class=\"note sii-acoustic-only\">The SII is acoustic-only: it does not apply to an implanted ear. ANSI S3.5 rates how much "
            "of the speech is audible to acoustic hearing from its thresholds; it has no account of electric hearing through a cochlear "
            "implant. An implanted ear is scored by STOI/ESTOI of what it hears (the auralization of its implant's pulses) and shown by "
            "its electrodogram below.</p>";
  }

  // The sounds themselves, as calibrated as the pictures: the level the listener plays them at is theirs.
  report_progress(req, 0.8);
  html += "<h2>Listen</h2><p><small>Playback level is your own: the players play the sound at its calibrated digital level, never "
          "normalised, so an ear that hears less sounds quieter, but what reaches your ears depends on your device's volume. Set it "
          "once, with headphones, so that the input sounds like a person talking to you from one metre away (the page of "
          "<code>earshot serve</code> has a level guide), and then leave it alone while you compare. Ogg Vorbis (lossy, quality " +
          fmt("%g", kReportVorbisQuality) + ") keeps the page small.</small></p><div class=\"sounds\">";
  html += audio_figure(mix, fs, std::string("The input") + (req.scores.noise ? " (speech and noise)" : ""));
  for (const Condition& c : conditions) {
    const std::string how = aided ? ", " + c.name : "";
    if (c.heard.size() > 1) {
      html += audio_figure({c.heard[0]}, fs, "What the left ear hears" + how);
      html += audio_figure({c.heard[1]}, fs, "What the right ear hears" + how);
    } else {
      html += audio_figure({c.heard[0]}, fs, "What the listener hears (both ears)" + how);
    }
  }
  html += "</div>";

  report_progress(req, 0.9);  // the players' Ogg Vorbis encoding was a fifth of a report's time before HASPI/HASQI
  html += "<h2>Audiograms, with the range of this speech</h2><div class=\"charts\">";
  for (int ear : {1, 0}) {
    html += audiogram_svg(*ears[ear], ear == 0 ? Side::left : Side::right, speech_ranges(table, sii_ears[ear]->speech_spectrum_db));
  }
  html += "</div><p><small>Shaded: where this speech sits, per band, from its quiet parts (upper edge) to its peaks (lower "
          "edge)" + std::string(aided ? ", unaided" : "") + ". The part of the shading below an ear's line is loud enough for that ear to hear; the part above it is too "
          "soft.";
  if (any_implant) html += " An implanted ear's audiogram is its own acoustic hearing; it hears through its implant.";
  html += "</small></p>";
  if (unaided.sii[0].applies || unaided.sii[1].applies) {
    html += "<h2>How much of the speech is audible, per band" + std::string(aided ? ", unaided and aided" : "") + "</h2><div class=\"charts\">";
    for (int ear : {1, 0}) {
      for (const Condition& c : conditions) {
        if (!c.sii[ear].applies) continue;
        html += band_audibility_svg(table.centre_hz, c.sii[ear].band_audibility, c.sii[ear].sii, ear == 0 ? Side::left : Side::right,
                                    aided ? c.name : std::string());
      }
    }
    html += "</div>";
    for (int ear : {1, 0}) {
      if (!sii_ears[ear]->applies) html += std::string("<p><small>No band audibility for the ") + ear_name(ear) + " ear: the SII does not apply to an implanted ear.</small></p>";
    }
  }
  html += "<h2>Spectrograms</h2><p><small>0 to 8 kHz, colour from 0 dB SPL (dark) to 90 dB SPL (white), calibrated: "
          "what the listener loses in loudness shows as darkness.</small></p>";
  html += spectrogram_figure(mix.front(), fs, cal, std::string("The input") + (req.scores.noise ? " (speech and noise)" : ""));
  for (const Condition& c : conditions) {
    const std::string how = aided ? ", " + c.name : "";
    html += spectrogram_figure(c.heard.front(), fs, cal, std::string("What the ") + (c.heard.size() > 1 ? "left ear" : "listener") + " hears" + how);
    if (c.heard.size() > 1) html += spectrogram_figure(c.heard[1], fs, cal, "What the right ear hears" + how);
  }

  // Each implanted ear's pulses, for the input as the ear receives it, at the report's calibration
  // (one picture when both ears hear the same input through the same implant).
  if (any_implant) {
    html += "<h2>Electrodograms</h2>";
    const double seconds = static_cast<double>(mix.front().size()) / fs;
    const bool alike = heard.size() == 1;
    for (int ear : {1, 0}) {
      if (!ears[ear]->implant || (alike && ear == 0)) continue;
      auto rendered = render_electrodogram(mix, fs, req.scores.listener, ear_name(ear), CalibrationRequest{std::nullopt, cal});
      if (!rendered) throw CliError(kExitUsage, describe(rendered.errors()));
      const ElectrodogramRendering& r = rendered.value();
      const std::string whose = alike ? "Each ear's" : ear == 0 ? "Left ear's" : "Right ear's";
      const std::string caption = whose + " cochlear implant (" + ears[ear]->implant->device + "): " + std::to_string(r.pulses.size()) +
                                  " pulses in " + fmt("%.1f", seconds) + " s on " + std::to_string(r.plan->electrodes.size()) + " electrodes";
      html += "<figure class=\"electrodogram\" data-ear=\"" + std::string(alike ? "both" : ear_name(ear)) + "\"><img alt=\"" + escape_markup(caption) + "\" src=\"" +
              png_data_uri(electrodogram_chart(*r.plan, r.pulses, seconds, ChartFormat::png, {.width_px = 900, .ear = alike ? std::string() : std::string(ear_name(ear))})) +
              "\" style=\"width:100%;max-width:900px\"><figcaption>" + escape_markup(caption) +
              ". Each electrode's band on the left, basal (high pitch) at the top; current in µA on the colour bar.</figcaption></figure>";
    }
  }
  html += "<p><small>Made by earshot. Hearing-loss model: Moore, Glasberg, Baer &amp; Stone family (see the project's README).</small></p>";
  // For automated checks: how many pictures loaded, how many audiogram points are drawn, and how
  // many players have their sound decoded (HTMLMediaElement.readyState 2, HAVE_CURRENT_DATA, or more).
  html += "<script>(function(){var b=document.body;"
          "function sounds(){var a=Array.prototype.slice.call(document.querySelectorAll('audio'));b.dataset.audioTotal=a.length;"
          "b.dataset.audioReady=a.filter(function(m){return m.readyState>=2;}).length;"
          "b.dataset.audioFailed=a.filter(function(m){return m.error;}).length;}"
          "document.querySelectorAll('audio').forEach(function(m){['loadeddata','canplay','canplaythrough','error'].forEach(function(e){"
          "m.addEventListener(e,sounds);});});sounds();"
          "window.addEventListener('load',function(){var i=Array.prototype.slice.call(document.images);"
          "b.dataset.imagesTotal=i.length;b.dataset.imagesLoaded=i.filter(function(m){return m.complete&&m.naturalWidth>0;}).length;"
          "b.dataset.audiogramPoints=document.querySelectorAll('svg .point').length;sounds();});})();</script>";
  html += "</body></html>\n";
  summary.html_bytes = html.size();
  report_progress(req, 1.0);
  outputs.write(req.output, html);
  if (!into) outputs.commit();
  return summary;
}

std::string to_text(const ReportSummary& s) {
  auto sii = [](const std::optional<double>& v) { return v ? fmt("%.2f", *v) : std::string("none (implanted ear)"); };
  std::string text = "wrote " + s.output + " (" + fmt("%.0f", s.html_bytes / 1000.0) + " kB): " + (s.aided ? "unaided " : "") + "SII left " +
                     sii(s.sii_left) + ", right " + sii(s.sii_right) + "; STOI left " + fmt("%.3f", s.stoi_left) + ", right " + fmt("%.3f", s.stoi_right);
  auto index = [](const std::optional<double>& v) { return v ? fmt("%.3f", *v) : std::string("none"); };
  auto indices = [&](const std::optional<double>& haspi_left, const std::optional<double>& haspi_right, const std::optional<double>& hasqi_left,
                     const std::optional<double>& hasqi_right) {
    if (!haspi_left && !haspi_right && !hasqi_left && !hasqi_right) return std::string();
    return "; HASPI left " + index(haspi_left) + ", right " + index(haspi_right) + "; HASQI left " + index(hasqi_left) + ", right " + index(hasqi_right);
  };
  text += indices(s.haspi_left, s.haspi_right, s.hasqi_left, s.hasqi_right);
  if (s.aided) {
    text += "\n  aided SII left " + sii(s.aided_sii_left) + ", right " + sii(s.aided_sii_right) + "; STOI left " + fmt("%.3f", s.aided_stoi_left) +
            ", right " + fmt("%.3f", s.aided_stoi_right) + indices(s.aided_haspi_left, s.aided_haspi_right, s.aided_hasqi_left, s.aided_hasqi_right);
  }
  return text + "\n";
}

}  // namespace earshot::cli
