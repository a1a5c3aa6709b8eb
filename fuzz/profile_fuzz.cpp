// Listener profiles (.toml, formats/profile_file.hpp): the limits pre-scan, the TOML parser and
// the profile reader, then the engine's design for what was read.
#include <cstddef>
#include <cstdint>

#include "engine/engine.hpp"
#include "formats/profile_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto listener = earshot::read_listener_profile(earshot::fuzz::scratch_file(".toml", data, size));
  if (!listener) return 0;
  earshot::fuzz::design_engine_for(listener.value());
  return 0;
}
