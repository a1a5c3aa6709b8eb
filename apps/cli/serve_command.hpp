#pragma once
// `earshot serve`: its flags, and what it prints (the URL, warnings) around apps/web's server.
#include <CLI/CLI.hpp>

#include "apps/web/web_server.hpp"

namespace earshot::cli {

// Adds the subcommand and its flags, filling `options`.
CLI::App* add_serve_command(CLI::App& app, web::ServeOptions& options);

// Runs the server until SIGINT/SIGTERM; throws CliError when it cannot start.
int run_serve_command(const web::ServeOptions& options);

}  // namespace earshot::cli
