#pragma once
// One manifest row made concrete: its files resolved, its output named, its seed derived. Pure:
// nothing here opens a file, so a plan is the same on every machine that runs the row (a Dask
// worker, a thread of `earshot batch --jobs N`).
//
// Paths. input, reference, noise and a listener file (a profile .toml, or the file of a
// "listeners.json#L0001" reference) are relative to the manifest's folder unless absolute, so a
// manifest and its audio move together. output is relative to the output folder and must stay
// inside it (no absolute path, no ".."); without it the name is derived:
//   <input's stem>__<listener, with every character other than A-Z a-z 0-9 . + - as _>.wav
// e.g. speech/a0001.wav with ci:nucleus-ace gives a0001__ci_nucleus-ace.wav. Two rows with one
// output are refused (the second would overwrite the first).
//
// Seed. A row's render seed is derived from the row's base seed (its seed cell, 1 if empty) and
// its output name, never from the worker or the order that ran it:
//   render_seed = low 32 bits of derive_seed(base, {kSeedBatchRow, fnv1a64(output name)})
// (support/seed.hpp; FNV-1a 64 over the output name's bytes with '/' separators). So every row of
// a corpus gets its own random phases (rows of one input for two listeners do not share noise),
// and `earshot render --seed <render_seed>` of the row gives the same bytes. 32 bits because that
// is the range of render's --seed.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batch/batch_manifest.hpp"
#include "support/spec_error.hpp"

namespace earshot {

struct BatchRowPlan {
  int line = 0;                          // the manifest line, for messages
  std::string input_name;                // as the manifest gives it (the scores CSV's input column)
  std::string listener_name;             // as the manifest gives it
  std::filesystem::path input;           // resolved
  std::string listener;                  // resolved: a listener file's path made absolute or relative to here
  std::optional<std::filesystem::path> listener_file;  // the listener's file, if it names one
  std::string output_name;               // inside the output folder, '/'-separated
  std::filesystem::path output;          // resolved: output folder / output_name
  std::optional<double> level_db_spl, calibration_db_spl;
  std::optional<std::filesystem::path> reference, noise;
  std::optional<std::string> aid;        // as render's --aid takes it
  std::uint64_t base_seed = 1;
  std::uint32_t render_seed = 1;
  // The hearing-aid indices to score against `reference` (batch/batch_scores.hpp): asked for by the
  // front end (`earshot batch --haspi --hasqi`, earshot.batch.run(haspi=, hasqi=)), for every row,
  // not by a manifest column; off by default, for each index costs tens of renders (Kates' ear
  // model at 24 kHz, per ear: about 0.35 s CPU for HASPI and 0.9 s for HASQI on a 6 s pair).
  bool haspi = false, hasqi = false;
};

// The name a row without an output cell gets.
std::string derived_output_name(std::string_view input, std::string_view listener);

// FNV-1a, 64 bits (Fowler, Noll & Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3).
std::uint64_t fnv1a64(std::string_view bytes) noexcept;

std::uint32_t batch_render_seed(std::uint64_t base_seed, std::string_view output_name) noexcept;

// The part of a listener argument that is a file (a profile .toml, or "FILE.json" of
// "FILE.json#ID"), if any.
std::optional<std::string> listener_file_part(std::string_view listener);

// Every row planned, or every problem (bad output names, outputs named twice), by line.
Result<std::vector<BatchRowPlan>> plan_batch(const BatchManifest& manifest, const std::filesystem::path& manifest_folder,
                                             const std::filesystem::path& output_folder);

}  // namespace earshot
