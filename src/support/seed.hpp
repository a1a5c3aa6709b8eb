#pragma once
// Seed derivation: every random stream in earshot comes from the user's seed and a path of small
// integers naming the stream (what it is for, which ear, which layer), through a documented hash,
// so that no two streams share a seed by arithmetic accident (with `seed + ear`, seed 1's right ear
// was seed 2's left ear).
//
//   mix(z)  = splitmix64's finaliser (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
//             generators", OOPSLA; constants of Stafford's variant 13):
//               z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
//               z = (z ^ (z >> 27)) * 0x94D049BB133111EB
//               return z ^ (z >> 31)                      (all arithmetic mod 2^64)
//   derive_seed(seed, {p1, ..., pn}):
//               h = seed
//               for each p: h = mix(h ^ mix(p + 0x9E3779B97F4A7C15))
//               return h
//
// mix is a bijection of 64-bit words, so one step with the same path element never maps two seeds
// to one; streams of different paths or seeds coincide only by a 2^-64 chance. derive_seed with an
// empty path is the seed itself, and derivation composes:
// derive_seed(derive_seed(s, {a}), {b}) == derive_seed(s, {a, b}), so a model given its ear's seed
// derives the same stream as a caller that knew the whole path.
//
// The streams (path from the user's seed), which tests/random_golden_test.cpp pins:
//   {kSeedEar, ear}                          an ear's models (design_ear's seed); under it:
//   {kSeedEar, ear, kSeedSmearing}             the smeared energy's random phases
//   {kSeedEar, ear, kSeedJitter}               temporal jitter's delay noise
//   {kSeedEar, ear, kSeedImplantCarrier}       the implant's noise and harmonic carriers
//   {kSeedEar, ear, kSeedImplantReadHeads}     the implant noise carriers' read positions
//   {kSeedTinnitus, layer, ear}              a scene's tinnitus layer
//   {kSeedMasker, layer, ear}                a scene's masker layer
//   {kSeedBatchRow, fnv1a64(output name)}    a batch manifest row's render seed (batch/batch_row.hpp),
//                                            from the row's base seed
//   {kSeedHaspiDither, ear}                  HASPI v2's envelope dither in `earshot score --haspi` (seed 1;
//                                            metrics/hearing_aid_index.hpp), and in `earshot report`
//                                            (report/hearing_aid_indices.hpp), where the element is the
//                                            input channel an ear hears (0 when mono)
//   {kSeedHasqiNoise, ear}                   HASQI v2's threshold noise on the BM signals in `earshot
//                                            score --hasqi` (seed 1), and in `earshot report` (per input
//                                            channel, as HASPI's)
// ear is 0 (left) or 1 (right); layer the layer's index in its list.
#include <cstdint>
#include <initializer_list>

namespace earshot {

// Purpose tags: the first element of a stream's path (values are part of the output: never reuse
// or renumber one).
inline constexpr std::uint64_t kSeedEar = 1;
inline constexpr std::uint64_t kSeedSmearing = 2;
inline constexpr std::uint64_t kSeedJitter = 3;
inline constexpr std::uint64_t kSeedImplantCarrier = 4;
inline constexpr std::uint64_t kSeedImplantReadHeads = 5;
inline constexpr std::uint64_t kSeedTinnitus = 6;
inline constexpr std::uint64_t kSeedMasker = 7;
inline constexpr std::uint64_t kSeedBatchRow = 8;
inline constexpr std::uint64_t kSeedHaspiDither = 9;
inline constexpr std::uint64_t kSeedHasqiNoise = 10;

constexpr std::uint64_t seed_mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

constexpr std::uint64_t derive_seed(std::uint64_t seed, std::initializer_list<std::uint64_t> path) noexcept {
  std::uint64_t h = seed;
  for (std::uint64_t p : path) h = seed_mix(h ^ seed_mix(p + 0x9E3779B97F4A7C15ull));
  return h;
}

}  // namespace earshot
