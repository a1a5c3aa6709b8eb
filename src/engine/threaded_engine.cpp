#include "engine/threaded_engine.hpp"

#include <algorithm>

#include "dsp/denormals.hpp"

namespace earshot {

struct ThreadedEngine::Worker {
  std::thread thread;
  std::mutex mutex;
  std::condition_variable wake, done;
  int frames = 0;       // frames of the block handed over
  bool busy = false, quit = false;
};

int available_cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

ThreadedEngine::ThreadedEngine() = default;
ThreadedEngine::~ThreadedEngine() { stop_workers(); }

void ThreadedEngine::stop_workers() {
  for (auto& w : workers_) {
    {
      std::lock_guard lock(w->mutex);
      w->quit = true;
    }
    w->wake.notify_one();
    w->thread.join();
  }
  workers_.clear();
}

void ThreadedEngine::prepare(std::shared_ptr<const EnginePlan> plan, int threads) {
  stop_workers();
  plan_ = std::move(plan);
  ears_.clear();
  ears_.resize(plan_->ears.size());
  // As Engine::prepare: the same processors with the same seeds.
  for (std::size_t c = 0; c < ears_.size(); ++c) {
    ears_[c].prepare(plan_->ears[c], plan_->latency_frames, jitter_seed(*plan_, static_cast<int>(c)));
  }
  input_copy_.assign(static_cast<std::size_t>(plan_->input_channels), {});
  capacity_ = 0;
  out_.assign(ears_.size(), nullptr);
  const int wanted = threads > 0 ? threads : available_cores();
  const int count = std::min<int>(wanted, static_cast<int>(ears_.size()));
  for (int w = 1; w < count; ++w) {
    auto worker = std::make_unique<Worker>();
    Worker* self = worker.get();
    worker->thread = std::thread([this, self, w, count] {
      std::unique_lock lock(self->mutex);
      for (;;) {
        self->wake.wait(lock, [&] { return self->busy || self->quit; });
        if (self->quit) return;
        for (std::size_t ear = static_cast<std::size_t>(w); ear < ears_.size(); ear += static_cast<std::size_t>(count)) {
          process_ear(ear, self->frames);
        }
        self->busy = false;
        self->done.notify_one();
      }
    });
    workers_.push_back(std::move(worker));
  }
}

void ThreadedEngine::reset() {
  for (auto& e : ears_) e.reset();
}

void ThreadedEngine::process_ear(std::size_t ear, int frames) {
  // The floating-point mode is per thread: every ear's thread flushes denormals, as Engine does.
  const ScopedFlushDenormals flush_denormals;
  const float* in = input_copy_[static_cast<std::size_t>(plan_->input_for_output[ear])].data();
  ears_[ear].process(in, out_[ear], frames);
}

void ThreadedEngine::process(const float* const* in, float* const* out, int frames) {
  // The inputs are copied first (see Engine::process: outputs may alias inputs).
  if (frames > capacity_) {
    capacity_ = frames;
    for (auto& copy : input_copy_) copy.resize(static_cast<std::size_t>(capacity_));
  }
  for (std::size_t c = 0; c < input_copy_.size(); ++c) std::copy(in[c], in[c] + frames, input_copy_[c].data());
  for (std::size_t c = 0; c < ears_.size(); ++c) out_[c] = out[c];
  for (auto& w : workers_) {
    {
      std::lock_guard lock(w->mutex);
      w->frames = frames;
      w->busy = true;
    }
    w->wake.notify_one();
  }
  const std::size_t stride = workers_.size() + 1;
  for (std::size_t ear = 0; ear < ears_.size(); ear += stride) process_ear(ear, frames);
  for (auto& w : workers_) {
    std::unique_lock lock(w->mutex);
    w->done.wait(lock, [&] { return !w->busy; });
  }
}

}  // namespace earshot
