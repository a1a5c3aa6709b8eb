#pragma once
// The HTTP API of `earshot serve` (docs/web.md): the page's files, the listener presets, the
// built-in samples, and render / score / report of an uploaded sound for a listener. Every
// refusal is JSON {"error": one sentence, "field": the form field or ""} with a 4xx status (503
// when the render queue is full, with Retry-After).
#include <cstddef>

#include "apps/web/render_gate.hpp"
#include "apps/web/request_workspace.hpp"
#include "apps/web/sample_sounds.hpp"

namespace httplib {
class Server;
}

namespace earshot::web {

// An uploaded sound of more than this many bytes is refused (413), as is one longer than
// kMaxUploadSeconds (a render holds a few copies of the signal; ten minutes is far more than a
// demonstration needs).
inline constexpr std::size_t kMaxUploadBytes = 100'000'000;
inline constexpr double kMaxUploadSeconds = 600.0;
// The whole request: the sound plus its text fields and the multipart framing.
inline constexpr std::size_t kMaxRequestBytes = kMaxUploadBytes + 1'000'000;
// A listener spec longer than this is refused before parsing (a full two-ear audiogram is ~200).
inline constexpr std::size_t kMaxListenerChars = 4096;

struct ApiContext {
  ServerTempRoot& temp_root;
  RenderGate& gate;
  const SampleSet& samples;
};

// Installs every route and the JSON error handler on `server`.
void install_routes(httplib::Server& server, ApiContext& context);

}  // namespace earshot::web
