#include "report/report_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "support/spec_error.hpp"

namespace earshot {
namespace {

constexpr double kX0 = 60, kX1 = 460, kY0 = 40, kY1 = 340;
constexpr double kMinHz = 125, kMaxHz = 8000, kMinDb = -10, kMaxDb = 120;

double fx(double f) { return kX0 + std::log2(std::clamp(f, kMinHz, kMaxHz) / kMinHz) / 6.0 * (kX1 - kX0); }
double fy(double db) { return kY0 + (std::clamp(db, kMinDb, kMaxDb) - kMinDb) / (kMaxDb - kMinDb) * (kY1 - kY0); }

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Axis labels: 125, 250, 1k, 1.5k.
std::string label(double f) { return f >= 1000 ? format_number(f / 1000) + "k" : format_number(f); }

}  // namespace

std::string audiogram_svg(const EarProfile& ear, Side side, const std::vector<SpeechRange>& speech) {
  const bool right = side == Side::right;
  const char* colour = right ? "#c0392b" : "#1f5fbf";
  std::string s = "<svg class=\"audiogram " + std::string(right ? "right" : "left") +
                  "\" viewBox=\"0 0 480 380\" width=\"480\" height=\"380\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">";
  s += "<title>" + std::string(right ? "Right" : "Left") + " ear audiogram: " + ear.label + "</title>";
  s += "<text x=\"260\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" fill=\"" + std::string(colour) + "\">" +
       (right ? "Right ear" : "Left ear") + "</text>";
  // Speech range, behind everything.
  std::vector<SpeechRange> band;
  for (const auto& r : speech) {
    if (r.frequency_hz >= kMinHz && r.frequency_hz <= kMaxHz) band.push_back(r);
  }
  if (!band.empty()) {
    std::string points;
    for (const auto& r : band) points += num(fx(r.frequency_hz)) + "," + num(fy(r.quiet_db_hl)) + " ";
    for (auto it = band.rbegin(); it != band.rend(); ++it) points += num(fx(it->frequency_hz)) + "," + num(fy(it->peak_db_hl)) + " ";
    s += "<polygon class=\"speech-range\" points=\"" + points + "\" fill=\"#f5b041\" fill-opacity=\"0.35\" stroke=\"#e67e22\" stroke-width=\"1\"/>";
  }
  // Grid and axes.
  for (double db = kMinDb; db <= kMaxDb; db += 10) {
    s += "<line x1=\"" + num(kX0) + "\" x2=\"" + num(kX1) + "\" y1=\"" + num(fy(db)) + "\" y2=\"" + num(fy(db)) +
         "\" stroke=\"#ccc\" stroke-width=\"" + (db == 0 ? "1.5" : "0.7") + "\"/>";
    s += "<text x=\"" + num(kX0 - 8) + "\" y=\"" + num(fy(db) + 4) + "\" text-anchor=\"end\" font-size=\"11\">" + format_number(db) + "</text>";
  }
  for (double f : {125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0}) {
    s += "<line x1=\"" + num(fx(f)) + "\" x2=\"" + num(fx(f)) + "\" y1=\"" + num(kY0) + "\" y2=\"" + num(kY1) + "\" stroke=\"#bbb\" stroke-width=\"0.8\"/>";
    s += "<text x=\"" + num(fx(f)) + "\" y=\"" + num(kY1 + 16) + "\" text-anchor=\"middle\" font-size=\"11\">" + label(f) + "</text>";
  }
  for (double f : {750.0, 1500.0, 3000.0, 6000.0}) {
    s += "<line x1=\"" + num(fx(f)) + "\" x2=\"" + num(fx(f)) + "\" y1=\"" + num(kY0) + "\" y2=\"" + num(kY1) +
         "\" stroke=\"#ddd\" stroke-width=\"0.6\" stroke-dasharray=\"3,3\"/>";
  }
  s += "<text x=\"" + num((kX0 + kX1) / 2) + "\" y=\"" + num(kY1 + 34) + "\" text-anchor=\"middle\" font-size=\"12\">Frequency (Hz)</text>";
  s += "<text transform=\"translate(16," + num((kY0 + kY1) / 2) + ") rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">Hearing level (dB HL)</text>";
  // Air conduction: joined symbols.
  std::vector<AudiogramPoint> air;
  for (const auto& p : ear.air_db_hl.points) {
    if (p.frequency_hz >= kMinHz && p.frequency_hz <= kMaxHz) air.push_back(p);
  }
  std::string line;
  for (const auto& p : air) line += num(fx(p.frequency_hz)) + "," + num(fy(p.level_db_hl)) + " ";
  s += "<polyline points=\"" + line + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.6\"/>";
  for (const auto& p : air) {
    const double x = fx(p.frequency_hz), y = fy(p.level_db_hl);
    s += "<g class=\"point " + std::string(right ? "right" : "left") + "\" data-frequency-hz=\"" + num(p.frequency_hz) +
         "\" data-level-db-hl=\"" + num(p.level_db_hl) + "\">";
    if (right) {
      s += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"6\" fill=\"white\" stroke=\"" + colour + "\" stroke-width=\"2\"/>";
    } else {
      s += "<path d=\"M" + num(x - 5) + "," + num(y - 5) + " L" + num(x + 5) + "," + num(y + 5) + " M" + num(x - 5) + "," + num(y + 5) +
           " L" + num(x + 5) + "," + num(y - 5) + "\" stroke=\"" + colour + "\" stroke-width=\"2.2\"/>";
    }
    s += "</g>";
  }
  // Bone conduction where there is a conductive part: < (right) or > (left), unjoined.
  for (const auto& g : ear.air_bone_gap_db.points) {
    if (g.frequency_hz < kMinHz || g.frequency_hz > kMaxHz || g.level_db_hl <= 0.0) continue;
    const double x = fx(g.frequency_hz) + (right ? -10 : 10), y = fy(ear.air_loss_db_hl(g.frequency_hz) - g.level_db_hl);
    s += "<text class=\"bone\" x=\"" + num(x) + "\" y=\"" + num(y + 5) + "\" text-anchor=\"middle\" font-size=\"15\" fill=\"" + colour +
         "\">" + (right ? "&lt;" : "&gt;") + "</text>";
  }
  s += "</svg>";
  return s;
}

std::string band_audibility_svg(const std::vector<double>& centre_hz, const std::vector<double>& audibility, double sii, Side side,
                                const std::string& condition) {
  const bool right = side == Side::right;
  const char* colour = right ? "#c0392b" : "#1f5fbf";
  const double x0 = 50, x1 = 460, y0 = 40, y1 = 200;
  const double w = (x1 - x0) / centre_hz.size();
  const std::string how = condition.empty() ? "" : ", " + condition;
  std::string s = "<svg class=\"audibility\"" + (condition.empty() ? std::string() : " data-condition=\"" + condition + "\"") +
                  " viewBox=\"0 0 480 240\" width=\"480\" height=\"240\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">";
  s += "<title>Band audibility, " + std::string(right ? "right" : "left") + " ear" + how + "</title>";
  char title[128];
  std::snprintf(title, sizeof title, "%s ear%s: speech audible per band (SII %.2f)", right ? "Right" : "Left", how.c_str(), sii);
  s += "<text x=\"255\" y=\"22\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">" + std::string(title) + "</text>";
  for (double a : {0.0, 0.5, 1.0}) {
    const double y = y1 - a * (y1 - y0);
    s += "<line x1=\"" + num(x0) + "\" x2=\"" + num(x1) + "\" y1=\"" + num(y) + "\" y2=\"" + num(y) + "\" stroke=\"#ccc\"/>";
    s += "<text x=\"" + num(x0 - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\" font-size=\"11\">" + format_number(a * 100) + "%</text>";
  }
  for (std::size_t b = 0; b < centre_hz.size(); ++b) {
    const double h = std::clamp(audibility[b], 0.0, 1.0) * (y1 - y0);
    s += "<rect x=\"" + num(x0 + b * w + 1) + "\" y=\"" + num(y1 - h) + "\" width=\"" + num(w - 2) + "\" height=\"" + num(h) +
         "\" fill=\"" + colour + "\" fill-opacity=\"0.75\"/>";
    if (b % 2 == 0) {
      s += "<text x=\"" + num(x0 + (b + 0.5) * w) + "\" y=\"" + num(y1 + 14) + "\" text-anchor=\"middle\" font-size=\"10\">" + label(centre_hz[b]) + "</text>";
    }
  }
  s += "<text x=\"255\" y=\"232\" text-anchor=\"middle\" font-size=\"11\">Band centre (Hz)</text></svg>";
  return s;
}

}  // namespace earshot
