#include "formats/scene_file.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <initializer_list>
#include <string>

#include "engine/calibration.hpp"
#include "engine/aided_speech_and_noise.hpp"
#include "formats/aid_spec_parser.hpp"
#include "formats/clarity_listener.hpp"
#include "formats/file_errors.hpp"
#include "formats/toml_document.hpp"
#include "formats/listener_spec_parser.hpp"
#include "formats/profile_file.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {

// Typed reads that record what is wrong instead of stopping at it.
class Reader {
 public:
  explicit Reader(SpecErrors& errors) : errors_(errors) {}

  void known_keys(const toml::table& t, const std::string& field, std::initializer_list<const char*> keys) {
    for (const auto& [k, v] : t) {
      bool known = false;
      std::string list;
      for (const char* key : keys) {
        known = known || k.str() == key;
        list += (list.empty() ? "" : ", ") + std::string(key);
      }
      if (!known) errors_.push_back({prefixed(field, std::string(k.str())), "unknown key: use " + list});
    }
  }
  std::optional<double> number(const toml::table& t, const char* key, const std::string& field) {
    const toml::node* node = t.get(key);
    if (!node) return std::nullopt;
    if (auto v = node->value<double>()) return v;
    errors_.push_back({prefixed(field, key), "must be a number"});
    return std::nullopt;
  }
  void number(const toml::table& t, const char* key, const std::string& field, double& target) {
    if (auto v = number(t, key, field)) target = *v;
  }
  std::optional<std::string> text(const toml::table& t, const char* key, const std::string& field) {
    const toml::node* node = t.get(key);
    if (!node) return std::nullopt;
    if (auto v = node->value<std::string>()) return v;
    errors_.push_back({prefixed(field, key), "must be a string"});
    return std::nullopt;
  }
  std::vector<const toml::table*> tables(const toml::table& doc, const char* key) {
    std::vector<const toml::table*> out;
    const toml::node* node = doc.get(key);
    if (!node) return out;
    const toml::array* arr = node->as_array();
    if (!arr) {
      errors_.push_back({key, std::string("must be an array of tables: [[") + key + "]]"});
      return out;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      if (const toml::table* t = (*arr)[i].as_table()) out.push_back(t);
      else errors_.push_back({std::string(key) + "[" + std::to_string(i) + "]", std::string("must be a table: [[") + key + "]]"});
    }
    return out;
  }
  EarSelection ears(const toml::table& t, const std::string& field) {
    const auto v = text(t, "ear", field);
    if (!v || *v == "both") return EarSelection::both;
    if (*v == "left") return EarSelection::left;
    if (*v == "right") return EarSelection::right;
    errors_.push_back({field + ".ear", "'" + *v + "' is not an ear: use left, right or both"});
    return EarSelection::both;
  }
  SpecErrors& errors() { return errors_; }

 private:
  static std::string prefixed(const std::string& field, const std::string& key) { return field.empty() ? key : field + "." + key; }
  SpecErrors& errors_;
};


void read_keyframe(Reader& r, const toml::table& t, const std::string& field, const fs::path& folder, SceneKeyframe& key,
                   std::vector<fs::path>& profiles) {
  r.known_keys(t, field, {"time_s", "listener", "left", "right", "aid", "transition_s", "curve", "perspective"});
  if (auto v = r.number(t, "time_s", field)) key.time_s = *v;
  else if (!t.contains("time_s")) r.errors().push_back({field + ".time_s", "missing: when this keyframe's move starts"});
  r.number(t, "transition_s", field, key.transition_s);
  r.number(t, "perspective", field, key.perspective);
  if (auto curve = r.text(t, "curve", field)) {
    if (auto c = transition_curve_from_name(*curve)) key.curve = *c;
    else r.errors().push_back({field + ".curve", at_time(key.time_s) + "'" + *curve + "' is not a curve: use linear, exponential, smooth or cut"});
  }
  const auto whole = r.text(t, "listener", field);
  const auto left = r.text(t, "left", field), right = r.text(t, "right", field);
  auto fail = [&](const std::string& f, const SpecErrors& errs) {
    for (const auto& e : errs) r.errors().push_back({f + (e.field.empty() || e.field == "listener" ? "" : "." + e.field), at_time(key.time_s) + e.message});
  };
  if (whole && (left || right)) {
    r.errors().push_back({field, at_time(key.time_s) + "give listener, or left and right, not both"});
  } else if (whole) {
    if (looks_like_profile_path(*whole)) {
      const fs::path profile = fs::path(*whole).is_absolute() ? fs::path(*whole) : folder / *whole;
      profiles.push_back(profile);
      auto read = read_listener_profile(profile);
      if (read) key.listener = std::move(read).value();
      else r.errors().push_back({field + ".listener", at_time(key.time_s) + describe(profile, read.errors())});
    } else if (auto clarity = clarity_listener_reference(*whole)) {
      const fs::path file = clarity->file.is_absolute() ? clarity->file : folder / clarity->file;
      profiles.push_back(file);
      auto read = read_clarity_listener(file, clarity->id);
      if (read) key.listener = std::move(read).value();
      else r.errors().push_back({field + ".listener", at_time(key.time_s) + describe(file, read.errors())});
    } else if (auto parsed = parse_listener_spec(*whole, "listener")) {
      key.listener = parsed.value();
    } else {
      fail(field + ".listener", parsed.errors());
    }
  } else if (left && right) {
    auto l = parse_ear_spec(*left, ""), rr = parse_ear_spec(*right, "");
    if (l) key.listener.left = l.value();
    else fail(field + ".left", l.errors());
    if (rr) key.listener.right = rr.value();
    else fail(field + ".right", rr.errors());
  } else {
    r.errors().push_back({field + ".listener", at_time(key.time_s) + "missing: give listener (any listener spec or a profile .toml) or left and right"});
  }
}

void read_span(Reader& r, const toml::table& t, const std::string& field, LayerSpan& span) {
  r.number(t, "start_s", field, span.start_s);
  r.number(t, "end_s", field, span.end_s);
  r.number(t, "ramp_s", field, span.ramp_s);
}

}  // namespace

Result<SceneFile> read_scene_file(const fs::path& path) {
  auto read = read_toml_document(path, "scene file");  // limits checked before parsing (formats/toml_document.hpp)
  if (!read) return read.errors();
  toml::table doc = std::move(read).value();
  SceneFile scene;
  scene.path = path;
  const fs::path folder = path.parent_path();
  SpecErrors errors;
  Reader r(errors);
  r.known_keys(doc, "", {"seed", "level_db_spl", "calibration_db_spl", "duration_s", "field", "smearing", "input", "keyframe",
                         "tinnitus", "masker", "implant_character"});
  SceneSpec& spec = scene.spec;
  if (auto v = r.number(doc, "seed", "")) {
    if (*v < 0 || *v > 4294967295.0 || *v != std::floor(*v)) errors.push_back({"seed", format_number(*v) + " is not a whole number 0...4294967295"});
    else spec.seed = static_cast<unsigned>(*v);
  }
  scene.level_db_spl = r.number(doc, "level_db_spl", "");
  scene.calibration_db_spl = r.number(doc, "calibration_db_spl", "");
  scene.duration_s = r.number(doc, "duration_s", "");
  if (scene.duration_s && !(*scene.duration_s > 0.0 && *scene.duration_s <= kMaxSceneDurationS)) {
    errors.push_back({"duration_s", format_number(*scene.duration_s) + " s is outside a scene's 0..." +
                                        format_number(kMaxSceneDurationS) + " s (a scene's limit)"});
  }
  // Counts first: a file of a million layers is refused before any of them is read.
  const auto count = [&](const char* key) {
    const toml::array* arr = doc.get(key) ? doc.get(key)->as_array() : nullptr;
    return arr ? arr->size() : std::size_t{0};
  };
  if (count("keyframe") > kMaxSceneKeyframes) {
    return SpecErrors{{"keyframe", std::to_string(count("keyframe")) + " keyframes: the limit is " + std::to_string(kMaxSceneKeyframes)}};
  }
  if (const std::size_t layers = count("tinnitus") + count("masker") + count("implant_character"); layers > kMaxSceneLayers) {
    return SpecErrors{{"layers", std::to_string(layers) + " tinnitus, masker and implant_character layers: the limit is " +
                                     std::to_string(kMaxSceneLayers) + " together"}};
  }
  if (count("input") > kMaxSceneLayers) {
    return SpecErrors{{"input", std::to_string(count("input")) + " inputs: the limit is " + std::to_string(kMaxSceneLayers)}};
  }
  for (auto& e : validate(CalibrationRequest{scene.level_db_spl, scene.calibration_db_spl})) errors.push_back(std::move(e));
  if (auto f = r.text(doc, "field", "")) {
    if (*f == "free") spec.field = SoundField::free;
    else if (*f == "diffuse") spec.field = SoundField::diffuse;
    else errors.push_back({"field", "'" + *f + "' is not known: use free or diffuse"});
  }
  if (const toml::node* node = doc.get("smearing")) {
    if (auto b = node->value<bool>()) spec.smearing = *b;
    else errors.push_back({"smearing", "must be true or false"});
  }

  const auto inputs = r.tables(doc, "input");
  if (inputs.empty() && !doc.contains("input")) errors.push_back({"input", "missing: a scene needs at least one [[input]] file"});
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string field = "input[" + std::to_string(i) + "]";
    r.known_keys(*inputs[i], field, {"file", "gain_db", "start_s"});
    SceneInput in;
    if (auto f = r.text(*inputs[i], "file", field)) in.file = fs::path(*f).is_absolute() ? fs::path(*f) : folder / *f;
    else if (!inputs[i]->contains("file")) errors.push_back({field + ".file", "missing: the audio file"});
    r.number(*inputs[i], "gain_db", field, in.gain_db);
    r.number(*inputs[i], "start_s", field, in.start_s);
    if (!(in.gain_db >= -60.0 && in.gain_db <= 40.0)) errors.push_back({field + ".gain_db", format_number(in.gain_db) + " dB is outside -60...40 dB"});
    if (!(in.start_s >= 0.0 && in.start_s <= kMaxSceneDurationS)) {
      errors.push_back({field + ".start_s", format_number(in.start_s) + " s is outside a scene's 0..." + format_number(kMaxSceneDurationS) + " s"});
    }
    scene.inputs.push_back(in);
  }

  // A keyframe's `aid` (as render's --aid takes it, or "none") switches the hearing aid from that
  // keyframe on: later keyframes keep it until one sets another. Before any keyframe sets one, each
  // listener keeps its own (a profile's [left.aid]). Switching is a structural change, crossfaded
  // at equal power over the keyframe's transition (scene/scene_renderer.cpp).
  const auto keys = r.tables(doc, "keyframe");
  std::optional<AidSpec> aid;  // set: the aid the timeline has now (both ears empty: "none")
  for (std::size_t k = 0; k < keys.size(); ++k) {
    SceneKeyframe key;
    const std::string field = "keyframe[" + std::to_string(k) + "]";
    read_keyframe(r, *keys[k], field, folder, key, scene.profiles);
    if (auto text = r.text(*keys[k], "aid", field)) {
      if (*text == "none") {
        aid = AidSpec{};
      } else if (auto parsed = parse_aid_spec(*text)) {
        aid = parsed.value();
      } else {
        for (const auto& e : parsed.errors()) errors.push_back({field + ".aid", at_time(key.time_s) + e.message});
        aid.reset();
      }
    }
    if (aid) {
      // "none" takes every aid off; an aid for one ear ("left=nal-r") leaves the other unaided.
      auto aided = with_aids(without_aids(key.listener), *aid);
      if (aided) key.listener = std::move(aided).value();
      else for (const auto& e : aided.errors()) errors.push_back({field + ".aid", at_time(key.time_s) + e.message});
    }
    spec.keyframes.push_back(std::move(key));
  }

  const auto tinnitus = r.tables(doc, "tinnitus");
  for (std::size_t i = 0; i < tinnitus.size(); ++i) {
    const std::string field = "tinnitus[" + std::to_string(i) + "]";
    const toml::table& t = *tinnitus[i];
    r.known_keys(t, field, {"ear", "kind", "frequency_hz", "bandwidth_octaves", "level_db_spl", "level_db_sl", "start_s", "end_s",
                            "ramp_s", "wander_db", "wander_period_s"});
    TinnitusLayer layer;
    layer.ears = r.ears(t, field);
    if (auto kind = r.text(t, "kind", field)) {
      if (*kind == "tone") layer.params.kind = TinnitusParams::Kind::tone;
      else if (*kind == "narrowband") layer.params.kind = TinnitusParams::Kind::narrowband;
      else errors.push_back({field + ".kind", "'" + *kind + "' is not known: use tone or narrowband"});
    }
    r.number(t, "frequency_hz", field, layer.params.frequency_hz);
    r.number(t, "bandwidth_octaves", field, layer.params.bandwidth_octaves);
    layer.params.level_db_spl = r.number(t, "level_db_spl", field);
    layer.params.level_db_sl = r.number(t, "level_db_sl", field);
    read_span(r, t, field, layer.params.span);
    r.number(t, "wander_db", field, layer.params.wander_db);
    r.number(t, "wander_period_s", field, layer.params.wander_period_s);
    spec.tinnitus.push_back(layer);
  }

  const auto maskers = r.tables(doc, "masker");
  for (std::size_t i = 0; i < maskers.size(); ++i) {
    const std::string field = "masker[" + std::to_string(i) + "]";
    const toml::table& t = *maskers[i];
    r.known_keys(t, field, {"ear", "colour", "level_db_spl", "start_s", "end_s", "ramp_s"});
    MaskerLayer layer;
    layer.ears = r.ears(t, field);
    if (auto colour = r.text(t, "colour", field)) {
      if (*colour == "white") layer.params.colour = NoiseColour::white;
      else if (*colour == "pink") layer.params.colour = NoiseColour::pink;
      else if (*colour == "brown") layer.params.colour = NoiseColour::brown;
      else errors.push_back({field + ".colour", "'" + *colour + "' is not known: use white, pink or brown"});
    }
    if (auto level = r.number(t, "level_db_spl", field)) layer.params.level_db_spl = *level;
    else if (!t.contains("level_db_spl")) errors.push_back({field + ".level_db_spl", "missing: the noise's level in dB SPL"});
    read_span(r, t, field, layer.params.span);
    spec.maskers.push_back(layer);
  }

  const auto characters = r.tables(doc, "implant_character");
  for (std::size_t i = 0; i < characters.size(); ++i) {
    const std::string field = "implant_character[" + std::to_string(i) + "]";
    const toml::table& t = *characters[i];
    r.known_keys(t, field, {"ear", "start_s", "acclimatisation_s", "formant_shift_semitones", "pitch_flattening", "harshness",
                            "metallic", "monotone_hz", "metallic_hz", "ring_ms"});
    ImplantCharacterLayer layer;
    layer.ears = r.ears(t, field);
    ImplantCharacterParams& p = layer.params;
    r.number(t, "start_s", field, p.start_s);
    r.number(t, "acclimatisation_s", field, p.acclimatisation_s);
    r.number(t, "formant_shift_semitones", field, p.formant_shift_semitones);
    r.number(t, "pitch_flattening", field, p.pitch_flattening);
    r.number(t, "harshness", field, p.harshness);
    r.number(t, "metallic", field, p.metallic);
    r.number(t, "monotone_hz", field, p.monotone_hz);
    r.number(t, "metallic_hz", field, p.metallic_hz);
    r.number(t, "ring_ms", field, p.ring_ms);
    spec.characters.push_back(layer);
  }

  if (!errors.empty()) return errors;
  return scene;
}

}  // namespace earshot
