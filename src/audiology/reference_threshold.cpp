#include "audiology/reference_threshold.hpp"

#include <array>
#include <cmath>

namespace earshot {
namespace {

struct Row {
  double frequency_hz;
  double free_db_spl;
  double diffuse_db_spl;
};

// ISO 389-7:2005 Table 1: reference thresholds of hearing, free field (frontal incidence) and
// diffuse field, at the preferred one-third-octave frequencies (plus 750, 1500, 3000, 6000, 9000,
// 11200, 14000 Hz given by the standard). Below 500 Hz the two fields share values.
constexpr std::array<Row, 37> kTable{{
    {20, 78.5, 78.5},     {25, 68.7, 68.7},     {31.5, 59.5, 59.5},   {40, 51.1, 51.1},
    {50, 44.0, 44.0},     {63, 37.5, 37.5},     {80, 31.5, 31.5},     {100, 26.5, 26.5},
    {125, 22.1, 22.1},    {160, 17.9, 17.9},    {200, 14.4, 14.4},    {250, 11.4, 11.4},
    {315, 8.6, 8.4},      {400, 6.2, 5.8},      {500, 4.4, 3.8},      {630, 3.0, 2.1},
    {750, 2.4, 1.2},      {800, 2.2, 1.0},      {1000, 2.4, 0.8},     {1250, 3.5, 1.9},
    {1500, 2.4, 1.0},     {1600, 1.7, 0.5},     {2000, -1.3, -1.5},   {2500, -4.2, -3.1},
    {3000, -5.8, -4.0},   {3150, -6.0, -4.0},   {4000, -5.4, -3.8},   {5000, -1.5, -1.8},
    {6000, 4.3, 1.4},     {6300, 6.0, 2.5},     {8000, 12.6, 6.8},    {9000, 13.9, 8.4},
    {10000, 13.9, 9.8},   {11200, 13.0, 11.5},  {12500, 12.3, 14.4},  {14000, 18.4, 23.2},
    {16000, 40.2, 43.7},
}};

double value(const Row& r, SoundField field) {
  return field == SoundField::free ? r.free_db_spl : r.diffuse_db_spl;
}

}  // namespace

double reference_threshold_db_spl(double frequency_hz, SoundField field) {
  if (frequency_hz <= kTable.front().frequency_hz) return value(kTable.front(), field);
  if (frequency_hz >= kTable.back().frequency_hz) return value(kTable.back(), field);
  for (std::size_t i = 1; i < kTable.size(); ++i) {
    if (frequency_hz <= kTable[i].frequency_hz) {
      const Row& lo = kTable[i - 1];
      const Row& hi = kTable[i];
      const double t = std::log(frequency_hz / lo.frequency_hz) / std::log(hi.frequency_hz / lo.frequency_hz);
      return value(lo, field) + t * (value(hi, field) - value(lo, field));
    }
  }
  return value(kTable.back(), field);
}

const char* to_string(SoundField field) { return field == SoundField::free ? "free" : "diffuse"; }

}  // namespace earshot
