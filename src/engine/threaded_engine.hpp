#pragma once
// The engine for offline work (CLI render, reports), with a listener's two ears rendered on two
// threads (issue #12). The ears share nothing but the input, so each ear's output is exactly what
// Engine gives: the same processors, seeds, block splits and floating-point mode (denormals
// flushed on every thread), only run side by side. One ear, or threads = 1: no thread is started.
//
// Not for real time: a block is handed to the worker and waited for with a mutex and condition
// variable. LiveEngine, the real-time path, stays on the host's audio thread.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/engine.hpp"

namespace earshot {

class ThreadedEngine {
 public:
  ThreadedEngine();
  ~ThreadedEngine();
  ThreadedEngine(const ThreadedEngine&) = delete;
  ThreadedEngine& operator=(const ThreadedEngine&) = delete;

  // threads: at most this many (0: the machine's cores); never more than the plan's ears.
  void prepare(std::shared_ptr<const EnginePlan> plan, int threads);
  void reset();
  // As Engine::process (outputs may alias inputs; the output does not depend on how the frames
  // are split into calls), but may block while the other ear finishes.
  void process(const float* const* in, float* const* out, int frames);
  int latency_frames() const noexcept { return plan_ ? plan_->latency_frames : 0; }
  const EnginePlan& plan() const noexcept { return *plan_; }
  int threads() const noexcept { return 1 + static_cast<int>(workers_.size()); }

 private:
  struct Worker;
  void process_ear(std::size_t ear, int frames);
  void stop_workers();

  std::shared_ptr<const EnginePlan> plan_;
  std::vector<EarProcessor> ears_;
  std::vector<std::vector<float>> input_copy_;  // per input channel, `capacity_` frames
  std::vector<float*> out_;                      // the current call's outputs
  int capacity_ = 0;
  std::vector<std::unique_ptr<Worker>> workers_;  // worker w renders ears w + 1, w + 1 + threads, ...
};

// The machine's cores (at least 1): the default for --threads.
int available_cores();

}  // namespace earshot
