#pragma once
// The server's bounded render queue: at most `running` renders (or reports, or scores: each
// renders the sound) at once, and at most `waiting` more queued behind them. A request that finds
// both full is told to come back (503 with Retry-After) at once instead of piling up threads and
// memory: the machine has a few cores, and a render uses one or two of them fully.
#include <condition_variable>
#include <mutex>

namespace earshot::web {

class RenderGate {
 public:
  RenderGate(int running, int waiting) : max_running_(running), max_waiting_(waiting) {}

  // Holds a place while it lives; empty (admitted() false) when the queue was full.
  class Ticket {
   public:
    Ticket() = default;
    explicit Ticket(RenderGate* gate) : gate_(gate) {}
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (gate_) gate_->release();
    }
    bool admitted() const { return gate_ != nullptr; }

   private:
    RenderGate* gate_ = nullptr;
  };

  // Waits for a running place if one of the waiting places is free; otherwise returns at once
  // with an empty ticket.
  Ticket enter();

  int running() const;
  int waiting() const;

 private:
  void release();
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int max_running_, max_waiting_;
  int running_ = 0, waiting_ = 0;
};

}  // namespace earshot::web
