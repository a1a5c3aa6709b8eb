#include "formats/implant_profile.hpp"

#include <functional>
#include <map>

#include "model/frequency_allocation.hpp"

namespace earshot {
namespace {

struct Reader {
  const toml::table& t;
  const std::string& field;
  SpecErrors& errors;

  std::string key_path(const std::string& key) const { return field + "." + key; }
  void number(const char* key, double& out) const {
    if (!t.contains(key)) return;
    if (auto v = t[key].value<double>()) out = *v;
    else errors.push_back({key_path(key), "must be a number"});
  }
  void integer(const char* key, int& out) const {
    if (!t.contains(key)) return;
    if (auto v = t[key].value<std::int64_t>()) out = static_cast<int>(*v);
    else errors.push_back({key_path(key), "must be a whole number"});
  }
  void boolean(const char* key, bool& out) const {
    if (!t.contains(key)) return;
    if (auto v = t[key].value<bool>()) out = *v;
    else errors.push_back({key_path(key), "must be true or false"});
  }
  template <class T>
  void numbers(const char* key, std::vector<T>& out) const {
    if (!t.contains(key)) return;
    if (auto one = t[key].value<T>()) {  // one value for all
      out = {*one};
      return;
    }
    const toml::array* arr = t[key].as_array();
    if (!arr) {
      errors.push_back({key_path(key), "must be an array of numbers"});
      return;
    }
    out.clear();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      if (auto v = (*arr)[i].value<T>()) out.push_back(*v);
      else errors.push_back({key_path(key) + "[" + std::to_string(i) + "]", "must be a number"});
    }
  }
  template <class E>
  void choice(const char* key, E& out, const std::map<std::string, E>& options) const {
    if (!t.contains(key)) return;
    const auto v = t[key].value<std::string>();
    std::string names;
    for (const auto& [name, value] : options) names += (names.empty() ? "" : ", ") + name;
    if (!v || !options.count(*v)) {
      errors.push_back({key_path(key), (v ? "'" + *v + "' is not known" : std::string("must be a string")) + ": use " + names});
      return;
    }
    out = options.at(*v);
  }
};

}  // namespace

void read_implant_table(const toml::table& t, ImplantMap& m, const std::string& field, SpecErrors& errors) {
  static const char* kKeys[] = {
      "device", "strategy", "electrodes", "numbering", "switched_off", "band_edges_hz", "band_spacing", "band_low_hz",
      "band_high_hz", "maxima", "rate_pps", "pulse_width_us", "phase_gap_us", "pre_emphasis_hz", "agc", "agc_knee_db_spl",
      "envelope", "envelope_cutoff_hz", "idr_floor_db_spl", "idr_top_db_spl", "loudness_growth_q", "threshold_ua",
      "comfort_ua", "place_map", "matched_places", "insertion_depth_mm", "electrode_spacing_mm", "insertion_angle_deg",
      "basal_angle_deg", "shift_mm", "spread_db_per_mm", "carrier", "dead_regions_hz", "acoustic_crossover_hz"};
  for (const auto& [k, v] : t) {
    bool known = false;
    for (const char* key : kKeys) known = known || k.str() == key;
    if (!known) errors.push_back({field + "." + std::string(k.str()), "unknown key (docs/profiles.md lists the implant map's keys)"});
  }
  const Reader r{t, field, errors};
  if (auto d = t["device"].value<std::string>()) m.device = *d;
  r.choice("strategy", m.strategy, {{"ace", ImplantStrategy::ace}, {"cis", ImplantStrategy::cis}});
  r.integer("electrodes", m.electrodes);
  bool basal_first = m.basal_first_numbering;
  r.choice("numbering", basal_first, {{"apical_first", false}, {"basal_first", true}});
  m.basal_first_numbering = basal_first;
  r.numbers("switched_off", m.switched_off);
  r.numbers("band_edges_hz", m.band_edges_hz);
  if (t.contains("band_spacing")) {
    if (t.contains("band_edges_hz")) errors.push_back({field + ".band_spacing", "give band_edges_hz or band_spacing, not both"});
    BandSpacing spacing = BandSpacing::greenwood;
    r.choice("band_spacing", spacing, {{"greenwood", BandSpacing::greenwood}, {"log", BandSpacing::logarithmic}, {"linear", BandSpacing::linear}});
    double lo = 0.0, hi = 0.0;
    r.number("band_low_hz", lo);
    r.number("band_high_hz", hi);
    if (!(lo >= 20.0 && hi > lo && hi <= 24000.0)) {
      errors.push_back({field + ".band_low_hz", "band_spacing needs band_low_hz < band_high_hz within 20...24000 Hz"});
    } else if (m.electrodes >= 1 && m.electrodes <= kMaxElectrodes) {
      m.band_edges_hz = spaced_band_edges(spacing, lo, hi, m.electrodes);
    }
  }
  r.integer("maxima", m.maxima);
  r.number("rate_pps", m.rate_pps);
  r.number("pulse_width_us", m.pulse_width_us);
  r.number("phase_gap_us", m.phase_gap_us);
  r.number("pre_emphasis_hz", m.pre_emphasis_hz);
  r.boolean("agc", m.agc);
  r.number("agc_knee_db_spl", m.agc_knee_db_spl);
  r.choice("envelope", m.envelope, {{"rectify", EnvelopeDetector::rectify}, {"hilbert", EnvelopeDetector::hilbert}});
  r.number("envelope_cutoff_hz", m.envelope_cutoff_hz);
  r.number("idr_floor_db_spl", m.idr_floor_db_spl);
  r.number("idr_top_db_spl", m.idr_top_db_spl);
  r.number("loudness_growth_q", m.loudness_growth_q);
  r.numbers("threshold_ua", m.threshold_ua);
  r.numbers("comfort_ua", m.comfort_ua);
  r.choice("place_map", m.place_map, {{"organ_of_corti", PlaceMap::organ_of_corti}, {"spiral_ganglion", PlaceMap::spiral_ganglion}});
  r.boolean("matched_places", m.matched_places);
  r.number("insertion_depth_mm", m.insertion_depth_mm);
  r.number("electrode_spacing_mm", m.electrode_spacing_mm);
  r.number("insertion_angle_deg", m.insertion_angle_deg);
  r.number("basal_angle_deg", m.basal_angle_deg);
  r.number("shift_mm", m.shift_mm);
  r.number("spread_db_per_mm", m.spread_db_per_mm);
  r.choice("carrier", m.carrier, {{"noise", Carrier::noise}, {"sine", Carrier::sine}, {"harmonic", Carrier::harmonic}, {"pulsatile", Carrier::pulsatile}});
  if (t.contains("dead_regions_hz")) {
    const toml::array* arr = t["dead_regions_hz"].as_array();
    m.dead_regions_hz.clear();
    for (std::size_t i = 0; arr && i < arr->size(); ++i) {
      const toml::array* pair = (*arr)[i].as_array();
      const auto lo = pair && pair->size() == 2 ? (*pair)[0].value<double>() : std::nullopt;
      const auto hi = pair && pair->size() == 2 ? (*pair)[1].value<double>() : std::nullopt;
      if (!lo || !hi) errors.push_back({field + ".dead_regions_hz[" + std::to_string(i) + "]", "must be [LOW_HZ, HIGH_HZ]"});
      else m.dead_regions_hz.push_back({*lo, *hi});
    }
    if (!arr) errors.push_back({field + ".dead_regions_hz", "must be an array of [LOW_HZ, HIGH_HZ] pairs"});
  }
  r.number("acoustic_crossover_hz", m.acoustic_crossover_hz);
}

}  // namespace earshot
