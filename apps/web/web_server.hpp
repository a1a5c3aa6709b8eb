#pragma once
// `earshot serve`: the page and its API (docs/web.md) on cpp-httplib, until SIGINT or SIGTERM.
#include <functional>
#include <string>

namespace earshot::web {

struct ServeOptions {
  std::string host = "127.0.0.1";  // loopback only unless the user says otherwise
  int port = 8080;                 // 0: any free port (tests), printed
  int running_renders = 2;         // renders at once: the machine's cores are the limit
  int waiting_renders = 4;         // queued behind them; more are told to retry (503)
  int client_timeout_s = 10;       // a client silent this long while sending or receiving is dropped
  int threads = 12;                // connections served at once (each holds at most one upload)
};

// What the server says as it starts: the URL, and warnings (a host beyond loopback).
struct ServeEvents {
  std::function<void(const std::string& url, const std::string& temp_folder)> listening;
  std::function<void(const std::string& warning)> warning;
};

// Blocks until SIGINT/SIGTERM; returns after the server stopped and its temporary folder is gone.
// Throws cli::CliError when it cannot start (port in use, bad host, options out of range).
void serve(const ServeOptions& options, const ServeEvents& events);

}  // namespace earshot::web
