#pragma once
// The page's built-in sounds, made once when the server starts from the demo's own material
// (apps/cli/demo_material.hpp): espeak-ng speech, a synthesised drum groove (music), and the
// speech over the drums. Served by id from this fixed table: no request names a file.
#include <filesystem>
#include <string>
#include <vector>

namespace earshot::web {

struct SampleSound {
  std::string id;           // "speech", "drums", "speech_over_drums"
  std::string title;        // what the page shows
  std::string description;
  double seconds = 0.0;
  std::string wav;          // the file's bytes (WAV float32)
};

// The samples this machine can make: without espeak-ng only the drums (and `missing` says why).
struct SampleSet {
  std::vector<SampleSound> sounds;
  std::string missing;
};
SampleSet make_sample_sounds(const std::filesystem::path& scratch);

}  // namespace earshot::web
