// Clarity/Cadenza listener files (.json, formats/clarity_listener.hpp): the size and nesting
// pre-scan, the JSON parser and the reader, then the engine's design for the listener read. The
// id looked up is L0001, or the input's first line when it starts with '#' ("#L0002\n{...}"), so
// that unknown ids and their nearest-match message are reached too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/engine.hpp"
#include "formats/clarity_listener.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string id = "L0001";
  if (size > 0 && data[0] == '#') {
    std::size_t end = 1;
    while (end < size && end < 64 && data[end] != '\n') ++end;
    id.assign(reinterpret_cast<const char*>(data) + 1, end - 1);
    const std::size_t skip = end < size ? end + 1 : end;
    data += skip;
    size -= skip;
  }
  auto listener = earshot::read_clarity_listener(earshot::fuzz::scratch_file(".json", data, size), id);
  if (!listener) return 0;
  earshot::fuzz::design_engine_for(listener.value());
  return 0;
}
