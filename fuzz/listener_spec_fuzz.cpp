// Listener specs as typed on a command line (formats/listener_spec_parser.hpp): parse, and where
// that succeeds, validate and design the engine for them at 16 kHz.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/engine.hpp"
#include "formats/listener_spec_parser.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto listener = earshot::parse_listener_spec(text, "listener");
  if (!listener) return 0;
  earshot::fuzz::design_engine_for(listener.value());
  return 0;
}
