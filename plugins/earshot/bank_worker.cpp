#include "plugins/earshot/bank_worker.hpp"

#include <chrono>

namespace earshot::plugin {

void BankWorker::start(SettingsSource source, const BankSettings& designed, int latency_frames) {
  stop();
  source_ = std::move(source);
  designed_ = designed;
  latency_frames_ = latency_frames;
  stop_.store(false);
  thread_ = std::thread([this] { run(); });
}

void BankWorker::stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  delete ready_.exchange(nullptr);
  delete retired_.exchange(nullptr);
}

void BankWorker::run() {
  // Polling every 5 ms keeps the audio thread's side to atomic stores (no condition variable to
  // signal); a design takes far longer than the poll.
  while (!stop_.load(std::memory_order_acquire)) {
    delete retired_.exchange(nullptr, std::memory_order_acq_rel);
    const BankSettings wanted = source_();
    if (!(wanted == designed_)) {
      // Settings the library refuses are remembered too, so they are not designed again and again:
      // the bank playing goes on until the settings change to ones it accepts.
      designed_ = wanted;
      auto bank = design_listener_bank(wanted);
      if (bank && bank.value()->latency_frames == latency_frames_) {
        delete ready_.exchange(std::move(bank).value().release(), std::memory_order_acq_rel);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace earshot::plugin
