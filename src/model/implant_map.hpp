#pragma once
// A cochlear-implant map: everything the clinic programs into a sound processor for one ear, plus
// where the electrode array sits in the cochlea (which decides what the implant sounds like).
// Plain data; validate() lists every problem by field, design_implant() turns it into a plan.
//
// Electrodes are indexed 0..electrodes-1 from the most apical (lowest band) to the most basal.
// Users see the device's own numbers: Nucleus counts 22 (apical) down to 1 (basal),
// Advanced Bionics and MED-EL count 1 (apical) up.
#include <string>
#include <vector>

#include "audiology/cochlear_place.hpp"
#include "support/spec_error.hpp"

namespace earshot {

// How the sound processor analyses sound into per-electrode envelopes.
enum class ImplantStrategy {
  ace,  // FFT filterbank (bins grouped into bands), quadrature envelope, n-of-m maxima (Nucleus ACE)
  cis,  // band-pass filterbank, envelope per band, every active electrode each frame (Wilson et al. 1991)
};

// Envelope detector of the filterbank (cis) strategy; ace always uses the FFT magnitude.
enum class EnvelopeDetector {
  rectify,  // full-wave rectification and low-pass at envelope_cutoff_hz
  hilbert,  // quadrature (Hilbert) envelope: complex demodulation at the band centre, low-pass
};

// The sound that stands in for an electrode's stimulation when auralizing.
enum class Carrier {
  noise,      // band noise (Shannon et al. 1995)
  sine,       // a sinusoid at the electrode's place (Dorman et al. 1997)
  harmonic,   // pulse-spreading harmonic complex: low-noise, flat-envelope (Hilkhuysen & Macherey 2014)
  pulsatile,  // each stimulation pulse as a click shaped by the electrode's spread of excitation
};

struct FrequencyRange {
  double low_hz = 0.0;
  double high_hz = 0.0;
  bool operator==(const FrequencyRange&) const = default;
};

struct ImplantMap {
  std::string device;      // what it models, for summaries: "Cochlear Nucleus, ACE"
  std::string source;      // where its numbers come from

  // --- sound processor -------------------------------------------------------------------------
  ImplantStrategy strategy = ImplantStrategy::ace;
  int electrodes = 22;                     // physical contacts on the array
  bool basal_first_numbering = false;      // Nucleus: electrode 1 is the most basal
  std::vector<int> switched_off;           // device electrode numbers that never fire
  // Band edges, ascending: electrodes+1 values (one band per electrode; bands of switched-off
  // electrodes are redistributed over the others keeping the table's spacing, as clinics do), or
  // active+1 values (used as they are, apical active electrode first).
  std::vector<double> band_edges_hz;
  int maxima = 8;                          // n of n-of-m; equal to the active electrodes: all fire
  double rate_pps = 900.0;                 // stimulation rate per electrode (pulses per second)
  double pulse_width_us = 25.0;            // per phase of a biphasic pulse
  double phase_gap_us = 8.0;               // inter-phase gap
  // Pre-emphasis: a first-order high-pass with this corner, unity gain at 1 kHz; 0 = none.
  double pre_emphasis_hz = 0.0;
  // Front-end compression limiter (broadband): 5 ms attack, 75 ms release (the Nucleus front-end
  // limiter's release, Khing, Swanson & Ambikairajah 2013); no gain change below the knee.
  bool agc = true;
  double agc_knee_db_spl = 75.0;           // sine-equivalent level of the peak envelope
  EnvelopeDetector envelope = EnvelopeDetector::rectify;  // cis only
  double envelope_cutoff_hz = 400.0;       // cis only
  // Input dynamic range mapped onto each electrode's threshold..comfort range: band levels at or
  // below the floor do not stimulate; at or above the top they stimulate at the comfort level.
  double idr_floor_db_spl = 25.0;
  double idr_top_db_spl = 65.0;
  double loudness_growth_q = 20.0;         // steepness of the loudness growth function (dB)
  // Threshold (T) and comfort (C) currents per electrode in microamps (one value: all electrodes).
  std::vector<double> threshold_ua{150.0};
  std::vector<double> comfort_ua{550.0};

  // --- the array in the cochlea (auralization) ---------------------------------------------------
  // Where each electrode excites: by depth along the organ of Corti (lateral-wall arrays), by
  // angle on the spiral ganglion (perimodiolar arrays), or, for vocoders, at its own band.
  PlaceMap place_map = PlaceMap::organ_of_corti;
  bool matched_places = false;             // vocoders: each band sounds at its own frequencies
  double insertion_depth_mm = 20.0;        // organ_of_corti: most apical electrode, from the round window
  double electrode_spacing_mm = 0.7;       // organ_of_corti: centre to centre
  double insertion_angle_deg = 380.0;      // spiral_ganglion: most apical electrode
  double basal_angle_deg = 20.0;           // spiral_ganglion: most basal electrode (even steps between)
  double shift_mm = 0.0;                   // extra basal shift of every place (+: higher pitch)
  double spread_db_per_mm = 3.0;           // current spread: excitation decays this fast beyond the electrode's own region
  Carrier carrier = Carrier::noise;
  std::vector<FrequencyRange> dead_regions_hz;  // places (by their frequency) with no surviving neurons

  // --- residual hearing (EAS) ----------------------------------------------------------------------
  // Above 0: the same ear also hears acoustically below this frequency, through the hearing-loss
  // model of its audiogram (electric-acoustic stimulation). The electric bands should start near it.
  double acoustic_crossover_hz = 0.0;

  bool operator==(const ImplantMap&) const = default;
};

inline constexpr double kMaxStimulationRatePps = 10000.0;
inline constexpr int kMaxElectrodes = 32;

// Active electrode indices (apical first), after switching off.
std::vector<int> active_electrodes(const ImplantMap& map);
// Device number of electrode index i (see basal_first_numbering).
int electrode_number(const ImplantMap& map, int index);
// Band edges for the active electrodes (active+1 values), redistributed if needed.
std::vector<double> active_band_edges(const ImplantMap& map);

// Every problem, each named `field` + "." + the key ("left.implant.maxima").
SpecErrors validate(const ImplantMap& map, const std::string& field);

const char* to_string(ImplantStrategy s);
const char* to_string(EnvelopeDetector e);
const char* to_string(Carrier c);

}  // namespace earshot
