#pragma once
// Listener files of the Clarity and Cadenza challenges (claritychallenge.org: the CEC/CPC
// "listeners.json" and Cadenza's "listeners.valid.json"): one JSON object keyed by listener id,
// each entry holding the audiogram of both ears in dB HL at the same frequencies:
//
//   { "L0001": { "name": "L0001", "audiogram_cfs": [250, 500, ...],
//                "audiogram_levels_l": [45, 45, ...], "audiogram_levels_r": [40, 40, ...] }, ... }
//
// A listener argument names one entry as FILE.json#ID ("listeners.json#L0001"). The file is
// refused before parsing when larger than kMaxClarityFileBytes or nested deeper than
// kMaxClarityNesting (the challenges' files are about 30 KB and 3 levels deep), as
// formats/toml_document.hpp does for TOML. Errors name the file as a whole (missing, too large,
// not JSON, unknown id) or a field inside it ("L0001.audiogram_levels_l[3]"); describe(path,
// errors) of formats/file_errors.hpp makes them one line.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "model/listener.hpp"

namespace earshot {

inline constexpr std::size_t kMaxClarityFileBytes = 1 << 20;  // 1 MiB, as for TOML files
inline constexpr int kMaxClarityNesting = 16;

// A listener argument that names an entry of a Clarity/Cadenza listener file: FILE.json#ID, or
// FILE.json alone (which read_clarity_listener refuses, asking for an id).
struct ClarityListenerReference {
  std::filesystem::path file;
  std::string id;  // empty when the argument gave none
};
std::optional<ClarityListenerReference> clarity_listener_reference(std::string_view listener_arg);

// The listener `id` of the file: both ears' audiograms, checked as any audiogram is
// (audiology/audiogram.hpp) and the listener validated as a whole.
Result<Listener> read_clarity_listener(const std::filesystem::path& file, std::string_view id);

}  // namespace earshot
