#include "batch/batch_scores.hpp"

#include <cstdio>

namespace earshot {
namespace {

std::string number(const std::optional<double>& v, const char* format) {
  if (!v) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, *v);
  return buf;
}

}  // namespace

const char* to_string(BatchRowStatus status) {
  switch (status) {
    case BatchRowStatus::rendered: return "rendered";
    case BatchRowStatus::skipped: return "skipped";
    case BatchRowStatus::failed: return "failed";
  }
  return "failed";
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string batch_scores_header() {
  return "line,input,listener,output,status,error,seed,sample_rate_hz,frames,input_active_db_spl,input_long_term_db_spl,"
         "output_left_db_spl,output_right_db_spl,stoi_left,estoi_left,stoi_right,estoi_right,sii_left,sii_right,"
         "haspi_v2_left,haspi_v2_right,hasqi_v2_left,hasqi_v2_right";
}

std::string batch_scores_line(const BatchRowResult& r) {
  const bool scored = r.status != BatchRowStatus::failed;
  auto sii = [&](const BatchEarScores& ear) -> std::string {
    if (ear.sii_not_applicable) return scored ? "n/a" : "";
    return number(ear.sii, "%.6f");
  };
  std::string s;
  s += std::to_string(r.line) + ",";
  s += csv_field(r.input) + "," + csv_field(r.listener) + "," + csv_field(r.output) + ",";
  s += std::string(to_string(r.status)) + "," + csv_field(r.error) + ",";
  s += std::to_string(r.seed) + ",";
  s += number(r.sample_rate_hz, "%g") + ",";
  s += (r.frames ? std::to_string(*r.frames) : std::string()) + ",";
  s += number(r.input_active_db_spl, "%.3f") + "," + number(r.input_long_term_db_spl, "%.3f") + ",";
  s += number(r.left.output_db_spl, "%.3f") + "," + number(r.right.output_db_spl, "%.3f") + ",";
  s += number(r.left.stoi, "%.6f") + "," + number(r.left.estoi, "%.6f") + ",";
  s += number(r.right.stoi, "%.6f") + "," + number(r.right.estoi, "%.6f") + ",";
  s += sii(r.left) + "," + sii(r.right) + ",";
  auto index = [&](const BatchEarScores& ear, const std::optional<double>& value) -> std::string {
    if (ear.indices_not_applicable) return scored ? "n/a" : "";
    return number(value, "%.6f");
  };
  s += index(r.left, r.left.haspi_v2) + "," + index(r.right, r.right.haspi_v2) + ",";
  s += index(r.left, r.left.hasqi_v2) + "," + index(r.right, r.right.hasqi_v2);
  return s;
}

std::string batch_scores_csv(const std::vector<BatchRowResult>& rows) {
  std::string s = batch_scores_header() + "\n";
  for (const auto& r : rows) s += batch_scores_line(r) + "\n";
  return s;
}

}  // namespace earshot
