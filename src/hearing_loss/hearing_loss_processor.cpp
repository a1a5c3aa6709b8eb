#include "hearing_loss/hearing_loss_processor.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>

#include "audiology/auditory_scale.hpp"
#include "dsp/fast_math.hpp"
#include "dsp/fast_math_lanes.hpp"
#include "dsp/real_fft.hpp"
#include "dsp/simd_path.hpp"
#include "support/seed.hpp"

// The per-frame loops are compiled three times: for the target's baseline, for AVX2 + FMA and for
// AVX-512 (F, BW, VL), picked at run time (prepare). x86-64 with GCC or Clang only; elsewhere the
// baseline copy alone. The AVX-512 copy runs the same eight-float vectors (EVEX-encoded, selects in
// mask registers): sixteen-float weighted sums measured no faster on Zen 5, where the sums wait on
// their weights streaming from L2 (204 kB of smearing weights a frame at 44.1 kHz), not on
// arithmetic (issue #12).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_HL_AVX2 1
#endif
// The helpers inline into each copy so that each copy's loops are compiled for its instruction set.
#define EARSHOT_HL_INLINE [[gnu::always_inline]] inline

namespace earshot {
namespace {
// Power floor: keeps logarithms finite in digital silence (about -300 dB).
constexpr float kTinyPower = 1e-30f;
// No component is attenuated by more than this (dB); below it the output is silence anyway.
constexpr float kGainFloorDb = -200.0f;
// Smeared power landing where the loss is worse than at its source by up to this much counts as
// the source's own broadened excitation (one audiometric step on a steep slope, e.g. S2's 20 dB
// per half octave, is about this).
constexpr float kSpreadLossMarginDb = 10.0f;

// Unit phasors for random phases (a table keeps the inner loop free of sin/cos).
struct PhasorTable {
  static constexpr int kSize = 4096;
  float re[kSize], im[kSize];
  PhasorTable() {
    for (int i = 0; i < kSize; ++i) {
      re[i] = static_cast<float>(std::cos(2.0 * std::numbers::pi * i / kSize));
      im[i] = static_cast<float>(std::sin(2.0 * std::numbers::pi * i / kSize));
    }
  }
};
const PhasorTable kPhasors;

// A random-phase frame spreads its energy evenly over the frame; after the Hann synthesis window
// (sum of squares over the overlapping frames: 2/3 with its 2/3 scale) its power is 1/4 of what the
// same spectral energy carries for a stationary signal under the Hann analysis window (8/3): x2.
constexpr float kIncoherentAmplitude = 2.0f;
}  // namespace

HearingLossProcessor::HearingLossProcessor() = default;
HearingLossProcessor::~HearingLossProcessor() = default;
HearingLossProcessor::HearingLossProcessor(HearingLossProcessor&&) noexcept = default;
HearingLossProcessor& HearingLossProcessor::operator=(HearingLossProcessor&&) noexcept = default;

void HearingLossProcessor::prepare(std::shared_ptr<const HearingLossPlan> plan) {
  plan_ = std::move(plan);
  from_ = to_ = plan_.get();
  alpha_ = 0.0f;
  const int n = plan_->fft_size;
  const auto padded = static_cast<std::size_t>(plan_->padded_bins);
  const auto padded_bands = static_cast<std::size_t>((plan_->bands + kPlanLanes - 1) / kPlanLanes * kPlanLanes);
  path_ = simd_path(SimdPath::avx512);
  fft_ = std::make_unique<RealFft>(n);
  spectrum_re_.assign(padded + 2, 0.0f);
  spectrum_im_.assign(padded + 2, 0.0f);
  windowed_re_.assign(padded, 0.0f);
  windowed_im_.assign(padded, 0.0f);
  difference_re_.assign(padded, 0.0f);
  difference_im_.assign(padded, 0.0f);
  input_.assign(2 * static_cast<std::size_t>(n), 0.0f);
  accumulator_.assign(n, 0.0f);
  ready_.assign(plan_->hop, 0.0f);
  bin_power_.assign(padded, 0.0f);
  spl_power_.assign(padded, 0.0f);
  band_power_.assign(padded_bands, 1.0f);  // the pad past the last band stays 1 (0 dB): finite
  band_level_db_.assign(padded_bands, 0.0f);
  smeared_.assign(padded, 0.0f);
  output_re_.assign(padded, 0.0f);
  output_im_.assign(padded, 0.0f);
  moved_amplitude_.assign(padded, 0.0f);
  phase_index_.assign(padded, 0);
  blend_band_power_.assign(padded_bands, 1.0f);
  blend_loss_db_hl_.assign(plan_->bands, 0.0f);
  blend_own_loss_db_hl_.assign(padded, 0.0f);
  blend_conductive_.assign(padded, 1.0f);
  blend_smeared_.assign(padded, 0.0f);
  reset();
}

void HearingLossProcessor::reset() noexcept {
  std::fill(input_.begin(), input_.end(), 0.0f);
  std::fill(accumulator_.begin(), accumulator_.end(), 0.0f);
  std::fill(ready_.begin(), ready_.end(), 0.0f);
  input_start_ = 0;
  accumulator_head_ = 0;
  position_ = 0;
  random_.set_state(derive_seed(plan_->seed, {kSeedSmearing}));
}

void HearingLossProcessor::set_blend(const HearingLossPlan* from, const HearingLossPlan* to, float alpha) noexcept {
  from_ = from;
  to_ = to;
  alpha_ = std::clamp(alpha, 0.0f, 1.0f);
}

int HearingLossProcessor::latency_frames() const noexcept { return plan_ ? plan_->latency_frames : 0; }

void HearingLossProcessor::process(const float* in, float* out, int frames) noexcept {
  const int n = plan_->fft_size;
  const int hop = plan_->hop;
  int done = 0;
  while (done < frames) {
    const int take = std::min(hop - position_, frames - done);
    // The frame's newest hop, written twice (input_): here and n frames away. (input_start_ is a
    // multiple of hop and n four hops, so a hop never straddles the end of either copy.)
    const int at = input_start_ + n - hop + position_;
    float* first = &input_[static_cast<std::size_t>(at)];
    float* twin = &input_[static_cast<std::size_t>(at >= n ? at - n : at + n)];
    // Read finished output before writing (in may alias out).
    for (int i = 0; i < take; ++i) {
      const float x = in[done + i];
      out[done + i] = ready_[position_ + i];
      first[i] = x;
      twin[i] = x;
    }
    position_ += take;
    done += take;
    if (position_ == hop) {
      run_frame();
      position_ = 0;
    }
  }
}

namespace {
EARSHOT_HL_INLINE void broadcast(float x, FloatLanes& v) noexcept { v = FloatLanes{} + x; }

// y = start + W x for a LaneRows matrix W (hearing_loss_design.hpp), eight rows a block: each
// column's input, broadcast, times its eight rows' weights, into eight partial sums per block
// (column c into sum c mod 8: no chain of dependent adds), added pairwise at the block's end,
// ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7)). The order of the adds is written out, so every
// instruction set sums in the same order. Writes whole blocks (y holds the rows rounded up to 8).
EARSHOT_HL_INLINE void lane_rows_product(const LaneRows& m, const float* x, float start, float* y) noexcept {
  const auto blocks = static_cast<int>(m.first_column.size());
  for (int r = 0; r < blocks; ++r) {
    const float* w = m.weights.data() + m.weight_offset[r];
    const float* xs = x + m.first_column[r];
    const int count = m.column_count[r];
    FloatLanes s0 = {}, s1 = {}, s2 = {}, s3 = {}, s4 = {}, s5 = {}, s6 = {}, s7 = {};
    auto column = [&](FloatLanes& sum, int c) __attribute__((always_inline)) {
      sum += *reinterpret_cast<const FloatLanesAt*>(w + c * kFloatLanes) * xs[c];
    };
    for (int c = 0; c < count; c += 8) {
      column(s0, c);
      column(s1, c + 1);
      column(s2, c + 2);
      column(s3, c + 3);
      column(s4, c + 4);
      column(s5, c + 5);
      column(s6, c + 6);
      column(s7, c + 7);
    }
    store_lanes(start + (((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))), y + r * kFloatLanes);
  }
}

// table[index[l]] lane by lane.
EARSHOT_HL_INLINE void gather(const float* table, const IntLanes& index, FloatLanes& out) noexcept {
  out = FloatLanes{table[index[0]], table[index[1]], table[index[2]], table[index[3]],
                   table[index[4]], table[index[5]], table[index[6]], table[index[7]]};
}

// Square root lane by lane (the file is built with -fno-math-errno, so this is one instruction).
EARSHOT_HL_INLINE void sqrt_lanes(const FloatLanes& x, FloatLanes& out) noexcept {
  for (int l = 0; l < kFloatLanes; ++l) out[l] = std::sqrt(x[l]);
}

// A per-place quantity at fractional band indices, linear between places (idx within [0, bands-1]).
EARSHOT_HL_INLINE void interpolate(const float* per_band, int bands, const FloatLanes& idx, FloatLanes& out) noexcept {
  IntLanes lo = __builtin_convertvector(idx, IntLanes);
  lo = lo < bands - 2 ? lo : IntLanes{} + (bands - 2);
  FloatLanes below, above;
  gather(per_band, lo, below);
  gather(per_band + 1, lo, above);
  out = below + (idx - __builtin_convertvector(lo, FloatLanes)) * (above - below);
}

// audiology/recruitment.hpp's float recruitment_gain_db, lane by lane (the same steps).
EARSHOT_HL_INLINE void recruitment_gain_db_lanes(const FloatLanes& normal_threshold_db_spl, const FloatLanes& loss_db_hl,
                                                 float catch_up_db_spl, const FloatLanes& level_db_spl,
                                                 FloatLanes& gain_db) noexcept {
  const FloatLanes impaired = normal_threshold_db_spl + loss_db_hl;
  const FloatLanes lowest_catch_up = impaired + static_cast<float>(kMinimumRecruitmentRangeDb);
  FloatLanes catch_up;
  broadcast(catch_up_db_spl, catch_up);
  catch_up = catch_up > lowest_catch_up ? catch_up : lowest_catch_up;
  const FloatLanes expansion_ratio = (catch_up - normal_threshold_db_spl) / (catch_up - impaired);
  const FloatLanes below = level_db_spl - catch_up;
  gain_db = (expansion_ratio - 1.0f) * (below < 0.0f ? below : FloatLanes{});
}

EARSHOT_HL_INLINE void db_to_amplitude_lanes(const FloatLanes& db, FloatLanes& amplitude) noexcept {
  fast_exp2_lanes(db * kLog2PerDbAmplitude, amplitude);
}
}  // namespace

EARSHOT_HL_INLINE void HearingLossProcessor::excitation(const HearingLossPlan& q, float* power) const noexcept {
  lane_rows_product(q.band_rows, spl_power_.data(), kTinyPower, power);
}

EARSHOT_HL_INLINE void HearingLossProcessor::smear(const HearingLossPlan& q, float* out) const noexcept {
  if (!q.smearing_active) {
    std::copy(bin_power_.begin(), bin_power_.end(), out);
    return;
  }
  lane_rows_product(q.smear_rows, bin_power_.data(), 0.0f, out);
}

// Every per-bin step works on eight bins at a time (the plan's per-bin vectors and the buffers are
// padded to whole lanes; what the pad lanes compute is never used).
EARSHOT_HL_INLINE void HearingLossProcessor::frame_body() noexcept {
  const HearingLossPlan& p = *plan_;  // the layout; the loss-dependent parts come from from_/to_
  const int n = p.fft_size;
  const int hop = p.hop;
  const int bins = p.bins;
  const int padded = p.padded_bins;
  const int bands = p.bands;
  float* time = fft_->time();
  RealFft::Bin* spec = fft_->spectrum();
  // One state, or a mix of two (set_blend). A blend at 0 or 1 is exactly that state's model.
  const bool blending = from_ != to_ && alpha_ > 0.0f && alpha_ < 1.0f;
  const HearingLossPlan& a = alpha_ >= 1.0f ? *to_ : *from_;
  const float w1 = blending ? alpha_ : 0.0f, w0 = 1.0f - w1;

  // One FFT of the unwindowed frame, X. The periodic Hann window is 1/2 - 1/4 e^{+i th n} - 1/4
  // e^{-i th n} (th = 2 pi / N) and its derivative (pi/N) sin(th n) = (pi/N)(e^{+i th n} - e^{-i th n})/2i,
  // and multiplying by e^{+-i th n} shifts the spectrum by one bin, so
  //   windowed[k]   = X[k]/2 - (X[k-1] + X[k+1])/4,
  //   derivative[k] = (pi/N) (X[k-1] - X[k+1]) / 2i,
  // with X[-1] = conj X[1] and X[N/2+1] = conj X[N/2-1] (a real frame's spectrum).
  std::copy(input_.begin() + input_start_, input_.begin() + input_start_ + n, time);
  fft_->forward();
  float* xr = spectrum_re_.data();  // xr[k + 1] is X[k]
  float* xi = spectrum_im_.data();
  {
    const float* x = &spec[0][0];
    int k = 0;
    for (; k + kFloatLanes <= bins; k += kFloatLanes) {
      FloatLanes first, second;
      load_lanes(x + 2 * k, first);
      load_lanes(x + 2 * k + kFloatLanes, second);
      const FloatLanes re = __builtin_shufflevector(first, second, 0, 2, 4, 6, 8, 10, 12, 14);
      const FloatLanes im = __builtin_shufflevector(first, second, 1, 3, 5, 7, 9, 11, 13, 15);
      store_lanes(re, xr + k + 1);
      store_lanes(im, xi + k + 1);
    }
    for (; k < bins; ++k) {
      xr[k + 1] = spec[k][0];
      xi[k + 1] = spec[k][1];
    }
    xr[0] = xr[2];
    xi[0] = -xi[2];
    xr[bins + 1] = xr[bins - 1];
    xi[bins + 1] = -xi[bins - 1];
  }
  float* wre = windowed_re_.data();
  float* wim = windowed_im_.data();
  float* dre = difference_re_.data();
  float* dim = difference_im_.data();
  for (int k = 0; k < padded; k += kFloatLanes) {
    FloatLanes below, centre, above;
    load_lanes(xr + k, below);
    load_lanes(xr + k + 1, centre);
    load_lanes(xr + k + 2, above);
    store_lanes(0.5f * centre - 0.25f * (below + above), wre + k);
    store_lanes(below - above, dre + k);
    load_lanes(xi + k, below);
    load_lanes(xi + k + 1, centre);
    load_lanes(xi + k + 2, above);
    store_lanes(0.5f * centre - 0.25f * (below + above), wim + k);
    store_lanes(below - above, dim + k);
  }
  wim[0] = 0.0f;         // DC and Nyquist are real
  wim[bins - 1] = 0.0f;

  // The state's conductive attenuation (per bin) and sensorineural loss (per place and at each
  // bin's own place); a blend mixes both in dB.
  const float* conductive = a.conductive_gain.data();
  const float* loss_db_hl = a.band_loss_db_hl.data();
  const float* own_loss_db_hl = a.bin_own_loss_db_hl.data();
  if (blending) {
    const HearingLossPlan& b = *to_;
    // A bin with no conductive attenuation in either state keeps none (pow(1, w) is exactly 1);
    // sensorineural-only moves (most scenes) skip both powf of every such bin, bit for bit.
    for (int k = 0; k < padded; ++k) {
      const float ca = a.conductive_gain[k], cb = b.conductive_gain[k];
      blend_conductive_[k] = ca == 1.0f && cb == 1.0f ? 1.0f : std::pow(ca, w0) * std::pow(cb, w1);
    }
    for (int i = 0; i < bands; ++i) blend_loss_db_hl_[i] = w0 * a.band_loss_db_hl[i] + w1 * b.band_loss_db_hl[i];
    conductive = blend_conductive_.data();
    loss_db_hl = blend_loss_db_hl_.data();
    for (int k = 0; k < padded; k += kFloatLanes) {
      FloatLanes idx, own;
      load_lanes(p.bin_band_index.data() + k, idx);
      interpolate(loss_db_hl, bands, idx, own);
      store_lanes(own, blend_own_loss_db_hl_.data() + k);
    }
    own_loss_db_hl = blend_own_loss_db_hl_.data();
  }

  // Calibrated power spectrum after the conductive attenuation.
  float* bin_power = bin_power_.data();
  for (int k = 0; k < padded; k += kFloatLanes) {
    FloatLanes re, im, c;
    load_lanes(wre + k, re);
    load_lanes(wim + k, im);
    load_lanes(conductive + k, c);
    const FloatLanes power = re * re + im * im;
    store_lanes(power, bin_power + k);
    store_lanes(power * p.power_to_spl * c * c + kTinyPower, spl_power_.data() + k);
  }

  // Excitation level at each place (roex filters broadened by the loss; a blend mixes the levels
  // through both states' filters in dB).
  excitation(a, band_power_.data());
  if (blending) excitation(*to_, blend_band_power_.data());
  for (int i = 0; i < bands; i += kFloatLanes) {
    FloatLanes power, level;
    load_lanes(band_power_.data() + i, power);
    fast_log2_lanes(power, level);
    level *= kDbPerLog2Power;
    if (blending) {
      FloatLanes to_level;
      load_lanes(blend_band_power_.data() + i, power);
      fast_log2_lanes(power, to_level);
      level = w0 * level + w1 * (to_level * kDbPerLog2Power);
    }
    store_lanes(level, band_level_db_.data() + i);
  }
  const bool smearing = a.smearing_active || (blending && to_->smearing_active);

  // Smearing comes before the recruitment gains (Nejime & Moore 1997's order): the power a bin
  // keeps takes its own gain, the power moved into it the gain for moved power below. A blend
  // mixes the two states' smeared spectra.
  if (smearing) {
    smear(a, smeared_.data());
    if (blending) {
      smear(*to_, blend_smeared_.data());
      for (int k = 0; k < bins; ++k) smeared_[k] = w0 * smeared_[k] + w1 * blend_smeared_[k];
    }
  }

  // Each component's place: its instantaneous frequency (Auger & Flandrin 1995), f_k - Im(D conj(W))
  // / |W|^2 in radians per sample, as a fractional band index on the ERB-number scale. The
  // estimate is used only where the power is above 1e-20 and the place is a finite number (a
  // spectrum that overflowed float gives inf / inf = NaN, which would pass a clamp unchanged and
  // index out of bounds below); elsewhere the bin's own frequency.
  // Im(D conj(W)) = (pi/N)/2 * -(Re(dd) Re(W) + Im(dd) Im(W)), dd = X[k-1] - X[k+1].
  const float shift_scale = static_cast<float>(std::numbers::pi / (2.0 * n) * p.sample_rate_hz / (2.0 * std::numbers::pi));
  const float inv_step = static_cast<float>(1.0 / p.band_step_erb);
  const float first = static_cast<float>(p.first_band_erb_number);
  const float last_band_index = static_cast<float>(bands - 1);
  // erb_number(f) = 21.4 log10(4.37 f / 1000 + 1), in log2 and in band steps.
  const float erb_per_log2 = static_cast<float>(kErbNumberPerDecade * std::numbers::ln2 / std::numbers::ln10) * inv_step;
  const float erb_per_hz = static_cast<float>(kErbNumberPerHz);
  const float first_index = first * inv_step;
  const int last_centre = std::max(1, bands - 2);
  const float catch_up = static_cast<float>(p.catch_up_db_spl);
  const float* level_db = band_level_db_.data();
  const float* t0_db_spl = p.band_normal_threshold_db_spl.data();
  FloatLanes zero = {}, one, last_index, floor_db;
  broadcast(1.0f, one);
  broadcast(last_band_index, last_index);
  broadcast(kGainFloorDb, floor_db);
  for (int k = 0; k < padded; k += kFloatLanes) {
    FloatLanes re, im, d_re, d_im, power, bin_hz, c;
    load_lanes(wre + k, re);
    load_lanes(wim + k, im);
    load_lanes(dre + k, d_re);
    load_lanes(dim + k, d_im);
    load_lanes(bin_power + k, power);
    load_lanes(p.bin_hz.data() + k, bin_hz);
    load_lanes(conductive + k, c);
    const FloatLanes num = d_re * re + d_im * im;
    FloatLanes place_hz = bin_hz + num / power * shift_scale;
    const IntLanes usable = (power > 1e-20f) & (place_hz <= std::numeric_limits<float>::max()) &
                            (place_hz >= -std::numeric_limits<float>::max());
    place_hz = usable ? place_hz : bin_hz;
    place_hz = place_hz > 1.0f ? place_hz : one;
    FloatLanes log2_erb;
    fast_log2_lanes(erb_per_hz * place_hz + 1.0f, log2_erb);
    FloatLanes idx = erb_per_log2 * log2_erb - first_index;
    idx = idx < 0.0f ? zero : (idx > last_band_index ? last_index : idx);
    idx = idx >= 0.0f ? idx : zero;  // never a NaN past here (a cast of one to int is undefined)

    // The excitation at the component's place: quadratic across the three nearest places, in dB.
    IntLanes centre = __builtin_convertvector(idx + 0.5f, IntLanes);  // idx >= 0: rounds half up
    centre = centre < 1 ? IntLanes{} + 1 : centre;
    centre = centre > last_centre ? IntLanes{} + last_centre : centre;
    const FloatLanes t = idx - __builtin_convertvector(centre, FloatLanes);
    FloatLanes ym, y0, yp;
    gather(level_db - 1, centre, ym);
    gather(level_db, centre, y0);
    gather(level_db + 1, centre, yp);
    const FloatLanes level = y0 + 0.5f * t * (yp - ym) + 0.5f * t * t * (yp - 2.0f * y0 + ym);
    // The normal threshold and the loss there (linear between places).
    FloatLanes t0, loss;
    interpolate(t0_db_spl, bands, idx, t0);
    interpolate(loss_db_hl, bands, idx, loss);

    // Each component takes the recruitment gain of the excitation at its own place.
    FloatLanes gain_db, bin_gain;
    recruitment_gain_db_lanes(t0, loss, catch_up, level, gain_db);
    gain_db = gain_db < floor_db ? floor_db : gain_db;
    db_to_amplitude_lanes(gain_db, bin_gain);
    bin_gain *= c;
    if (!smearing) {
      store_lanes(re * bin_gain, output_re_.data() + k);
      store_lanes(im * bin_gain, output_im_.data() + k);
      continue;
    }
    // Power smeared into a bin from its source: where the receiving place's loss is worse by more
    // than kSpreadLossMarginDb, the source's component is expanded as that excess loss would
    // expand it, so that excitation spread into clearly worse hearing stays as inaudible as that
    // hearing makes it. It never gets more gain than its source; in a flat or gently sloping loss
    // it gets exactly the source's gain (the broadened skirt of its own excitation).
    FloatLanes own_loss, moved_db, moved;
    load_lanes(own_loss_db_hl + k, own_loss);
    const FloatLanes excess = own_loss - loss - kSpreadLossMarginDb;
    recruitment_gain_db_lanes(t0, loss + excess, catch_up, level, moved_db);
    moved_db = moved_db < floor_db ? floor_db : moved_db;
    db_to_amplitude_lanes(moved_db < gain_db ? moved_db : gain_db, moved);
    moved *= c;
    const FloatLanes moved_gain = excess > 0.0f ? moved : bin_gain;

    // The power a bin keeps takes its own phase and gain; the power moved into it, a random phase
    // (drawn below) and the moved gain.
    FloatLanes smeared, kept_amplitude, moved_amplitude;
    load_lanes(smeared_.data() + k, smeared);
    const FloatLanes kept = power < smeared ? power : smeared;
    sqrt_lanes(kept / (power + kTinyPower), kept_amplitude);
    const FloatLanes scale = bin_gain * kept_amplitude;
    store_lanes(re * scale, output_re_.data() + k);
    store_lanes(im * scale, output_im_.data() + k);
    sqrt_lanes(smeared - kept, moved_amplitude);
    store_lanes(kIncoherentAmplitude * moved_gain * moved_amplitude, moved_amplitude_.data() + k);
  }
  if (smearing) {
    // One draw for every bin of every frame, in bin order, whether or not the bin receives power:
    // the stream's position then depends only on the frame count, never on the signal. (Drawing only
    // where power moves in let a rounding-level change of the input, which decides whether a bin
    // receives a trace of power, shift every later phase: two renders differing by 1e-6 dB in
    // level parted by 0.8 of the peak from there on.) A bin with nothing moved in adds zero.
    // The draws first, from a local copy of the generator (its state then stays in a register),
    // then the phasors eight bins at a time (the pad lanes' phases stay 0 from prepare).
    RandomSource random = random_;
    int* phase = phase_index_.data();
    for (int k = 0; k < bins; ++k) phase[k] = static_cast<int>(random.next() >> 52);  // 12 bits
    random_ = random;
    for (int k = 0; k < padded; k += kFloatLanes) {
      FloatLanes moved, re, im, out_re, out_im;
      load_lanes(moved_amplitude_.data() + k, moved);
      const FloatLanes m = moved > 0.0f ? moved : FloatLanes{};  // (and never a NaN)
      IntLanes r;
      std::memcpy(&r, phase + k, sizeof r);
      gather(kPhasors.re, r, re);
      gather(kPhasors.im, r, im);
      load_lanes(output_re_.data() + k, out_re);
      load_lanes(output_im_.data() + k, out_im);
      store_lanes(out_re + m * re, output_re_.data() + k);
      store_lanes(out_im + m * im, output_im_.data() + k);
    }
  }
  // Back to FFTW's interleaved bins; DC and Nyquist must stay real for the inverse real FFT.
  {
    float* x = &spec[0][0];
    int k = 0;
    for (; k + kFloatLanes <= bins; k += kFloatLanes) {
      FloatLanes re, im;
      load_lanes(output_re_.data() + k, re);
      load_lanes(output_im_.data() + k, im);
      store_lanes(__builtin_shufflevector(re, im, 0, 8, 1, 9, 2, 10, 3, 11), x + 2 * k);
      store_lanes(__builtin_shufflevector(re, im, 4, 12, 5, 13, 6, 14, 7, 15), x + 2 * k + kFloatLanes);
    }
    for (; k < bins; ++k) {
      spec[k][0] = output_re_[k];
      spec[k][1] = output_im_[k];
    }
    spec[0][1] = 0.0f;
    spec[bins - 1][1] = 0.0f;
  }

  fft_->inverse();
  // Overlap-add into the ring of n / hop chunks; the oldest chunk is then finished.
  const int chunks = n / hop;
  for (int c = 0; c < chunks; ++c) {
    float* acc = &accumulator_[static_cast<std::size_t>((accumulator_head_ + c) % chunks * hop)];
    const float* y = time + c * hop;
    const float* window = p.synthesis_window.data() + c * hop;
    for (int i = 0; i < hop; ++i) acc[i] += y[i] * window[i];
  }
  float* finished = &accumulator_[static_cast<std::size_t>(accumulator_head_ * hop)];
  std::copy(finished, finished + hop, ready_.begin());
  std::fill(finished, finished + hop, 0.0f);
  accumulator_head_ = (accumulator_head_ + 1) % chunks;
  input_start_ = (input_start_ + hop) % n;
}

// The copies come after the frame body so that each inlines it.
void HearingLossProcessor::run_frame() noexcept {
#if defined(EARSHOT_HL_AVX2)
  if (path_ == SimdPath::avx512) {
    run_frame_avx512();
    return;
  }
  if (path_ == SimdPath::avx2) {
    run_frame_avx2();
    return;
  }
#endif
  run_frame_baseline();
}

void HearingLossProcessor::run_frame_baseline() noexcept { frame_body(); }

#if defined(EARSHOT_HL_AVX2)
[[gnu::target("avx2,fma")]] void HearingLossProcessor::run_frame_avx2() noexcept { frame_body(); }
[[gnu::target("avx2,fma,avx512f,avx512bw,avx512vl")]] void HearingLossProcessor::run_frame_avx512() noexcept { frame_body(); }
#else
void HearingLossProcessor::run_frame_avx2() noexcept { frame_body(); }
void HearingLossProcessor::run_frame_avx512() noexcept { frame_body(); }
#endif

}  // namespace earshot
