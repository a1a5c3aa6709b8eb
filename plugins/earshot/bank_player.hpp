#pragma once
// The plugin's audio thread: renders the current listener bank (listener_bank.hpp) with the
// smoothed controls, and changes preset or bank without a click. A change fades from what plays
// to what is asked for: the incoming processors first hear the input for the latency (so they
// enter with their history filled, not from silence), then a 20 ms fade, linear in amplitude
// between two acoustic states (their sounds are nearly the same signal) and equal-power otherwise
// (unrelated sounds), as scenes do. Continuous controls (severity, layer levels, perspective)
// move smoothly, never in steps (no zipper noise). Switching an ear's aid on or off is a change of
// its chain, like a preset change: the bank holds the aided processors (listener_bank.hpp), and the
// fade between the aided and the unaided ear is linear (the same acoustic ear, louder or not).
//
// process() never allocates, locks, frees or throws; banks are created and freed by the caller.
#include <array>
#include <cstdint>
#include <memory>

#include "plugins/earshot/listener_bank.hpp"

namespace earshot::plugin {

// The targets the host's parameters set, in the renderer's units.
struct Controls {
  std::array<int, 2> presets{0, 0};   // preset index per ear
  float severity = 1.0f;              // 0..1
  bool tinnitus_on = false;
  float tinnitus_db_spl = 40.0f;
  float masker_db_spl = 0.0f;         // 0 = off
  float perspective = 0.0f;           // 0 listener .. 1 room
  std::array<bool, 2> aid_on{false, false};  // per ear: the bank's aid on (ignored where a preset has none)
};

class BankPlayer {
 public:
  // Control thread: scratch for pieces, and the bank and controls to start from (no move).
  void prepare(ListenerBank* bank, const Controls& controls);

  // Audio thread. in: two channels (left, right); out: two. in may alias out. Any frame count.
  void process(const float* const* in, float* const* out, int frames, const Controls& controls) noexcept;
  // Audio thread: ask for `bank` (a new one, or the current one) with controls.presets. Taken
  // only when no change is running (returns false then: ask again next block).
  bool change(ListenerBank* bank, const Controls& controls) noexcept;
  bool changing() const noexcept { return phase_ != Phase::idle; }
  // Audio thread: a bank no longer played after a change (hand it back to be freed), or null.
  ListenerBank* take_finished() noexcept;

  // The bank playing, and the one a running change moves to (the same when no bank change runs).
  ListenerBank* bank() const noexcept { return current_[0].bank; }
  ListenerBank* incoming_bank() const noexcept { return phase_ == Phase::idle ? current_[0].bank : incoming_[0].bank; }

 private:
  struct Chain {
    ListenerBank* bank = nullptr;
    int preset = 0;
    int slot = 0;  // which of the bank's two blend processors an acoustic preset uses
    bool aided = false;  // the preset with the ear's aid on (its own processor; slot unused)
    bool operator==(const Chain&) const = default;
  };
  enum class Phase { idle, warm, fade };
  static constexpr int kPiece = 32;  // controls move on this grid (0.7 ms at 48 kHz)

  // The chain `controls` asks for on `ear` of `bank` (slot 0): the aid only where the preset has one.
  static Chain wanted(ListenerBank* bank, int ear, const Controls& controls) noexcept;
  // Start at `controls` with no move (prepare, and the first block): never allocates.
  void start_at(ListenerBank* bank, const Controls& controls) noexcept;
  void render_piece(const float* const* in, float* const* out, int n) noexcept;
  // One ear's model output for a chain, at the current severity, into y.
  void render_chain(const Chain& c, int ear, const float* x, const float* dry, float* y, int n) noexcept;
  // The shared per-bank parts for one ear: the dry path and the layers (tinnitus + masker).
  void render_bank_parts(ListenerBank* bank, int ear, const float* x, float* dry, float* layers, int n) noexcept;

  std::array<Chain, 2> current_{}, incoming_{};
  std::array<bool, 2> ear_changes_{};
  Phase phase_ = Phase::idle;
  std::int64_t phase_done_ = 0, warm_frames_ = 0, fade_frames_ = 1;
  ListenerBank* finished_ = nullptr;
  std::int64_t position_ = 0;  // frames rendered (the layers' timeline)

  // Smoothed controls (value at the end of the last piece) and targets.
  Controls target_;
  float severity_ = 1.0f, tinnitus_gain_ = 0.0f, tinnitus_db_spl_ = 40.0f, masker_gain_ = 0.0f, perspective_ = 0.0f;
  float severity_start_ = 1.0f;  // at the start of the piece being rendered

  std::array<std::unique_ptr<float[]>, 2> x_, dry_a_, dry_b_, layers_a_, layers_b_, y_a_, y_b_, scratch_;
};

}  // namespace earshot::plugin
