#include "dsp/butterworth.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace earshot {
namespace {

using cd = std::complex<double>;

// RBJ cookbook form of a second-order Butterworth section.
Biquad second_order(double cutoff_hz, double fs, bool high) {
  const double w = 2.0 * std::numbers::pi * cutoff_hz / fs;
  const double alpha = std::sin(w) / std::numbers::sqrt2;  // sin(w) / (2Q), Q = 1/sqrt(2)
  const double cw = std::cos(w);
  const double a0 = 1.0 + alpha;
  Biquad s;
  s.b0 = (high ? (1.0 + cw) : (1.0 - cw)) / 2.0 / a0;
  s.b1 = (high ? -(1.0 + cw) : (1.0 - cw)) / a0;
  s.b2 = s.b0;
  s.a1 = -2.0 * cw / a0;
  s.a2 = (1.0 - alpha) / a0;
  return s;
}

cd response(const Biquad& s, double w) {
  const cd z1 = std::polar(1.0, -w), z2 = std::polar(1.0, -2.0 * w);
  return (s.b0 + s.b1 * z1 + s.b2 * z2) / (1.0 + s.a1 * z1 + s.a2 * z2);
}

cd cascade_response(const std::vector<Biquad>& sections, double frequency_hz, double fs) {
  cd h = 1.0;
  const double w = 2.0 * std::numbers::pi * frequency_hz / fs;
  for (const auto& s : sections) h *= response(s, w);
  return h;
}

}  // namespace

Biquad butterworth_lowpass2(double cutoff_hz, double fs) { return second_order(cutoff_hz, fs, false); }
Biquad butterworth_highpass2(double cutoff_hz, double fs) { return second_order(cutoff_hz, fs, true); }

std::vector<Biquad> butterworth_bandpass(int order, double low_hz, double high_hz, double fs) {
  // Prewarped analogue edges; centre and bandwidth of the band-pass transform s -> (s^2 + w0^2)/(B s).
  const double k = 2.0 * fs;
  const double w1 = k * std::tan(std::numbers::pi * low_hz / fs);
  const double w2 = k * std::tan(std::numbers::pi * high_hz / fs);
  const double w0sq = w1 * w2, bw = w2 - w1;
  // Each prototype pole p gives two band-pass poles, the roots of s^2 - p B s + w0^2.
  std::vector<cd> poles;
  for (int i = 0; i < order; ++i) {
    const cd p = std::polar(1.0, std::numbers::pi * (2.0 * i + order + 1) / (2.0 * order));
    const cd pb = p * bw;
    const cd root = std::sqrt(pb * pb - 4.0 * w0sq);
    poles.push_back((pb + root) / 2.0);
    poles.push_back((pb - root) / 2.0);
  }
  // Pair conjugates (upper half-plane with its mirror); real poles pair with each other.
  std::vector<cd> upper, real;
  for (const cd& s : poles) {
    if (std::abs(s.imag()) < 1e-9 * std::abs(s)) real.push_back(cd(s.real(), 0.0));
    else if (s.imag() > 0.0) upper.push_back(s);
  }
  std::vector<std::pair<cd, cd>> pairs;
  for (const cd& s : upper) pairs.push_back({s, std::conj(s)});
  std::sort(real.begin(), real.end(), [](cd a, cd b) { return a.real() < b.real(); });
  for (std::size_t i = 0; i + 1 < real.size(); i += 2) pairs.push_back({real[i], real[i + 1]});
  // Every section gets one zero at s = 0 (z = 1) and one at infinity (z = -1): (1 - z^-2).
  std::vector<Biquad> sections;
  for (const auto& [sa, sb] : pairs) {
    const cd za = (k + sa) / (k - sa), zb = (k + sb) / (k - sb);
    Biquad q;
    q.b0 = 1.0;
    q.b1 = 0.0;
    q.b2 = -1.0;
    q.a1 = -(za + zb).real();
    q.a2 = (za * zb).real();
    sections.push_back(q);
  }
  // Unity gain at the (digital) geometric centre.
  const double centre_hz = std::atan(std::sqrt(w0sq) / k) * fs / std::numbers::pi;
  const double gain = magnitude_response(sections, centre_hz, fs);
  const double per_section = std::pow(gain, -1.0 / static_cast<double>(sections.size()));
  for (auto& q : sections) {
    q.b0 *= per_section;
    q.b2 *= per_section;
  }
  return sections;
}

double magnitude_response(const std::vector<Biquad>& sections, double frequency_hz, double fs) {
  return std::abs(cascade_response(sections, frequency_hz, fs));
}

double group_delay_frames(const std::vector<Biquad>& sections, double frequency_hz, double fs) {
  const double df = std::max(0.01, frequency_hz * 1e-4);
  const double f1 = std::max(0.0, frequency_hz - df), f2 = frequency_hz + df;
  double d = std::arg(cascade_response(sections, f2, fs)) - std::arg(cascade_response(sections, f1, fs));
  while (d > std::numbers::pi) d -= 2.0 * std::numbers::pi;
  while (d < -std::numbers::pi) d += 2.0 * std::numbers::pi;
  return -d / (2.0 * std::numbers::pi * (f2 - f1) / fs);
}

double impulse_response_energy(std::vector<Biquad> sections, int frames) {
  for (auto& s : sections) s.reset();
  double energy = 0.0;
  for (int i = 0; i < frames; ++i) {
    double y = i == 0 ? 1.0 : 0.0;
    for (auto& s : sections) y = s.step(y);
    energy += y * y;
  }
  return energy;
}

}  // namespace earshot
