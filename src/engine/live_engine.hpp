#pragma once
// The engine for hosts that run audio while the listener changes (plugins, JACK, Python
// streaming, the web page). The host fixes the layout (rate, input and output channels, largest
// block) at prepare; the listener never changes it. Latency is fixed at prepare to the most any
// listener may need at that rate, so a host's delay compensation stays valid across changes.
//
// A change is designed on the calling thread (design is pure and may allocate), handed to the
// audio thread through a lock-free single-slot mailbox, taken at the next block boundary and
// rendered as a move over move_s: a per-place blend for two acoustic states of one layout (the
// blend scenes use, HearingLossProcessor::set_blend), an equal-power crossfade for structural
// changes (acoustic <-> implant, one map to another). Retired states go back through a second
// slot and are freed on the control thread (the next set_listener, collect_retired() or the
// destructor), never on the audio thread.
//
// Threads: prepare, set_listener and collect_retired from one control thread; process from one
// audio thread. process() never allocates, locks, frees or throws.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

#include "engine/engine.hpp"

namespace earshot {

struct LiveEngineSpec {
  HearingLossParams hearing;   // rate, calibration, smearing, seed (the listener's ears take theirs from it)
  TemporalJitterParams jitter;
  int input_channels = 1;      // 1 (both ears hear it) or 2 (left, right)
  int output_channels = 2;     // 1 (needs ears alike) or 2 (left, right), whatever the listener
  // Make room in the fixed latency for a hearing aid put on later (its equaliser or compressor and
  // noise reduction delay the acoustic path: hearing_aid/hearing_aid_design.hpp). Without it, a
  // listener with an aid fits only if the engine was prepared with one.
  bool room_for_aid = false;
};

SpecErrors validate(const LiveEngineSpec& spec);

// The latency every listener at this rate and these settings fits in: the hearing-loss model's
// (with jitter) and the longest of the implant presets', and with room_for_aid the slowest hearing
// aid's (compression and noise reduction) in front of the model. prepare() fixes the engine's
// latency at this or the prepared listener's, whichever is more; a listener whose plan needs more
// (an aid without room_for_aid, a custom map with a slower analysis) is refused by set_listener
// with a message saying so.
int live_latency_frames(const LiveEngineSpec& spec);

class LiveEngine {
 public:
  LiveEngine();
  ~LiveEngine();
  LiveEngine(const LiveEngine&) = delete;
  LiveEngine& operator=(const LiveEngine&) = delete;

  // Control thread. Allocates. The engine starts on `listener` with no move.
  SpecErrors prepare(const LiveEngineSpec& spec, const Listener& listener);
  // Control thread, while process() runs on the audio thread. Designs the new listener's plan
  // here, then posts it; a change posted before the audio thread took the previous one replaces
  // it (the latest wins). move_s = 0 changes at the next block boundary with the shortest
  // click-free move (a 5 ms crossfade or blend). Returns the problems; nothing changes then.
  SpecErrors set_listener(const Listener& listener, double move_s);
  // Control thread: frees states the audio thread has retired. Called by set_listener too.
  void collect_retired() noexcept;

  // Audio thread. in: input_channels pointers; out: output_channels pointers; any frame count
  // (it need not be the block size given to prepare); in may alias out.
  void process(const float* const* in, float* const* out, int frames) noexcept;
  void reset() noexcept;

  int latency_frames() const noexcept { return latency_frames_; }
  const LiveEngineSpec& spec() const noexcept { return spec_; }
  // True while a move is being rendered or a change waits to be taken (any thread; for tests and
  // hosts that want to know when a change has been heard).
  bool changing() const noexcept;
  // Frames processed since prepare (any thread), and the frame count at which the audio thread
  // took the latest change: its move starts there (-1 before any change was taken). A host that
  // records in step with the engine (earshot live, a test) learns where on its own timeline a
  // change was heard, however long the change took to design.
  std::int64_t frames_processed() const noexcept { return frames_processed_.load(std::memory_order_acquire); }
  std::int64_t last_change_frame() const noexcept { return last_change_frame_.load(std::memory_order_acquire); }

  struct State;  // a designed listener and its prepared ear processors (live_engine.cpp)

 private:
  void take_pending() noexcept;
  void render(const float* const* in, float* const* out, int frames) noexcept;
  void finish_move() noexcept;

  LiveEngineSpec spec_;
  int latency_frames_ = 0;
  std::atomic<State*> pending_{nullptr};  // control -> audio
  std::atomic<State*> retired_{nullptr};  // audio -> control
  std::atomic<bool> moving_{false};
  std::atomic<std::int64_t> frames_processed_{0};   // written by the audio thread only
  std::atomic<std::int64_t> last_change_frame_{-1};  // likewise
  State* active_ = nullptr;               // audio thread's
  State* incoming_ = nullptr;             // audio thread's, during a move
  std::int64_t move_frames_ = 0, move_done_ = 0;
  std::array<bool, 2> blend_ear_{};       // per output: the move is a blend (else a crossfade)
  std::array<std::unique_ptr<float[]>, 2> scratch_in_, scratch_a_, scratch_b_;
};

}  // namespace earshot
