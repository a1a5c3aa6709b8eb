#include "apps/cli/serve_command.hpp"

#include <cstdio>

#include "apps/cli/cli_error.hpp"

namespace earshot::cli {

CLI::App* add_serve_command(CLI::App& app, web::ServeOptions& o) {
  auto* serve = app.add_subcommand("serve", "a page in your browser to hear what an audiogram means (docs/web.md); Ctrl-C stops it");
  serve->add_option("--port", o.port, "TCP port [default 8080; 0: any free port]");
  serve->add_option("--host", o.host, "address to listen on [default 127.0.0.1: this machine only]");
  serve->add_option("--renders", o.running_renders, "renders at once [default 2]")->check(CLI::Range(1, 64));
  serve->add_option("--queue", o.waiting_renders, "renders waiting behind them before a request is told to retry [default 4]")->check(CLI::Range(0, 256));
  serve->add_option("--client-timeout", o.client_timeout_s, "seconds a client may stay silent while sending or receiving [default 10]");
  return serve;
}

int run_serve_command(const web::ServeOptions& options) {
  web::ServeEvents events;
  events.listening = [](const std::string& url, const std::string& temp) {
    std::printf("earshot serve: open %s in a browser (Ctrl-C stops the server)\n", url.c_str());
    std::printf("  uploads and renders live in %s only while a request is answered\n", temp.c_str());
    std::fflush(stdout);
  };
  events.warning = [](const std::string& warning) { std::fprintf(stderr, "earshot: warning: %s\n", warning.c_str()); };
  web::serve(options, events);
  std::printf("earshot serve: stopped\n");
  return kExitOk;
}

}  // namespace earshot::cli
