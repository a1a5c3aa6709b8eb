#include "apps/cli/report_job.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/text_format.hpp"
#include "apps/cli/output_file.hpp"
#include "report/png_image.hpp"
#include "report/report_charts.hpp"
#include "report/spectrogram_chart.hpp"
#include "apps/cli/score_job.hpp"
#include "engine/engine.hpp"
#include "engine/input_check.hpp"
#include "metrics/spectrogram.hpp"
#include "metrics/stoi.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

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

std::string spectrogram_figure(const std::vector<float>& x, double fs, double cal, const std::string& caption) {
  const Spectrogram s = spectrogram(x.data(), x.size(), fs, cal);
  // The picture carries its axes (time in s, frequency in kHz), its dB SPL colour bar and the
  // caption as its title (report/spectrogram_chart.hpp).
  const SpectrogramChartOptions chart{.width_px = 900, .height_px = 320, .floor_db_spl = 0.0, .ceiling_db_spl = 90.0, .title = caption};
  const std::string png = spectrogram_chart(s, ChartFormat::png, chart);
  return "<figure><img alt=\"Spectrogram: " + escape(caption) + "\" src=\"" + png_data_uri(png) +
         "\" width=\"900\" height=\"320\" style=\"max-width:100%;height:auto\"></figure>";
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

  // Scores first: they validate the inputs and give the calibrations used.
  const SiiAudio audio = read_sii_audio(req.scores);
  const SiiReport sii = score_sii(req.scores, audio);
  const double cal = *sii.speech_calibration_db_spl;

  // What reaches the ears: speech, plus the noise (looped to the speech's length) at its level.
  const AudioData& speech = *audio.speech;
  const double fs = speech.info.sample_rate_hz;
  for (const auto& e : check_input_format(fs, speech.info.channels)) {
    if (e.field == "sample_rate_hz") throw CliError(kExitInput, "speech sample rate " + fmt("%g", fs) + " Hz is outside 8000...192000 Hz");
  }
  std::vector<std::vector<float>> mix = speech.channels;
  if (audio.noise) {
    const AudioData& noise = *audio.noise;
    if (noise.info.sample_rate_hz != fs) {
      throw CliError(kExitInput, "the report mixes noise into the speech: give them at the same rate (speech " + fmt("%g", fs) +
                                     " Hz, noise " + fmt("%g", noise.info.sample_rate_hz) + " Hz)");
    }
    const float gain = static_cast<float>(std::pow(10.0, (*sii.noise_calibration_db_spl - cal) / 20.0));
    for (std::size_t c = 0; c < mix.size(); ++c) {
      const auto& n = noise.channels[std::min(c, noise.channels.size() - 1)];
      for (std::size_t i = 0; i < mix[c].size(); ++i) mix[c][i] += gain * n[i % n.size()];
    }
  }
  EngineSpec spec;
  spec.listener = req.scores.listener;
  spec.input_channels = static_cast<int>(mix.size());
  spec.hearing.sample_rate_hz = fs;
  spec.hearing.calibration_db_spl = cal;
  spec.hearing.field = req.field;
  spec.hearing.seed = req.seed;
  auto plan = design_engine(spec);
  if (!plan) throw CliError(kExitUsage, describe(plan.errors()));
  const auto heard = render_offline(std::make_shared<const EnginePlan>(std::move(plan).value()), mix, req.threads);

  // Intelligibility of what is heard at each ear, against the clean speech.
  ReportSummary summary;
  summary.output = req.output.string();
  summary.sii_left = sii.left.sii;
  summary.sii_right = sii.right.sii;
  double stoi_ear[2] = {0.0, 0.0}, estoi_ear[2] = {0.0, 0.0};
  for (int ear = 0; ear < 2; ++ear) {
    const auto& clean = speech.channels[std::min<std::size_t>(ear, speech.channels.size() - 1)];
    const auto& out = heard[std::min<std::size_t>(ear, heard.size() - 1)];
    if (ear == 1 && speech.channels.size() == 1 && heard.size() == 1) {  // both ears hear the same
      stoi_ear[1] = stoi_ear[0];
      estoi_ear[1] = estoi_ear[0];
      break;
    }
    const auto s = stoi(clean, out, fs);
    if (!s) throw CliError(kExitInput, describe(s.errors()));
    stoi_ear[ear] = s.value().stoi;
    estoi_ear[ear] = s.value().estoi;
  }
  summary.stoi_left = stoi_ear[0];
  summary.stoi_right = stoi_ear[1];

  const SiiBandTable& table = sii_band_table(req.scores.procedure);
  std::string html;
  html += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>earshot report: " + escape(speech_path.filename().string()) +
          "</title><style>"
          "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222;padding:0 1em}"
          "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}"
          ".scores{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;padding:.8em 1.2em;flex:1;min-width:260px}"
          ".big{font-size:2em;font-weight:bold}.right{color:#c0392b}.left{color:#1f5fbf}.charts{display:flex;flex-wrap:wrap;gap:1em}"
          "figure{margin:0 0 1em 0}figcaption{font-size:.9em;color:#555}small{color:#666}"
          "</style></head><body>";
  html += "<h1>What this listener hears</h1>";
  html += "<p>Speech <b>" + escape(sii.speech_source) + "</b> at " + fmt("%.1f", sii.speech_level_db_spl) + " dB SPL (active speech level), " +
          (req.scores.noise ? "noise <b>" + escape(sii.noise_source) + "</b> at " + fmt("%.1f", *sii.noise_level_db_spl) + " dB SPL" : std::string("in quiet")) +
          ". Listener: left <b>" + escape(req.scores.listener.left.label) + "</b>, right <b>" + escape(req.scores.listener.right.label) + "</b>.</p>";
  html += "<h2>Scores</h2><div class=\"scores\">";
  const EarProfile* ears[2] = {&req.scores.listener.left, &req.scores.listener.right};
  const SiiEarReport* sii_ears[2] = {&sii.left, &sii.right};
  for (int ear : {1, 0}) {
    const char* name = ear_name(ear);
    html += "<div class=\"card\"><div class=\"" + std::string(name) + "\">" + (ear == 0 ? "Left ear" : "Right ear") + " (" +
            escape(ears[ear]->label) + ")</div><div class=\"big\">SII " + fmt("%.2f", sii_ears[ear]->sii) + "</div><div>" +
            escape(sii_reading(sii_ears[ear]->sii)) + "</div><small>STOI " + fmt("%.3f", stoi_ear[ear]) + ", ESTOI " +
            fmt("%.3f", estoi_ear[ear]) + " of what this ear hears against the clean speech</small></div>";
  }
  html += "</div><p><small>SII: ANSI S3.5-1997, " + std::string(to_string(req.scores.procedure)) +
          " procedure: the share of speech information that is audible (0 to 1). Above about 0.75 communication is good, "
          "below about 0.45 poor. STOI/ESTOI (Taal et al. 2011, Jensen &amp; Taal 2016) compare the envelopes of what is "
          "heard, simulated by earshot's hearing-loss model, with the clean speech. They do not depend on level, so they "
          "cannot tell that a sound is too soft to hear: where the SII is near 0, trust the SII.</small></p>";
  html += "<h2>Audiograms, with the range of this speech</h2><div class=\"charts\">";
  for (int ear : {1, 0}) {
    html += audiogram_svg(*ears[ear], ear == 0 ? Side::left : Side::right, speech_ranges(table, sii_ears[ear]->speech_spectrum_db));
  }
  html += "</div><p><small>Shaded: where this speech sits, per band, from its quiet parts (upper edge) to its peaks (lower "
          "edge). The part of the shading below an ear's line is loud enough for that ear to hear; the part above it is too "
          "soft.</small></p>";
  html += "<h2>How much of the speech is audible, per band</h2><div class=\"charts\">";
  for (int ear : {1, 0}) {
    html += band_audibility_svg(table.centre_hz, sii_ears[ear]->band_audibility, sii_ears[ear]->sii, ear == 0 ? Side::left : Side::right);
  }
  html += "</div><h2>Spectrograms</h2><p><small>0 to 8 kHz, colour from 0 dB SPL (dark) to 90 dB SPL (white), calibrated: "
          "what the listener loses in loudness shows as darkness.</small></p>";
  html += spectrogram_figure(mix.front(), fs, cal, std::string("The input") + (req.scores.noise ? " (speech and noise)" : ""));
  html += spectrogram_figure(heard.front(), fs, cal, std::string("What the ") + (heard.size() > 1 ? "left ear" : "listener") + " hears");
  if (heard.size() > 1) html += spectrogram_figure(heard[1], fs, cal, "What the right ear hears");
  html += "<p><small>Made by earshot. Hearing-loss model: Moore, Glasberg, Baer &amp; Stone family (see the project's README).</small></p>";
  // For automated checks: how many pictures loaded, and how many audiogram points are drawn.
  html += "<script>window.addEventListener('load',function(){var i=Array.prototype.slice.call(document.images);"
          "document.body.dataset.imagesTotal=i.length;document.body.dataset.imagesLoaded=i.filter(function(m){return m.complete&&m.naturalWidth>0;}).length;"
          "document.body.dataset.audiogramPoints=document.querySelectorAll('svg .point').length;});</script>";
  html += "</body></html>\n";
  outputs.write(req.output, html);
  if (!into) outputs.commit();
  return summary;
}

}  // namespace earshot::cli
