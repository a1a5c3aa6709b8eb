#include "implant/implant_carriers.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <numeric>
#include <span>

#include "audiology/cochlear_place.hpp"
#include "dsp/real_fft.hpp"
#include "support/random_source.hpp"
#include "support/seed.hpp"

namespace earshot {
namespace {

// Inverse real FFT of a half spectrum (n/2 + 1 bins) into n samples.
std::vector<float> inverse_fft(const std::vector<std::complex<double>>& half, int n) {
  RealFftDouble fft(n);
  for (int k = 0; k <= n / 2; ++k) {
    fft.spectrum()[k][0] = half[k].real();
    fft.spectrum()[k][1] = half[k].imag();
  }
  fft.inverse();
  return std::vector<float>(fft.time(), fft.time() + n);
}

void normalise_rms(std::vector<float>& x) {
  double sum = 0.0;
  for (float v : x) sum += double(v) * v;
  if (sum <= 0.0) return;
  const float g = static_cast<float>(1.0 / std::sqrt(sum / x.size()));
  for (float& v : x) v *= g;
}

// A table one period long, padded with a copy of its start.
std::vector<float> padded(std::vector<float> table, int padding) {
  table.resize(table.size() + padding);
  std::copy_n(table.begin(), padding, table.end() - padding);
  return table;
}

// Pulse rate (pulses/s = R^2) at which a pulse-spreading harmonic complex is least modulated after
// auditory filtering, by band centre (Hilkhuysen & Macherey 2014, as tabulated in Gaudrain's vocoder).
double pshc_root_rate(double frequency_hz) {
  static constexpr double kHz[] = {250, 500, 1000, 2000, 4000, 6000, 8000};
  static constexpr double kRoot[] = {9, 10, 14, 18, 25, 30, 35};
  if (frequency_hz <= kHz[0]) return kRoot[0];
  for (int i = 1; i < 7; ++i) {
    if (frequency_hz <= kHz[i]) {
      const double t = std::log(frequency_hz / kHz[i - 1]) / std::log(kHz[i] / kHz[i - 1]);
      return kRoot[i - 1] + t * (kRoot[i] - kRoot[i - 1]);
    }
  }
  return kRoot[6];
}

}  // namespace

double excitation_weight(const ImplantMap& map, const ImplantElectrode& e, double frequency_hz) {
  if (frequency_hz <= 20.0) return 0.0;
  for (const auto& r : map.dead_regions_hz) {
    if (frequency_hz >= r.low_hz && frequency_hz <= r.high_hz) return 0.0;
  }
  const double depth = greenwood_depth_mm(frequency_hz);
  const double distance = std::max({0.0, e.region_basal_mm - depth, depth - e.region_apical_mm});
  return std::pow(10.0, -map.spread_db_per_mm * distance / 20.0);
}

void design_carriers(ImplantPlan& plan) {
  const ImplantMap& map = plan.map;
  const double fs = plan.sample_rate_hz;
  const int electrodes = static_cast<int>(plan.electrodes.size());
  // The project's own generator and shuffle: the same tables on every platform and standard library.
  RandomSource rng;
  rng.set_state(derive_seed(plan.seed, {kSeedImplantCarrier}));

  // Tables about 0.75 s long (a power of two): a sine's frequency is then within 0.7 Hz of its
  // place at 44.1 kHz, and the harmonic carrier's fundamental is fs / length.
  int n = 1;
  while (n < 0.7 * fs) n *= 2;
  plan.table_length = n;
  plan.table_padding = static_cast<int>(std::ceil(plan.frames_per_stimulation_frame)) + 2;
  const int bins = n / 2 + 1;
  std::vector<std::vector<double>> weight(electrodes, std::vector<double>(bins, 0.0));
  for (int e = 0; e < electrodes; ++e) {
    for (int k = 1; k < bins - 1; ++k) weight[e][k] = excitation_weight(map, plan.electrodes[e], k * fs / n);
  }

  plan.carrier_tables.clear();
  plan.pulse_responses.clear();
  plan.pulse_centres.clear();
  plan.sine_mixing.clear();
  switch (map.carrier) {
    case Carrier::noise:
      for (int e = 0; e < electrodes; ++e) {
        std::vector<std::complex<double>> half(bins);
        for (int k = 0; k < bins; ++k) {
          const double re = rng.gaussian();  // real part first, then imaginary (order is part of the output)
          const double im = rng.gaussian();
          half[k] = weight[e][k] * std::complex<double>(re, im);
        }
        auto table = inverse_fft(half, n);
        normalise_rms(table);
        plan.carrier_tables.push_back(padded(std::move(table), plan.table_padding));
      }
      // Two read heads at random positions, cross-faded with equal power (cos, sin), each renewed
      // while silent, every 0.1 s: the noise never repeats, and two independent Gaussian noises
      // mixed as cos/sin keep the same power and statistics throughout.
      plan.crossfade_frames = std::max(64, static_cast<int>(0.1 * fs));
      plan.crossfade_gain.resize(2 * plan.crossfade_frames);
      for (int i = 0; i < 2 * plan.crossfade_frames; ++i) {
        plan.crossfade_gain[i] = static_cast<float>(std::cos(0.5 * std::numbers::pi * std::min(i, 2 * plan.crossfade_frames - i) / plan.crossfade_frames));
      }
      break;
    case Carrier::harmonic: {
      // Pulse-spreading harmonic complex (Hilkhuysen & Macherey 2014): harmonics of f0 in groups
      // j = 0..N-1 ((h + j) mod N = 0), each group with phases 2 pi (u_j h / N^2 + v_j), u a random
      // permutation of 0..N-1 and v_j uniform, which spreads the pulses of a harmonic complex into
      // a train of f0 N^2 pulses per second with a flat envelope after auditory filtering.
      const double f0 = fs / n;
      for (int e = 0; e < electrodes; ++e) {
        const int groups = std::max(1, static_cast<int>(std::lround(pshc_root_rate(plan.electrodes[e].place_hz) / std::sqrt(f0))));
        std::vector<int> u(groups);
        std::iota(u.begin(), u.end(), 0);
        shuffle(std::span<int>(u), rng);
        std::vector<double> v(groups);
        for (double& x : v) x = rng.uniform();
        std::vector<std::complex<double>> half(bins);
        for (int h = 1; h < bins - 1; ++h) {
          const int j = (groups - h % groups) % groups;
          const double phase = 2.0 * std::numbers::pi * (static_cast<double>(u[j]) * h / (double(groups) * groups) + v[j]);
          half[h] = std::polar(weight[e][h], phase);
        }
        auto table = inverse_fft(half, n);
        normalise_rms(table);
        plan.carrier_tables.push_back(padded(std::move(table), plan.table_padding));
      }
      break;
    }
    case Carrier::sine: {
      // A sinusoid at each electrode's place (Dorman et al. 1997), at the nearest frequency that is
      // periodic in the table. Current spread mixes the electrodes' envelopes instead (Crew, Galvin
      // & Fu 2012): a sine hears the other electrodes as much as their excitation reaches its place.
      for (int e = 0; e < electrodes; ++e) {
        const int k = static_cast<int>(std::lround(plan.electrodes[e].place_hz * n / fs));
        std::vector<float> table(n, 0.0f);
        if (k >= 1 && k < n / 2 && excitation_weight(map, plan.electrodes[e], plan.electrodes[e].place_hz) > 0.0) {
          for (int i = 0; i < n; ++i) table[i] = static_cast<float>(std::numbers::sqrt2 * std::sin(2.0 * std::numbers::pi * double(k) * i / n));
        }
        plan.carrier_tables.push_back(padded(std::move(table), plan.table_padding));
      }
      plan.sine_mixing.assign(static_cast<std::size_t>(electrodes) * electrodes, 0.0f);
      for (int r = 0; r < electrodes; ++r) {
        for (int s = 0; s < electrodes; ++s) {
          plan.sine_mixing[static_cast<std::size_t>(r) * electrodes + s] =
              static_cast<float>(excitation_weight(map, plan.electrodes[s], plan.electrodes[r].place_hz));
        }
      }
      break;
    }
    case Carrier::pulsatile: {
      // Each pulse is a click with the electrode's excitation spectrum: the zero-phase impulse
      // response of excitation_weight, Hann-windowed, cut where it falls below -60 dB, unit energy.
      int m = 1;
      while (m < 0.08 * fs) m *= 2;
      const int mb = m / 2 + 1;
      for (int e = 0; e < electrodes; ++e) {
        std::vector<std::complex<double>> half(mb);
        for (int k = 1; k < mb - 1; ++k) half[k] = excitation_weight(map, plan.electrodes[e], k * fs / m);
        auto ir = inverse_fft(half, m);
        std::vector<float> centred(m);
        for (int i = 0; i < m; ++i) {
          const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / m);
          centred[i] = static_cast<float>(ir[(i + m / 2) % m] * w);
        }
        float peak = 0.0f;
        for (float v : centred) peak = std::max(peak, std::abs(v));
        int first = 0, last = m - 1;
        while (first < m / 2 && std::abs(centred[first]) < 1e-3f * peak) ++first;
        while (last > m / 2 && std::abs(centred[last]) < 1e-3f * peak) --last;
        const int half_span = std::max(m / 2 - first, last - m / 2);
        std::vector<float> trimmed(centred.begin() + (m / 2 - half_span), centred.begin() + (m / 2 + half_span + 1));
        double energy = 0.0;
        for (float v : trimmed) energy += double(v) * v;
        if (energy > 0.0) for (float& v : trimmed) v = static_cast<float>(v / std::sqrt(energy));
        plan.pulse_centres.push_back(half_span);
        plan.pulse_responses.push_back(std::move(trimmed));
      }
      plan.pulse_amplitude_scale = static_cast<float>(std::sqrt(fs / map.rate_pps));
      break;
    }
  }
}

}  // namespace earshot
