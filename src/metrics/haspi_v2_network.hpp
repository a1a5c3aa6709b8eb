#pragma once
// HASPI v2's ensemble of neural networks (Kates & Arehart 2021, Speech Communication 131, section
// 3.3): the model constants that map ten modulation-filter correlations to intelligibility.
#include <array>

namespace earshot {

struct HaspiV2Net {
  std::array<std::array<double, 4>, 11> hidden;  // [bias + 10 inputs][hidden neuron]
  std::array<double, 5> output;                  // bias + 4 hidden neurons
};
using HaspiV2Network = std::array<HaspiV2Net, 10>;

const HaspiV2Network& haspi_v2_ensemble();

// The ensemble's mean output for an identical pair is 0.9508, not 1: HASPI v2 divides by it
// (Kates & Arehart 2021; pyclarity's normalization_factor).
inline constexpr double kHaspiV2Normalisation = 0.9508;

}  // namespace earshot
