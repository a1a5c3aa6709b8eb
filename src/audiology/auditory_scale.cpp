#include "audiology/auditory_scale.hpp"

#include <cmath>

namespace earshot {

double erb_hz(double frequency_hz) { return 24.7 * (4.37 * frequency_hz / 1000.0 + 1.0); }

double erb_number(double frequency_hz) { return kErbNumberPerDecade * std::log10(4.37 * frequency_hz / 1000.0 + 1.0); }

double frequency_from_erb_number(double erb_number) {
  return (std::pow(10.0, erb_number / 21.4) - 1.0) * 1000.0 / 4.37;
}

double roex_weight(double p, double g) {
  const double pg = p * g;
  return (1.0 + pg) * std::exp(-pg);
}

}  // namespace earshot
