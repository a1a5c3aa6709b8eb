#include "apps/web/web_server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "apps/cli/cli_error.hpp"
#include "apps/web/api_routes.hpp"
#include "apps/web/render_gate.hpp"
#include "apps/web/request_workspace.hpp"
#include "apps/web/sample_sounds.hpp"

namespace earshot::web {

namespace {
bool is_loopback(const std::string& host) { return host == "127.0.0.1" || host == "localhost" || host == "::1"; }
}  // namespace

void serve(const ServeOptions& o, const ServeEvents& events) {
  using cli::CliError;
  if (o.port < 0 || o.port > 65535) throw CliError(cli::kExitUsage, "--port " + std::to_string(o.port) + " is outside 0...65535");
  if (o.client_timeout_s < 1 || o.client_timeout_s > 600) {
    throw CliError(cli::kExitUsage, "--client-timeout " + std::to_string(o.client_timeout_s) + " is outside 1...600 s");
  }
  // SIGINT and SIGTERM go to one waiting thread (below), not to whichever thread the kernel
  // picks: blocked here, before any other thread exists, so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client that hangs up mid-response must not kill the server.
  signal(SIGPIPE, SIG_IGN);

  ServerTempRoot temp_root;
  const SampleSet samples = make_sample_sounds(temp_root.path());
  RenderGate gate(o.running_renders, o.waiting_renders);
  ApiContext context{temp_root, gate, samples};

  httplib::Server server;
  const int threads = o.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_payload_max_length(kMaxRequestBytes);
  server.set_read_timeout(o.client_timeout_s, 0);
  server.set_write_timeout(o.client_timeout_s, 0);
  server.set_keep_alive_timeout(5);
  server.set_keep_alive_max_count(50);
  // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, with which a second
  // `earshot serve` on the same port would start "successfully" and share its connections.
  server.set_socket_options([](auto sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  install_routes(server, context);

  int port = o.port;
  if (port == 0) port = server.bind_to_any_port(o.host);
  else if (!server.bind_to_port(o.host, port)) port = -1;
  if (port <= 0) {
    throw CliError(cli::kExitUsage, "cannot listen on " + o.host + ":" + std::to_string(o.port) + " (port in use, or not an address of this machine)");
  }
  if (!is_loopback(o.host) && events.warning) {
    events.warning("listening on " + o.host + ", not only this machine: anyone who can reach it can use the server (there is no login)");
  }
  std::atomic<bool> stopping{false}, listen_returned{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    stopping = true;
    // cpp-httplib's stop() does nothing until the listener has marked itself running: a signal
    // that comes right after start (before listen_after_bind got going) would otherwise be lost.
    while (!server.is_running() && !listen_returned) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server.stop();
  });
  const std::string shown_host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  if (events.listening) events.listening("http://" + shown_host + ":" + std::to_string(port), temp_root.path().string());
  server.listen_after_bind();
  listen_returned = true;
  if (!stopping) pthread_kill(stopper.native_handle(), SIGTERM);  // it stopped on its own: release the waiter
  stopper.join();
}

}  // namespace earshot::web
