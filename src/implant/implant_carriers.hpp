#pragma once
// What each electrode sounds like when auralized: the spectrum of its excitation along the
// cochlea, and the carriers built from it (see ImplantPlan).
//
// An electrode excites its own region fully and, beyond it, less by spread_db_per_mm for every mm
// of cochlear distance (current spread; monopolar stimulation decays by a few dB per mm: the CI
// auralizer of openMHA uses a 3.1 mm space constant, 2.8 dB/mm, and Winn's vocoder scripts 2 to
// 3.3 dB/mm). Places in dead regions are silent.
#include <vector>

#include "implant/implant_design.hpp"

namespace earshot {

// Amplitude of electrode `e`'s excitation at the place whose frequency is `frequency_hz`.
double excitation_weight(const ImplantMap& map, const ImplantElectrode& e, double frequency_hz);

// Fills the plan's carrier tables (noise, harmonic, sine), sine mixing and pulse responses for
// map.carrier. Needs plan.electrodes, sample_rate_hz and seed.
void design_carriers(ImplantPlan& plan);

}  // namespace earshot
