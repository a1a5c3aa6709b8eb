#include "model/implant_presets.hpp"

#include <cstdlib>

#include "model/frequency_allocation.hpp"

namespace earshot {
namespace {

// Cochlear Nucleus with a Contour Advance (perimodiolar) array, ACE.
ImplantMap nucleus_ace() {
  ImplantMap m;
  m.device = "Cochlear Nucleus, ACE, Contour Advance array";
  m.source = "default 22-channel table (Swanson's Nucleus MATLAB Toolbox); 8 maxima at 900 pps, 25 us phases, "
             "8 us gap; input dynamic range 25-65 dB SPL, Q = 20; electrodes from 18.5 to 380.6 degrees "
             "(Landsberger et al. 2015) on the spiral-ganglion map (Stakhovskaya et al. 2007)";
  m.strategy = ImplantStrategy::ace;
  m.electrodes = 22;
  m.basal_first_numbering = true;
  m.band_edges_hz = nucleus_band_edges();
  m.maxima = 8;
  m.rate_pps = 900.0;
  m.pulse_width_us = 25.0;
  m.phase_gap_us = 8.0;
  m.place_map = PlaceMap::spiral_ganglion;
  m.insertion_angle_deg = 380.6;
  m.basal_angle_deg = 18.5;
  return m;
}

// Advanced Bionics HiRes (a high-rate CIS) with a HiFocus 1J lateral-wall array.
ImplantMap ab_hires() {
  ImplantMap m;
  m.device = "Advanced Bionics, HiRes, HiFocus 1J array";
  m.source = "16-channel default table (250-8700 Hz); HiRes stimulates every electrode each frame at a high "
             "rate with rectified envelopes; HiFocus 1J: 16 contacts 1.1 mm apart, about 25 mm insertion "
             "(manufacturer's figures), on the organ-of-Corti map (Greenwood 1990)";
  m.strategy = ImplantStrategy::cis;
  m.envelope = EnvelopeDetector::rectify;
  m.envelope_cutoff_hz = 400.0;
  m.electrodes = 16;
  m.band_edges_hz = advanced_bionics_band_edges();
  m.maxima = 16;
  m.rate_pps = 1450.0;
  m.pulse_width_us = 21.0;
  m.phase_gap_us = 0.0;
  m.place_map = PlaceMap::organ_of_corti;
  m.insertion_depth_mm = 25.0;
  m.electrode_spacing_mm = 1.1;
  return m;
}

// MED-EL CIS with a FLEX28 lateral-wall array (deep insertion).
ImplantMap medel_cis() {
  ImplantMap m;
  m.device = "MED-EL, CIS, FLEX28 array";
  m.source = "12-channel default table (100-8500 Hz, logarithmic); CIS with Hilbert envelopes (Wilson et al. "
             "1991; MED-EL's CIS+); FLEX28: 12 contacts 2.1 mm apart, 28 mm insertion (manufacturer's "
             "figures), on the organ-of-Corti map (Greenwood 1990)";
  m.strategy = ImplantStrategy::cis;
  m.envelope = EnvelopeDetector::hilbert;
  m.envelope_cutoff_hz = 400.0;
  m.electrodes = 12;
  m.band_edges_hz = medel_band_edges();
  m.maxima = 12;
  m.rate_pps = 1500.0;
  m.pulse_width_us = 25.0;
  m.phase_gap_us = 2.0;
  m.place_map = PlaceMap::organ_of_corti;
  m.insertion_depth_mm = 28.0;
  m.electrode_spacing_mm = 2.1;
  return m;
}

// Cochlear Nucleus Hybrid: a short array above preserved low-frequency hearing.
ImplantPreset nucleus_hybrid() {
  ImplantPreset p;
  p.name = "eas:nucleus-hybrid";
  p.map = nucleus_ace();
  p.map.device = "Cochlear Nucleus Hybrid (EAS), ACE, Hybrid-L24 array";
  p.map.source = "electric above 500 Hz over the 22 electrodes (the default table's shape, 500-7938 Hz), "
                 "acoustic below through the hearing-loss model; Hybrid-L24: 22 contacts over 15 mm, 16 mm "
                 "lateral-wall insertion (Lenarz et al. 2013); residual hearing typical of EAS candidates: "
                 "up to about 60 dB HL at 500 Hz, profound above 1 kHz (Gantz et al. 2009)";
  p.map.band_edges_hz = spaced_band_edges(BandSpacing::greenwood, 500.0, 7938.0, 22);
  p.map.place_map = PlaceMap::organ_of_corti;
  p.map.insertion_depth_mm = 16.0;
  p.map.electrode_spacing_mm = 15.0 / 21.0;
  p.map.acoustic_crossover_hz = 500.0;
  p.residual_hearing_db_hl.points = {{125, 25}, {250, 35}, {500, 60}, {1000, 95}, {2000, 110}, {4000, 120}, {8000, 120}};
  p.description = "EAS: acoustic below 500 Hz, implant above (Nucleus Hybrid)";
  return p;
}

// Shannon et al. (1995) style vocoder: band-pass analysis, rectified envelopes low-passed at
// 160 Hz, carriers in the same bands (matched places), bands spaced by cochlear place over
// 200-7000 Hz (Friesen et al. 2001). No compression, every band every frame; the "pulses" only
// sample the envelope (2000 per second).
ImplantMap vocoder(int bands, Carrier carrier) {
  ImplantMap m;
  m.device = std::string(carrier == Carrier::sine ? "sine" : "noise") + " vocoder, " + std::to_string(bands) + " bands";
  m.source = "Shannon et al. 1995 (rectified envelopes, 160 Hz low-pass); bands equally spaced in cochlear place, "
             "200-7000 Hz (Friesen et al. 2001)";
  m.strategy = ImplantStrategy::cis;
  m.envelope = EnvelopeDetector::rectify;
  m.envelope_cutoff_hz = 160.0;
  m.electrodes = bands;
  m.band_edges_hz = spaced_band_edges(BandSpacing::greenwood, 200.0, 7000.0, bands);
  m.maxima = bands;
  m.rate_pps = 2000.0;
  m.pulse_width_us = 10.0;
  m.phase_gap_us = 0.0;
  m.agc = false;
  m.idr_floor_db_spl = 0.0;  // no compression: the map's range covers all of audible speech
  m.idr_top_db_spl = 120.0;
  m.matched_places = true;
  // Synthesis skirts about as steep as the band-pass filters of the vocoder literature
  // (6 dB/mm is about 30 dB per octave in mid frequencies).
  m.spread_db_per_mm = 6.0;
  m.carrier = carrier;
  return m;
}

}  // namespace

Audiogram deaf_ear_audiogram() {
  Audiogram a;
  a.points = {{250, kAudiogramMaxLevelDbHl}, {8000, kAudiogramMaxLevelDbHl}};
  return a;
}

bool is_implant_preset_name(std::string_view name) {
  return name.starts_with("ci:") || name.starts_with("eas:") || name.starts_with("vocoder:");
}

std::optional<ImplantPreset> implant_preset(std::string_view name) {
  auto device = [&](std::string description, ImplantMap map) {
    return ImplantPreset{std::string(name), std::move(map), deaf_ear_audiogram(), std::move(description)};
  };
  if (name == "ci:nucleus-ace") return device("22 electrodes, 8 of 22 maxima at 900 pps", nucleus_ace());
  if (name == "ci:ab-hires") return device("16 electrodes, every electrode at 1450 pps", ab_hires());
  if (name == "ci:medel-cis") return device("12 electrodes, deep insertion, 1500 pps", medel_cis());
  if (name == "eas:nucleus-hybrid") return nucleus_hybrid();
  for (const auto& [prefix, carrier] : {std::pair{std::string_view("vocoder:noise-"), Carrier::noise},
                                        std::pair{std::string_view("vocoder:sine-"), Carrier::sine}}) {
    if (!name.starts_with(prefix)) continue;
    const std::string digits(name.substr(prefix.size()));
    char* end = nullptr;
    const long bands = std::strtol(digits.c_str(), &end, 10);
    if (digits.empty() || *end != '\0' || bands < 1 || bands > kMaxVocoderBands) return std::nullopt;
    return device(std::string(carrier == Carrier::sine ? "sine" : "noise") + " vocoder with " + std::to_string(bands) + " bands",
                  vocoder(static_cast<int>(bands), carrier));
  }
  return std::nullopt;
}

std::vector<ImplantPreset> listed_implant_presets() {
  std::vector<ImplantPreset> out;
  for (const char* name : {"ci:nucleus-ace", "ci:ab-hires", "ci:medel-cis", "eas:nucleus-hybrid", "vocoder:noise-4",
                           "vocoder:noise-8", "vocoder:noise-16", "vocoder:sine-8"}) {
    out.push_back(*implant_preset(name));
  }
  return out;
}

}  // namespace earshot
