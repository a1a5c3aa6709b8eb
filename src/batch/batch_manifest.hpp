#pragma once
// A batch manifest: one row per render, as CSV (RFC 4180: fields separated by commas, a field in
// double quotes may hold commas, line breaks and doubled quotes "" for one quote; CRLF or LF line
// ends). The header names the columns, in any order:
//   input, listener                  required: the audio file and the listener (any listener the
//                                    CLI's --listener accepts: a spec, a profile .toml, a listener
//                                    file reference like listeners.json#L0001)
//   output                           optional: the render's file name inside the output folder
//                                    (otherwise derived from the input's name and the listener)
//   level_db_spl, calibration_db_spl optional: as render's --level / --calibration (one of them)
//   seed                             optional: the row's base seed (batch/batch_row.hpp derives
//                                    the render's seed from it and the row's output name)
//   reference                        optional: clean speech for STOI/ESTOI against the render
//   noise                            optional: noise for the SII (in quiet without it)
//   aid                              optional: a hearing aid, as render's --aid takes it
//                                    ("nal-r,wdrc", "left=fig6"; "none" or empty: no aid)
// An unknown or repeated column is refused (a misspelt "levl_db_spl" would otherwise be silently
// ignored and every row rendered at the default level). An empty cell is "not given". Paths are
// kept as written; batch/batch_row.hpp resolves them against the manifest's folder.
// Errors name the line and column: "line 4, level_db_spl: 'loud' is not a number".
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/spec_error.hpp"

namespace earshot {

struct BatchManifestRow {
  int line = 0;  // the line the row starts on (1 is the header), for messages
  std::string input, listener;
  std::optional<std::string> output, reference, noise, aid;
  std::optional<double> level_db_spl, calibration_db_spl;
  std::optional<std::uint64_t> seed;
};

struct BatchManifest {
  std::vector<BatchManifestRow> rows;
};

// A manifest read in whole is at most this long (a million rows of short paths fit in it).
inline constexpr std::size_t kMaxBatchManifestBytes = 256u << 20;

Result<BatchManifest> parse_batch_manifest(std::string_view text);

// Reads and parses the file; a missing or unreadable file is one error with no field.
Result<BatchManifest> read_batch_manifest(const std::filesystem::path& path);

}  // namespace earshot
