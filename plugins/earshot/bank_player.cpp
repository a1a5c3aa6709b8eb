#include "plugins/earshot/bank_player.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/denormals.hpp"

namespace earshot::plugin {

namespace {

constexpr double kSmoothingS = 0.02;  // continuous controls follow their targets with a 20 ms time constant
constexpr double kFadeS = 0.02;       // a preset or bank change's fade, after the warm-up

float masker_gain(float masker_db_spl) {
  return masker_db_spl > 0.0f ? std::pow(10.0f, (masker_db_spl - float(kMaskerReferenceDbSpl)) / 20.0f) : 0.0f;
}

}  // namespace

void BankPlayer::prepare(ListenerBank* bank, const Controls& controls) {
  for (auto* buffers : {&x_, &dry_a_, &dry_b_, &layers_a_, &layers_b_, &y_a_, &y_b_, &scratch_}) {
    for (auto& b : *buffers) b = std::make_unique<float[]>(kPiece);
  }
  start_at(bank, controls);
}

BankPlayer::Chain BankPlayer::wanted(ListenerBank* bank, int ear, const Controls& controls) noexcept {
  const int preset = controls.presets[ear];
  const bool aided = bank && controls.aid_on[ear] && bank->ears[ear].aided[preset] != nullptr;
  return Chain{bank, preset, 0, aided};
}

void BankPlayer::start_at(ListenerBank* bank, const Controls& controls) noexcept {
  for (int e = 0; e < 2; ++e) current_[e] = incoming_[e] = wanted(bank, e, controls);
  phase_ = Phase::idle;
  finished_ = nullptr;
  position_ = 0;
  target_ = controls;
  severity_ = severity_start_ = controls.severity;
  tinnitus_gain_ = controls.tinnitus_on ? 1.0f : 0.0f;
  tinnitus_db_spl_ = controls.tinnitus_db_spl;
  masker_gain_ = masker_gain(controls.masker_db_spl);
  perspective_ = controls.perspective;
}

bool BankPlayer::change(ListenerBank* bank, const Controls& controls) noexcept {
  if (phase_ != Phase::idle || finished_ != nullptr || bank == nullptr) return false;
  bool any = false;
  for (int e = 0; e < 2; ++e) {
    const Chain& cur = current_[e];
    Chain next = wanted(bank, e, controls);
    if (bank == cur.bank && next.preset == cur.preset && next.aided == cur.aided) next = cur;
    // An acoustic preset in the same bank fades from one blend processor into the other (an aided
    // chain uses neither, so either is free next to it).
    if (bank == cur.bank && !(next == cur) && cur.bank->ears[e].acoustic[cur.preset]) next.slot = 1 - cur.slot;
    incoming_[e] = next;
    ear_changes_[e] = !(next == cur);
    if (ear_changes_[e]) {
      EarBank& eb = bank->ears[e];
      if (next.aided) {
        eb.aided[next.preset]->reset();
      } else if (eb.acoustic[next.preset]) {
        eb.blend[next.slot]->reset();
      } else {
        eb.structural[next.preset]->reset();
      }
      any = true;
    }
  }
  if (!any) return true;
  phase_ = Phase::warm;
  phase_done_ = 0;
  warm_frames_ = bank->latency_frames;
  fade_frames_ = std::max<std::int64_t>(1, std::llround(kFadeS * bank->settings.sample_rate_hz));
  return true;
}

ListenerBank* BankPlayer::take_finished() noexcept {
  ListenerBank* b = finished_;
  finished_ = nullptr;
  return b;
}

void BankPlayer::render_bank_parts(ListenerBank* bank, int ear, const float* x, float* dry, float* layers,
                                   int n) noexcept {
  EarBank& eb = bank->ears[ear];
  std::copy(x, x + n, dry);
  eb.dry.process(dry, n);
  // Tinnitus (its level from tinnitus_db_spl, faded by tinnitus_on) and the masker, scaled from
  // its reference level; both per sample along the piece's ramps.
  const float level = tinnitus_db_spl_;
  eb.tinnitus.process(scratch_[ear].get(), n, position_, [level](std::int64_t) { return double(level); });
  eb.masker.process(layers, n, position_);
}

void BankPlayer::render_chain(const Chain& c, int ear, const float* x, const float* dry, float* y, int n) noexcept {
  EarBank& eb = c.bank->ears[ear];
  if (!c.aided && eb.acoustic[c.preset]) {
    EarProcessor& p = *eb.blend[c.slot];
    p.set_blend(*eb.normal, *eb.plans[c.preset], severity_);
    p.process(x, y, n);
    return;
  }
  (c.aided ? eb.aided : eb.structural)[c.preset]->process(x, y, n);
  // At full severity the model alone (cos(pi/2) in float is -4.4e-8, not 0: no trace of the dry
  // path, so the ear renders what `earshot render` renders).
  if (severity_start_ == 1.0f && severity_ == 1.0f) return;
  for (int i = 0; i < n; ++i) {
    const float s = severity_start_ + (severity_ - severity_start_) * float(i + 1) / float(n);
    const float angle = 0.5f * std::numbers::pi_v<float> * s;
    y[i] = std::cos(angle) * dry[i] + std::sin(angle) * y[i];
  }
}

void BankPlayer::render_piece(const float* const* in, float* const* out, int n) noexcept {
  const double rate = current_[0].bank->settings.sample_rate_hz;
  const float a = float(1.0 - std::exp(-double(n) / (kSmoothingS * rate)));
  auto follow = [a](float& v, float target) {
    v += (target - v) * a;
    if (std::abs(target - v) < 1e-6f) v = target;  // arrive exactly (severity 0 and 1 are exact states)
  };
  severity_start_ = severity_;
  const float tinnitus_gain_start = tinnitus_gain_, masker_gain_start = masker_gain_, perspective_start = perspective_;
  follow(severity_, target_.severity);
  follow(tinnitus_gain_, target_.tinnitus_on ? 1.0f : 0.0f);
  follow(tinnitus_db_spl_, target_.tinnitus_db_spl);
  follow(masker_gain_, masker_gain(target_.masker_db_spl));
  follow(perspective_, target_.perspective);

  const bool second_bank = phase_ != Phase::idle && incoming_[0].bank != current_[0].bank;
  for (int e = 0; e < 2; ++e) std::copy(in[e], in[e] + n, x_[e].get());
  for (int e = 0; e < 2; ++e) {
    const float* x = x_[e].get();
    // The parts each bank in play shares between its chains: its dry path and its layers.
    // (The layer buffer holds the masker; the tinnitus is in scratch_.)
    float* dry[2] = {dry_a_[e].get(), dry_b_[e].get()};
    float* masker[2] = {layers_a_[e].get(), layers_b_[e].get()};
    float tinnitus_a[kPiece], tinnitus_b[kPiece];
    render_bank_parts(current_[e].bank, e, x, dry[0], masker[0], n);
    std::copy(scratch_[e].get(), scratch_[e].get() + n, tinnitus_a);
    if (second_bank) {
      render_bank_parts(incoming_[e].bank, e, x, dry[1], masker[1], n);
      std::copy(scratch_[e].get(), scratch_[e].get() + n, tinnitus_b);
    }
    auto mix = [&](float* y, const float* d, const float* msk, const float* tin) {
      // P room + (1 - P) (listener + layers), the scene renderer's mix, P the perspective.
      for (int i = 0; i < n; ++i) {
        const float u = float(i + 1) / float(n);
        const float p = perspective_start + (perspective_ - perspective_start) * u;
        const float tg = tinnitus_gain_start + (tinnitus_gain_ - tinnitus_gain_start) * u;
        const float mg = masker_gain_start + (masker_gain_ - masker_gain_start) * u;
        y[i] = p * d[i] + (1.0f - p) * (y[i] + tg * tin[i] + mg * msk[i]);
      }
    };
    float* ya = y_a_[e].get();
    render_chain(current_[e], e, x, dry[0], ya, n);
    mix(ya, dry[0], masker[0], tinnitus_a);
    if (phase_ == Phase::idle || !ear_changes_[e]) {
      std::copy(ya, ya + n, out[e]);
      continue;
    }
    const int b = second_bank ? 1 : 0;
    float* yb = y_b_[e].get();
    render_chain(incoming_[e], e, x, dry[b], yb, n);
    mix(yb, dry[b], masker[b], b ? tinnitus_b : tinnitus_a);
    if (phase_ == Phase::warm) {
      std::copy(ya, ya + n, out[e]);
      continue;
    }
    // Linear between two acoustic ears, aided or not (nearly the same signal: an aid switched on
    // is the same ear, louder where it amplifies), equal-power otherwise.
    const bool linear = current_[e].bank->ears[e].acoustic[current_[e].preset] &&
                        incoming_[e].bank->ears[e].acoustic[incoming_[e].preset];
    for (int i = 0; i < n; ++i) {
      const float u = std::min(1.0f, float(phase_done_ + i + 1) / float(fade_frames_));
      float g_out, g_in;
      if (linear) {
        g_out = 1.0f - u;
        g_in = u;
      } else {
        g_out = std::cos(0.5f * std::numbers::pi_v<float> * u);
        g_in = std::sin(0.5f * std::numbers::pi_v<float> * u);
      }
      out[e][i] = g_out * ya[i] + g_in * yb[i];
    }
  }
  position_ += n;
  if (phase_ == Phase::idle) return;
  phase_done_ += n;
  if (phase_ == Phase::warm && phase_done_ >= warm_frames_) {
    phase_ = Phase::fade;
    phase_done_ = 0;
  } else if (phase_ == Phase::fade && phase_done_ >= fade_frames_) {
    if (incoming_[0].bank != current_[0].bank) finished_ = current_[0].bank;
    current_ = incoming_;
    phase_ = Phase::idle;
  }
}

void BankPlayer::process(const float* const* in, float* const* out, int frames, const Controls& controls) noexcept {
  if (!current_[0].bank) return;
  const ScopedFlushDenormals flush_denormals;
  target_ = controls;
  if (position_ == 0 && phase_ == Phase::idle) {
    // Nothing has been heard yet (the host sets its parameters in the first block, as LV2 hosts
    // do): start from what is asked for, with no move, as if prepared so.
    ListenerBank* bank = current_[0].bank;
    start_at(bank, controls);
  } else if (phase_ == Phase::idle) {
    ListenerBank* bank = current_[0].bank;
    for (int e = 0; e < 2; ++e) {
      const Chain next = wanted(bank, e, controls);
      if (next.preset != current_[e].preset || next.aided != current_[e].aided) {
        change(bank, controls);
        break;
      }
    }
  }
  for (int done = 0; done < frames;) {
    // Pieces end on a fixed grid of the stream, so the controls move the same whatever the
    // host's block size.
    const int n = std::min<int>(kPiece - int(position_ % kPiece), frames - done);
    const float* in_piece[2] = {in[0] + done, in[1] + done};
    float* out_piece[2] = {out[0] + done, out[1] + done};
    render_piece(in_piece, out_piece, n);
    done += n;
  }
}

}  // namespace earshot::plugin
