#include "apps/web/render_gate.hpp"

namespace earshot::web {

RenderGate::Ticket RenderGate::enter() {
  std::unique_lock lock(mutex_);
  if (running_ >= max_running_ && waiting_ >= max_waiting_) return Ticket();
  ++waiting_;
  freed_.wait(lock, [&] { return running_ < max_running_; });
  --waiting_;
  ++running_;
  return Ticket(this);
}

void RenderGate::release() {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  freed_.notify_one();
}

int RenderGate::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

int RenderGate::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

}  // namespace earshot::web
