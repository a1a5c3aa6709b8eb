#include "formats/profile_file.hpp"

#include <toml++/toml.h>

#include "formats/file_errors.hpp"
#include "formats/toml_document.hpp"
#include "formats/implant_profile.hpp"
#include "formats/listener_spec_parser.hpp"
#include "model/implant_presets.hpp"

namespace earshot {
namespace fs = std::filesystem;

bool looks_like_profile_path(std::string_view arg) {
  return arg.ends_with(".toml") || arg.ends_with(".TOML");
}

namespace {

std::vector<double> numbers(const toml::table& t, const char* key, const std::string& field, SpecErrors& errors) {
  std::vector<double> out;
  const toml::node* node = t.get(key);
  if (!node) return out;
  const toml::array* arr = node->as_array();
  if (!arr) {
    errors.push_back({field + "." + key, "must be an array of numbers"});
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto v = (*arr)[i].value<double>();
    if (!v) errors.push_back({field + "." + key + "[" + std::to_string(i) + "]", "must be a number"});
    else out.push_back(*v);
  }
  return out;
}

// [left.aid]: prescription = "nal-r" (audiology/prescription.hpp names the rules); optionally
// compression = true with attack_ms, release_ms and mpo_db_spl, and noise_reduction = true with
// nr_floor_db (model/aid_settings.hpp).
std::optional<AidSettings> read_aid(const toml::node* node, const std::string& field, SpecErrors& errors) {
  const toml::table* t = node ? node->as_table() : nullptr;
  if (!t) {
    errors.push_back({field, "must be a table: [" + field + "]"});
    return std::nullopt;
  }
  static const char* kKeys[] = {"prescription", "compression", "attack_ms", "release_ms", "mpo_db_spl", "noise_reduction", "nr_floor_db"};
  for (const auto& [k, v] : *t) {
    bool known = false;
    for (const char* key : kKeys) known = known || k.str() == key;
    if (!known) errors.push_back({field + "." + std::string(k.str()), "unknown key: use prescription, compression, attack_ms, release_ms, mpo_db_spl, noise_reduction, nr_floor_db"});
  }
  const auto name = (*t)["prescription"].value<std::string>();
  if (!name) {
    errors.push_back({field + ".prescription", "missing or not a string: give one of " + prescription_names()});
    return std::nullopt;
  }
  const auto rule = parse_prescription_rule(*name);
  if (!rule) {
    errors.push_back({field + ".prescription", "'" + *name + "' is not known: use " + prescription_names()});
    return std::nullopt;
  }
  AidSettings aid(*rule);
  const std::size_t before = errors.size();
  if (t->contains("compression")) {
    if (const auto on = (*t)["compression"].value<bool>()) aid.compression = *on;
    else errors.push_back({field + ".compression", "must be true or false"});
  }
  auto number = [&](const char* key, double& out) {
    if (!t->contains(key)) return;
    // value<double>() also reads an integer (attack_ms = 5).
    if (const auto v = (*t)[key].value<double>()) out = *v;
    else errors.push_back({field + "." + key, "must be a number"});
  };
  if (t->contains("noise_reduction")) {
    if (const auto on = (*t)["noise_reduction"].value<bool>()) aid.noise_reduction = *on;
    else errors.push_back({field + ".noise_reduction", "must be true or false"});
  }
  number("nr_floor_db", aid.nr_floor_db);
  number("attack_ms", aid.attack_ms);
  number("release_ms", aid.release_ms);
  if (t->contains("mpo_db_spl")) {
    double mpo = 0.0;
    number("mpo_db_spl", mpo);
    aid.mpo_db_spl = mpo;
  }
  if (errors.size() != before) return std::nullopt;
  return aid;  // its ranges are checked with the listener's (validate(EarProfile))
}

// `source` is the profile's file name: an ear the file describes by its own numbers is named after
// what it is and where it comes from ("audiogram in ears.toml"), not after its table ("left"),
// which read as "listener: left left" in a summary.
EarProfile read_ear(const toml::table& t, const std::string& field, const std::string& source, SpecErrors& errors) {
  static const char* kKeys[] = {"preset", "audiogram_hz", "audiogram_db_hl", "air_bone_gap_db", "air_bone_gap_hz", "implant", "aid"};
  for (const auto& [k, v] : t) {
    bool known = false;
    for (const char* key : kKeys) known = known || k.str() == key;
    if (!known) errors.push_back({field + "." + std::string(k.str()), "unknown key: use preset, audiogram_hz, audiogram_db_hl, air_bone_gap_db, air_bone_gap_hz, implant, aid"});
  }
  EarProfile ear;
  const auto preset = t["preset"].value<std::string>();
  const auto hz = numbers(t, "audiogram_hz", field, errors);
  const auto db = numbers(t, "audiogram_db_hl", field, errors);
  const bool implant_preset_name = preset && is_implant_preset_name(*preset);
  if (preset && !implant_preset_name && (t.contains("audiogram_hz") || t.contains("audiogram_db_hl"))) {
    errors.push_back({field, "give either preset or audiogram_hz/audiogram_db_hl, not both"});
  } else if (preset) {
    auto parsed = parse_ear_spec(*preset, field + ".preset");
    if (!parsed) errors.insert(errors.end(), parsed.errors().begin(), parsed.errors().end());
    else ear = parsed.value();
  } else if (t.contains("preset")) {
    errors.push_back({field + ".preset", "must be a string such as \"N3\""});
  } else if (!t.contains("implant") || t.contains("audiogram_hz") || t.contains("audiogram_db_hl")) {
    if (hz.size() != db.size() || hz.empty()) {
      errors.push_back({field, "audiogram_hz and audiogram_db_hl must be non-empty arrays of the same length (or give a preset)"});
    } else {
      for (std::size_t i = 0; i < hz.size(); ++i) ear.air_db_hl.points.push_back({hz[i], db[i]});
      ear.label = "audiogram in " + source;
      for (auto& e : validate(ear.air_db_hl, field + ".audiogram")) errors.push_back(e);
    }
  }
  if (implant_preset_name && (t.contains("audiogram_hz") || t.contains("audiogram_db_hl"))) {
    // An implanted ear's own acoustic thresholds (what EAS hears).
    if (hz.size() != db.size() || hz.empty()) {
      errors.push_back({field, "audiogram_hz and audiogram_db_hl must be non-empty arrays of the same length"});
    } else {
      ear.air_db_hl.points.clear();
      for (std::size_t i = 0; i < hz.size(); ++i) ear.air_db_hl.points.push_back({hz[i], db[i]});
    }
  }
  if (t.contains("implant")) {
    if (const toml::table* implant = t["implant"].as_table()) {
      ImplantMap map = ear.implant.value_or(ImplantMap{});
      read_implant_table(*implant, map, field + ".implant", errors);
      if (!ear.implant && !preset && !t.contains("audiogram_hz")) {
        ear.air_db_hl = deaf_ear_audiogram();
        ear.label = "implant map in " + source;
      }
      if (map.device.empty()) map.device = "custom map";
      ear.implant = map;
    } else {
      errors.push_back({field + ".implant", "must be a table: [" + field + ".implant]"});
    }
  }
  if (t.contains("aid")) ear.aid = read_aid(t.get("aid"), field + ".aid", errors);
  const auto gap = numbers(t, "air_bone_gap_db", field, errors);
  if (!gap.empty()) {
    auto gap_hz = numbers(t, "air_bone_gap_hz", field, errors);
    if (gap_hz.empty()) {
      for (const auto& p : ear.air_db_hl.points) gap_hz.push_back(p.frequency_hz);
    }
    if (gap_hz.size() != gap.size()) {
      errors.push_back({field + ".air_bone_gap_db", "needs one value per frequency (" + std::to_string(gap_hz.size()) + "), has " + std::to_string(gap.size())});
    } else {
      for (std::size_t i = 0; i < gap.size(); ++i) ear.air_bone_gap_db.points.push_back({gap_hz[i], gap[i]});
    }
  }
  return ear;
}

}  // namespace

Result<Listener> read_listener_profile(const fs::path& path) {
  auto read = read_toml_document(path, "listener profile");  // limits checked before parsing (formats/toml_document.hpp)
  if (!read) return read.errors();
  toml::table doc = std::move(read).value();
  SpecErrors errors;
  const std::string source = path.filename().string();
  for (const auto& [k, v] : doc) {
    const std::string key(k.str());
    if (key != "left" && key != "right" && key != "both") errors.push_back({key, "unknown table: use [left] and [right], or [both]"});
  }
  Listener listener;
  const bool has_both = doc["both"].is_table();
  const bool has_left = doc["left"].is_table(), has_right = doc["right"].is_table();
  if (has_both && (has_left || has_right)) {
    errors.push_back({"both", "give [both] or [left] and [right], not both"});
  } else if (has_both) {
    listener.left = listener.right = read_ear(*doc["both"].as_table(), "both", source, errors);
  } else if (has_left && has_right) {
    listener.left = read_ear(*doc["left"].as_table(), "left", source, errors);
    listener.right = read_ear(*doc["right"].as_table(), "right", source, errors);
  } else {
    errors.push_back({has_left ? "right" : "left", "missing table: a profile needs [left] and [right], or [both]"});
  }
  // Every problem at once: what the reading found, then the checks of what was read.
  for (auto& e : validate(listener)) {
    if (has_both) {  // one table for both ears: name it, once
      if (e.field.starts_with("right")) continue;
      if (e.field.starts_with("left")) e.field = "both" + e.field.substr(4);
    }
    bool known = false;
    for (const auto& seen : errors) known = known || seen.field == e.field;
    if (!known) errors.push_back(std::move(e));
  }
  if (!errors.empty()) return errors;
  return listener;
}

}  // namespace earshot
