#pragma once
// The plugin's own worker thread: it watches the design settings the host's parameters ask for
// (calibration, smearing, seed, custom audiograms, tinnitus frequency, masker colour), designs a
// new listener bank when they change, and posts it in a single slot for the audio thread, as the
// library's live change does (engine/live_engine.hpp). It also frees banks the audio thread has
// retired. The audio thread only exchanges pointers: it never waits for, locks or frees anything.
#include <atomic>
#include <functional>
#include <thread>

#include "plugins/earshot/listener_bank.hpp"

namespace earshot::plugin {

class BankWorker {
 public:
  using SettingsSource = std::function<BankSettings()>;  // read on the worker thread

  ~BankWorker() { stop(); }
  // Control thread. `designed`: the settings of the bank already playing; `latency_frames` its
  // latency, which every later bank must have (the host compensates that one).
  void start(SettingsSource source, const BankSettings& designed, int latency_frames);
  void stop();  // joins; frees any bank still in the slots

  // Audio thread.
  bool has_ready() const noexcept { return ready_.load(std::memory_order_acquire) != nullptr; }
  ListenerBank* take_ready() noexcept { return ready_.exchange(nullptr, std::memory_order_acq_rel); }
  bool can_retire() const noexcept { return retired_.load(std::memory_order_acquire) == nullptr; }
  void retire(ListenerBank* bank) noexcept { retired_.store(bank, std::memory_order_release); }

 private:
  void run();

  SettingsSource source_;
  BankSettings designed_;
  int latency_frames_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<ListenerBank*> ready_{nullptr};    // worker -> audio
  std::atomic<ListenerBank*> retired_{nullptr};  // audio -> worker
  std::thread thread_;
};

}  // namespace earshot::plugin
