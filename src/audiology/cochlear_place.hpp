#pragma once
// Place along the cochlea and its characteristic frequency: where an electrode (or a band of
// sound) excites the auditory nerve, and what pitch that place conveys.
//
// Places are depths in mm from the base (round window) along the organ of Corti, the convention
// of insertion depths. Two maps:
//   organ of Corti:  Greenwood (1990, JASA 87:2592) for the human cochlea,
//                    f = 165.4 (10^(0.06 x) - 0.88), x = distance from the apex in mm, length 35 mm;
//   spiral ganglion: Stakhovskaya et al. (2007, JARO 8:220), by insertion angle from the round
//                    window. Perimodiolar electrodes stimulate the spiral ganglion, which is
//                    shorter than the organ of Corti and ends about 1.75 turns in: the frequency at a
//                    given angle is that of the ganglion cells there (17.2 kHz at 0 deg, 785 Hz at
//                    360 deg, 58 Hz at 720 deg), log-interpolated between the 90-degree points.
// Auralization works on the organ-of-Corti (Greenwood) axis; an electrode placed by angle is put
// at the Greenwood depth of its spiral-ganglion frequency.
namespace earshot {

inline constexpr double kCochlearLengthMm = 35.0;  // Greenwood (1990): human organ of Corti

enum class PlaceMap { organ_of_corti, spiral_ganglion };

inline constexpr double kMaxSpiralGanglionAngleDeg = 720.0;

// Characteristic frequency (Hz) at `depth_mm` from the base along the organ of Corti.
double greenwood_frequency_hz(double depth_mm);
// Inverse of greenwood_frequency_hz.
double greenwood_depth_mm(double frequency_hz);

// Spiral-ganglion characteristic frequency at `angle_deg` from the round window (0...720).
double spiral_ganglion_frequency_hz(double angle_deg);

const char* to_string(PlaceMap map);

}  // namespace earshot
