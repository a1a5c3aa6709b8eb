#pragma once
// A request the server refuses: an HTTP status (4xx, or 503 when the render queue is full), the
// request field it is about ("audio", "listener", "level_db_spl"; empty when about the request
// as a whole) and one plain sentence. The routes answer it as JSON {"error": ..., "field": ...}.
#include <stdexcept>
#include <string>

namespace earshot::web {

struct WebError : std::runtime_error {
  WebError(int status_code, std::string field_name, const std::string& message)
      : std::runtime_error(message), status(status_code), field(std::move(field_name)) {}
  int status;
  std::string field;
};

}  // namespace earshot::web
