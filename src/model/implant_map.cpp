#include "model/implant_map.hpp"

#include <algorithm>
#include <cmath>

namespace earshot {

std::vector<int> active_electrodes(const ImplantMap& map) {
  std::vector<int> active;
  for (int i = 0; i < map.electrodes; ++i) {
    const int number = electrode_number(map, i);
    if (std::find(map.switched_off.begin(), map.switched_off.end(), number) == map.switched_off.end()) {
      active.push_back(i);
    }
  }
  return active;
}

int electrode_number(const ImplantMap& map, int index) {
  return map.basal_first_numbering ? map.electrodes - index : index + 1;
}

std::vector<double> active_band_edges(const ImplantMap& map) {
  const int active = static_cast<int>(active_electrodes(map).size());
  const auto& table = map.band_edges_hz;
  if (static_cast<int>(table.size()) != map.electrodes + 1 || active == map.electrodes || active == 0) return table;
  // Switched-off electrodes: the same overall range over fewer bands, each new edge read off the
  // table at the same fraction of the way through it (log-frequency between table edges), so a
  // table that is linear at the bottom and logarithmic at the top keeps that shape.
  std::vector<double> edges(active + 1);
  for (int j = 0; j <= active; ++j) {
    const double u = static_cast<double>(j) * map.electrodes / active;
    const int i = std::min(static_cast<int>(u), map.electrodes - 1);
    const double t = u - i;
    edges[j] = std::exp((1.0 - t) * std::log(table[i]) + t * std::log(table[i + 1]));
  }
  return edges;
}

namespace {

void check_range(SpecErrors& errors, const std::string& field, double value, double low, double high, const char* unit) {
  if (!(value >= low && value <= high)) {
    errors.push_back({field, format_number(value) + " " + unit + " is outside " + format_number(low) + "..." +
                                 format_number(high) + " " + unit});
  }
}

void check_levels(SpecErrors& errors, const std::string& field, const std::vector<double>& values, int electrodes) {
  if (values.size() != 1 && static_cast<int>(values.size()) != electrodes) {
    errors.push_back({field, "needs one value for all electrodes or one per electrode (" + std::to_string(electrodes) +
                                 "), has " + std::to_string(values.size())});
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i) check_range(errors, field + "[" + std::to_string(i) + "]", values[i], 1.0, 2000.0, "uA");
}

double level_at(const std::vector<double>& values, int index) { return values.size() == 1 ? values[0] : values[index]; }

}  // namespace

SpecErrors validate(const ImplantMap& map, const std::string& field) {
  SpecErrors errors;
  const std::string f = field.empty() ? "" : field + ".";
  if (map.electrodes < 1 || map.electrodes > kMaxElectrodes) {
    errors.push_back({f + "electrodes", std::to_string(map.electrodes) + " electrodes is outside 1..." + std::to_string(kMaxElectrodes)});
    return errors;  // everything else is counted in electrodes
  }
  for (std::size_t i = 0; i < map.switched_off.size(); ++i) {
    const int n = map.switched_off[i];
    const std::string key = f + "switched_off[" + std::to_string(i) + "]";
    if (n < 1 || n > map.electrodes) {
      errors.push_back({key, "electrode " + std::to_string(n) + " does not exist: the array has electrodes 1..." + std::to_string(map.electrodes)});
    } else if (std::count(map.switched_off.begin(), map.switched_off.end(), n) > 1) {
      errors.push_back({key, "electrode " + std::to_string(n) + " is listed more than once"});
    }
  }
  const std::vector<int> active = active_electrodes(map);
  const int n_active = static_cast<int>(active.size());
  if (n_active == 0) errors.push_back({f + "switched_off", "every electrode is switched off"});

  const auto& edges = map.band_edges_hz;
  if (static_cast<int>(edges.size()) != map.electrodes + 1 && static_cast<int>(edges.size()) != n_active + 1) {
    errors.push_back({f + "band_edges_hz", "needs " + std::to_string(map.electrodes + 1) + " edges (one band per electrode)" +
                                               (n_active != map.electrodes ? " or " + std::to_string(n_active + 1) + " (one per active electrode)" : "") +
                                               ", has " + std::to_string(edges.size())});
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const std::string key = f + "band_edges_hz[" + std::to_string(i) + "]";
    if (!(edges[i] >= 20.0 && edges[i] <= 24000.0)) {
      errors.push_back({key, format_number(edges[i]) + " Hz is outside 20...24000 Hz"});
    } else if (i > 0 && !(edges[i] > edges[i - 1])) {
      errors.push_back({key, format_number(edges[i]) + " Hz is not above the edge before it (" + format_number(edges[i - 1]) +
                                 " Hz): bands must be in ascending order and must not overlap"});
    }
  }

  if (map.maxima < 1 || (n_active > 0 && map.maxima > n_active)) {
    errors.push_back({f + "maxima", std::to_string(map.maxima) + " maxima: must be 1..." + std::to_string(n_active) +
                                        " (the active electrodes)"});
  }
  check_range(errors, f + "pulse_width_us", map.pulse_width_us, 1.0, 1000.0, "us");
  check_range(errors, f + "phase_gap_us", map.phase_gap_us, 0.0, 1000.0, "us");
  if (!(map.rate_pps > 0.0 && map.rate_pps <= kMaxStimulationRatePps)) {
    check_range(errors, f + "rate_pps", map.rate_pps, 1.0, kMaxStimulationRatePps, "pps");
  } else if (map.maxima >= 1) {
    // Pulses on different electrodes are interleaved, never simultaneous: a frame must hold
    // `maxima` biphasic pulses.
    const double pulse_us = 2.0 * map.pulse_width_us + map.phase_gap_us;
    const double frame_us = 1e6 / map.rate_pps;
    if (map.maxima * pulse_us > frame_us) {
      errors.push_back({f + "rate_pps", format_number(map.rate_pps) + " pps cannot fit: " + std::to_string(map.maxima) +
                                            " interleaved pulses of " + format_number(pulse_us) + " us need " +
                                            format_number(map.maxima * pulse_us) + " us per frame, and a frame lasts " +
                                            format_number(std::round(frame_us * 10) / 10) + " us"});
    }
  }
  if (map.pre_emphasis_hz != 0.0) check_range(errors, f + "pre_emphasis_hz", map.pre_emphasis_hz, 50.0, 8000.0, "Hz");
  check_range(errors, f + "agc_knee_db_spl", map.agc_knee_db_spl, 30.0, 130.0, "dB SPL");
  if (map.strategy == ImplantStrategy::cis) check_range(errors, f + "envelope_cutoff_hz", map.envelope_cutoff_hz, 1.0, 2000.0, "Hz");
  check_range(errors, f + "idr_floor_db_spl", map.idr_floor_db_spl, 0.0, 120.0, "dB SPL");
  check_range(errors, f + "idr_top_db_spl", map.idr_top_db_spl, 10.0, 130.0, "dB SPL");
  const double idr = map.idr_top_db_spl - map.idr_floor_db_spl;
  if (idr < 10.0) {
    errors.push_back({f + "idr_top_db_spl", "the input dynamic range " + format_number(map.idr_floor_db_spl) + "..." +
                                                format_number(map.idr_top_db_spl) + " dB SPL is narrower than 10 dB"});
  } else {
    // The loudness growth function compresses (alpha > 0) only if Q, the output drop 10 dB below
    // saturation in percent, is less than the drop of a linear map.
    const double floor = std::pow(10.0, -idr / 20.0);
    const double linear_drop = 100.0 * (1.0 - (std::pow(10.0, -0.5) - floor) / (1.0 - floor));
    if (!(map.loudness_growth_q > 0.5 && map.loudness_growth_q < linear_drop - 0.5)) {
      errors.push_back({f + "loudness_growth_q", format_number(map.loudness_growth_q) + " is outside 0.5..." +
                                                     format_number(std::floor(linear_drop - 0.5)) + " for a " + format_number(idr) +
                                                     " dB input dynamic range (Q: % drop of output 10 dB below saturation)"});
    }
  }
  check_levels(errors, f + "threshold_ua", map.threshold_ua, map.electrodes);
  check_levels(errors, f + "comfort_ua", map.comfort_ua, map.electrodes);
  if ((map.threshold_ua.size() == 1 || static_cast<int>(map.threshold_ua.size()) == map.electrodes) &&
      (map.comfort_ua.size() == 1 || static_cast<int>(map.comfort_ua.size()) == map.electrodes)) {
    for (int i = 0; i < map.electrodes; ++i) {
      const double t = level_at(map.threshold_ua, i), c = level_at(map.comfort_ua, i);
      if (!(t < c)) {
        const bool one = map.threshold_ua.size() == 1 && map.comfort_ua.size() == 1;
        errors.push_back({f + "threshold_ua" + (map.threshold_ua.size() == 1 ? "" : "[" + std::to_string(i) + "]"),
                          "threshold " + format_number(t) + " uA is not below comfort " + format_number(c) + " uA" +
                              (one ? "" : " (electrode " + std::to_string(electrode_number(map, i)) + ")")});
        if (one) break;
      }
    }
  }

  if (!map.matched_places) {
    if (map.place_map == PlaceMap::organ_of_corti) {
      if (!(map.insertion_depth_mm > 0.0 && map.insertion_depth_mm <= kCochlearLengthMm)) {
        errors.push_back({f + "insertion_depth_mm", format_number(map.insertion_depth_mm) + " mm is " +
                                                        (map.insertion_depth_mm > kCochlearLengthMm ? "deeper than the cochlea (" + format_number(kCochlearLengthMm) + " mm)" : "not a depth: must be above 0 mm")});
      }
      check_range(errors, f + "electrode_spacing_mm", map.electrode_spacing_mm, 0.1, 5.0, "mm");
      if (errors.empty()) {
        for (int i : active) {
          const double depth = map.insertion_depth_mm - i * map.electrode_spacing_mm;
          if (depth < 0.0) {
            errors.push_back({f + "insertion_depth_mm", "electrode " + std::to_string(electrode_number(map, i)) + " would lie " +
                                                            format_number(std::round(-depth * 10) / 10) +
                                                            " mm outside the cochlea: insert deeper or switch it off"});
            break;
          }
        }
      }
    } else {
      check_range(errors, f + "insertion_angle_deg", map.insertion_angle_deg, 1.0, kMaxSpiralGanglionAngleDeg, "degrees");
      check_range(errors, f + "basal_angle_deg", map.basal_angle_deg, 0.0, kMaxSpiralGanglionAngleDeg, "degrees");
      if (map.electrodes > 1 && !(map.basal_angle_deg < map.insertion_angle_deg)) {
        errors.push_back({f + "basal_angle_deg", format_number(map.basal_angle_deg) + " degrees is not below the insertion angle (" +
                                                     format_number(map.insertion_angle_deg) + " degrees)"});
      }
    }
  }
  check_range(errors, f + "shift_mm", map.shift_mm, -15.0, 15.0, "mm");
  check_range(errors, f + "spread_db_per_mm", map.spread_db_per_mm, 0.1, 100.0, "dB/mm");
  for (std::size_t i = 0; i < map.dead_regions_hz.size(); ++i) {
    const auto& r = map.dead_regions_hz[i];
    const std::string key = f + "dead_regions_hz[" + std::to_string(i) + "]";
    if (!(r.low_hz >= 20.0 && r.high_hz <= 24000.0 && r.low_hz < r.high_hz)) {
      errors.push_back({key, format_number(r.low_hz) + "..." + format_number(r.high_hz) + " Hz is not a range within 20...24000 Hz"});
    }
  }
  if (map.acoustic_crossover_hz != 0.0) check_range(errors, f + "acoustic_crossover_hz", map.acoustic_crossover_hz, 100.0, 4000.0, "Hz");
  return errors;
}

const char* to_string(ImplantStrategy s) { return s == ImplantStrategy::ace ? "ace" : "cis"; }
const char* to_string(EnvelopeDetector e) { return e == EnvelopeDetector::rectify ? "rectify" : "hilbert"; }
const char* to_string(Carrier c) {
  switch (c) {
    case Carrier::noise: return "noise";
    case Carrier::sine: return "sine";
    case Carrier::harmonic: return "harmonic";
    case Carrier::pulsatile: return "pulsatile";
  }
  return "noise";
}

}  // namespace earshot
