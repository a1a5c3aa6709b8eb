#include "formats/listener_spec_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "model/implant_presets.hpp"
#include "support/decimal_number.hpp"
#include "audiology/presets.hpp"

namespace earshot {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())) || s.front() == ',' || s.front() == ';'))
    s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ',' || s.back() == ';'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return parts;
}

// "70" -> 70; "95dba" with suffix "dba" -> 95; "25y" with suffix "y" -> 25.
bool number_with_suffix(const std::string& s, std::string_view suffix, double& out) {
  std::string body = s;
  if (!suffix.empty() && body.size() > suffix.size() && body.ends_with(suffix)) body.resize(body.size() - suffix.size());
  // Plain decimal, nothing around it: "age: 70" (a space) and "0x46" are refused, not read as 70.
  return parse_decimal(body, out);
}

SpecError error(std::string_view field, std::string message) { return {std::string(field), std::move(message)}; }

// Parses SEX[:pNN] from parts[i...]; returns false with an error pushed.
bool parse_sex_percentile(const std::vector<std::string>& parts, std::size_t i, std::string_view field, Sex& sex,
                          double& fraction_worse, SpecErrors& errors) {
  if (i >= parts.size()) {
    errors.push_back(error(field, "missing sex: add ':male' or ':female'"));
    return false;
  }
  if (parts[i] == "male" || parts[i] == "m") sex = Sex::male;
  else if (parts[i] == "female" || parts[i] == "f") sex = Sex::female;
  else {
    errors.push_back(error(field, "'" + parts[i] + "' is not a sex: use 'male' or 'female'"));
    return false;
  }
  fraction_worse = 0.5;
  if (i + 1 < parts.size()) {
    double pct = 0.0;
    if (parts[i + 1].size() < 2 || parts[i + 1][0] != 'p' || !number_with_suffix(parts[i + 1].substr(1), "", pct) ||
        pct < 5.0 || pct > 95.0) {
      errors.push_back(error(field, "'" + parts[i + 1] + "' is not a percentile: use p5...p95 (p90: worse than 90% of people)"));
      return false;
    }
    fraction_worse = 1.0 - pct / 100.0;
  }
  if (i + 2 < parts.size()) {
    errors.push_back(error(field, "unexpected '" + parts[i + 2] + "' after the percentile"));
    return false;
  }
  return true;
}

Result<EarProfile> parse_age(const std::vector<std::string>& parts, std::size_t at, std::string_view field,
                             std::string_view label, std::optional<std::pair<double, double>> noise) {
  SpecErrors errors;
  double age = 0.0;
  if (at >= parts.size() || !number_with_suffix(parts[at], "y", age)) {
    errors.push_back(error(field, "age needs a number of years, e.g. 'age:70:female'"));
    return errors;
  }
  if (age < 18.0 || age > 100.0) {
    errors.push_back(error(field, format_number(age) + " years is outside ISO 7029's 18...100 years"));
    return errors;
  }
  Sex sex = Sex::male;
  double fraction_worse = 0.5;
  if (!parse_sex_percentile(parts, at + 1, field, sex, fraction_worse, errors)) return errors;
  EarProfile ear;
  ear.label = std::string(label);
  ear.air_db_hl = noise ? iso1999_audiogram(noise->first, noise->second, age, sex, fraction_worse)
                        : iso7029_audiogram(age, sex, fraction_worse);
  for (auto& p : ear.air_db_hl.points) p.level_db_hl = std::min(p.level_db_hl, kAudiogramMaxLevelDbHl);
  return ear;
}

Result<EarProfile> parse_noise(const std::vector<std::string>& parts, std::string_view field, std::string_view label) {
  SpecErrors errors;
  double level = 0.0, years = 0.0;
  if (parts.size() < 3 || !number_with_suffix(parts[1], "dba", level)) {
    errors.push_back(error(field, "noise needs an exposure level, e.g. 'noise:95dBA:25y:age:50:male'"));
    return errors;
  }
  if (level < 70.0 || level > 120.0) {
    errors.push_back(error(field, parts[1] + " is outside ISO 1999's 70...120 dB(A) daily exposure (8 h)"));
    return errors;
  }
  if (!number_with_suffix(parts[2], "y", years) || years <= 0.0 || years > 60.0) {
    errors.push_back(error(field, "'" + parts[2] + "' is not an exposure time of 0...60 years, e.g. '25y'"));
    return errors;
  }
  if (parts.size() < 4 || parts[3] != "age") {
    errors.push_back(error(field, "noise exposure needs the listener's age and sex: '...:age:50:male'"));
    return errors;
  }
  return parse_age(parts, 4, field, label, std::make_pair(level, years));
}

}  // namespace

Result<EarProfile> parse_ear_spec(std::string_view raw, std::string_view field) {
  const std::string_view text = trim(raw);
  const std::string key = lower(text);
  if (key.empty()) return SpecErrors{error(field, "empty listener: give a preset (e.g. N3) or an audiogram")};
  if (key == "normal") {
    EarProfile ear = normal_ear();
    return ear;
  }
  if (key == "deaf") {  // no usable hearing: the audiometer's limit everywhere (a scene's "processors off")
    EarProfile ear;
    ear.label = "deaf";
    ear.air_db_hl = deaf_ear_audiogram();
    return ear;
  }
  if (auto b = bisgaard_audiogram(key)) {
    EarProfile ear;
    ear.label = b->name;
    ear.air_db_hl = b->audiogram;
    return ear;
  }
  if (is_implant_preset_name(key)) {
    auto preset = implant_preset(key);
    if (!preset) {
      return SpecErrors{error(field, "unknown implant '" + std::string(text) +
                                         "': use ci:nucleus-ace, ci:ab-hires, ci:medel-cis, eas:nucleus-hybrid, "
                                         "vocoder:noise-N or vocoder:sine-N (N = 1..." + std::to_string(kMaxVocoderBands) +
                                         "), or a .toml map (earshot listeners lists them)")};
    }
    EarProfile ear;
    ear.label = preset->name;
    ear.air_db_hl = preset->residual_hearing_db_hl;
    ear.implant = preset->map;
    return ear;
  }
  const auto parts = split(key, ':');
  if (parts[0] == "age") return parse_age(parts, 1, field, text, std::nullopt);
  if (parts[0] == "noise") return parse_noise(parts, field, text);
  if (std::isdigit(static_cast<unsigned char>(key[0]))) {
    AudiogramParse parsed = parse_audiogram(text, std::string(field) + ".audiogram");
    SpecErrors errors = std::move(parsed.errors);
    if (errors.empty()) errors = validate(parsed.audiogram, std::string(field) + ".audiogram");
    if (!errors.empty()) return errors;
    EarProfile ear;
    ear.label = std::string(text);
    ear.air_db_hl = std::move(parsed.audiogram);
    return ear;
  }
  return SpecErrors{error(field, "unknown listener '" + std::string(text) +
                                     "': use normal, deaf, N1-N7, S1-S3, age:AGE:SEX, noise:LdBA:Ny:age:AGE:SEX, an audiogram "
                                     "'250:20,1000:35,...', ci:nucleus-ace (and other implants), a .toml profile, or left=...,right=... "
                                     "(earshot listeners lists them)")};
}

Result<Listener> parse_listener_spec(std::string_view raw, std::string_view field) {
  const std::string text(trim(raw));
  const std::string key = lower(text);
  const std::size_t left_at = key.find("left=");
  const std::size_t right_at = key.find("right=");
  if (left_at == std::string::npos && right_at == std::string::npos) {
    auto ear = parse_ear_spec(text, field);
    if (!ear) return ear.errors();
    return Listener{ear.value(), ear.value()};
  }
  SpecErrors errors;
  if (left_at == std::string::npos) errors.push_back(error(std::string(field) + ".left", "missing: give left=...,right=..."));
  if (right_at == std::string::npos) errors.push_back(error(std::string(field) + ".right", "missing: give left=...,right=..."));
  if (!errors.empty()) return errors;
  const std::size_t first = std::min(left_at, right_at);
  if (!trim(std::string_view(text).substr(0, first)).empty()) {
    errors.push_back(error(field, "unexpected '" + text.substr(0, first) + "' before " + (left_at < right_at ? "left=" : "right=")));
    return errors;
  }
  auto segment = [&](std::size_t at, std::size_t key_len) {
    const std::size_t begin = at + key_len;
    const std::size_t other = at == left_at ? right_at : left_at;
    const std::size_t end = other > at ? other : std::string::npos;
    return std::string_view(text).substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  };
  auto left = parse_ear_spec(segment(left_at, 5), std::string(field) + ".left");
  auto right = parse_ear_spec(segment(right_at, 6), std::string(field) + ".right");
  if (!left) errors.insert(errors.end(), left.errors().begin(), left.errors().end());
  if (!right) errors.insert(errors.end(), right.errors().begin(), right.errors().end());
  if (!errors.empty()) return errors;
  return Listener{left.value(), right.value()};
}

}  // namespace earshot
