#pragma once
// Implant character, "sounds-like" mode: ARTISTIC, NOT CLINICAL. What people who hear with a
// cochlear implant in one ear and normally in the other say their implant sounds like at
// switch-on — metallic, harsh, high-pitched and monotone — and how it settles as they get used to
// it. Dorman et al. (2020, "Approximations to the voice of a cochlear implant: explorations with
// single-sided deaf listeners", Trends in Hearing 24) had such listeners match their implant with
// operations on clean speech; this layer uses four of them, each scaled by a strength that decays
// from 1 at switch-on as exp(-(t - start) / acclimatisation):
//   - formant shift: the spectral envelope moved up by `formant_shift_semitones` (the upshift
//     they chose most for shallow insertions), harmonics left where they are;
//   - pitch flattening: a share `pitch_flattening` of every analysis frame re-synthesised with
//     zero phase, which puts a constant F0 (`monotone_hz`) under the same spectral envelope (F0
//     contour flattening, one of their three most common operations);
//   - harshness: a spectral tilt of up to +6 dB per octave above 1 kHz (at most +12 dB);
//   - metallic: ringing resonances ("altering resonances and ring times"), at the mode ratios of
//     a free metal bar (1 : 2.76 : 5.40 : 8.93) from `metallic_hz`, ringing for `ring_ms`.
// Each frame keeps its power, so the layer changes timbre, not loudness. The strength curve and
// the amounts are a sound designer's settings; no listening data calibrate them.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dsp/butterworth.hpp"
#include "dsp/real_fft.hpp"
#include "support/spec_error.hpp"

namespace earshot {

struct ImplantCharacterParams {
  double start_s = 0.0;                  // switch-on
  double acclimatisation_s = 60.0;       // time constant of the decay of every operation
  double formant_shift_semitones = 4.0;
  double pitch_flattening = 0.8;         // 0..1
  double harshness = 0.7;                // 0..1 of the full tilt
  double metallic = 0.6;                 // 0..1, level of the ringing relative to the sound
  double monotone_hz = 110.0;            // the flattened voice's F0
  double metallic_hz = 900.0;            // lowest resonance
  double ring_ms = 120.0;                // 60 dB decay time of the resonances
};

SpecErrors validate(const ImplantCharacterParams& params, double sample_rate_hz, const std::string& field);

// Strength 0..1 at a scene time: 0 before switch-on, then exp(-(t - start) / acclimatisation).
double implant_character_strength(const ImplantCharacterParams& params, double time_s);

class ImplantCharacter {
 public:
  ImplantCharacter();
  ~ImplantCharacter();
  ImplantCharacter(ImplantCharacter&&) noexcept;
  ImplantCharacter& operator=(ImplantCharacter&&) noexcept;

  void prepare(const ImplantCharacterParams& params, double sample_rate_hz);  // may allocate
  void reset() noexcept;
  // `first_frame`: the timeline frame of in[0]. in may equal out. Output delayed by
  // latency_frames(). The output does not depend on how the timeline is split into calls.
  void process(const float* in, float* out, int frames, std::int64_t first_frame) noexcept;
  int latency_frames() const noexcept { return fft_size_; }
  // Frames of delay for a rate (known before prepare, for the scene's latency).
  static int latency_frames_for(const ImplantCharacterParams& params, double sample_rate_hz);

 private:
  void run_frame(double strength) noexcept;
  void shape_frame(double strength) noexcept;  // the four operations on one frame, into the overlap-add
  void shape_frame_baseline(double strength) noexcept;
  void shape_frame_avx2(double strength) noexcept;  // the same, compiled for AVX2 + FMA

  bool avx2_ = false;  // dsp/simd_path.hpp, read in prepare()

  ImplantCharacterParams params_;
  double sample_rate_hz_ = 0.0;
  int fft_size_ = 0, hop_ = 0, bins_ = 0;
  int smoothing_bins_ = 1;
  std::unique_ptr<RealFft> fft_;
  std::vector<float> window_, synthesis_window_;
  std::vector<float> input_, accumulator_, ready_;
  std::vector<double> power_prefix_;  // running sums of |X|^2 for the spectral envelope
  std::vector<float> envelope_, tilt_db_per_unit_, gain_;
  int position_ = 0;
  // The bar's modes as two-pole resonators (b1 = b2 = 0) side by side, one lane each, so a
  // sample's four steps are one vector step. Lanes past `count` have no gain and no state.
  struct Resonators {
    static constexpr int kLanes = 4;
    alignas(32) double b0[kLanes] = {}, a1[kLanes] = {}, a2[kLanes] = {}, z1[kLanes] = {}, z2[kLanes] = {};
    int count = 0;
    void reset() noexcept {
      for (int m = 0; m < kLanes; ++m) z1[m] = z2[m] = 0.0;
    }
    // The sum of the resonators' outputs for input x (Biquad::step's arithmetic, lane by lane).
    double step(double x) noexcept {
      double y[kLanes];
      for (int m = 0; m < kLanes; ++m) {
        y[m] = b0[m] * x + z1[m];
        z1[m] = z2[m] - a1[m] * y[m];
        z2[m] = -a2[m] * y[m];
      }
      return ((y[0] + y[1]) + y[2]) + y[3];
    }
  };
  Resonators resonators_;
};

}  // namespace earshot
