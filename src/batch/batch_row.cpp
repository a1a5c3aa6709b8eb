#include "batch/batch_row.hpp"

#include <map>

#include "formats/profile_file.hpp"
#include "support/seed.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {

fs::path resolve(const fs::path& folder, const std::string& name) {
  const fs::path p(name);
  return p.is_absolute() ? p : folder / p;
}

bool ends_with_json(std::string_view s) { return s.ends_with(".json") || s.ends_with(".JSON"); }

}  // namespace

std::uint64_t fnv1a64(std::string_view bytes) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::uint32_t batch_render_seed(std::uint64_t base_seed, std::string_view output_name) noexcept {
  return static_cast<std::uint32_t>(derive_seed(base_seed, {kSeedBatchRow, fnv1a64(output_name)}));
}

std::optional<std::string> listener_file_part(std::string_view listener) {
  if (looks_like_profile_path(listener)) return std::string(listener);
  const auto hash = listener.rfind('#');
  if (hash != std::string_view::npos && ends_with_json(listener.substr(0, hash))) return std::string(listener.substr(0, hash));
  if (ends_with_json(listener)) return std::string(listener);
  return std::nullopt;
}

std::string derived_output_name(std::string_view input, std::string_view listener) {
  std::string who(listener);
  if (auto file = listener_file_part(listener)) {
    // A listener file: its name without the folder, and the listener's ID after it.
    const std::string rest = who.substr(file->size());
    who = fs::path(*file).stem().string() + rest;
  }
  std::string slug;
  for (char c : who) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-';
    slug += keep ? c : '_';
  }
  if (slug.size() > 96) slug.resize(96);  // an audiogram of many points still makes a name a folder allows
  return fs::path(std::string(input)).stem().string() + "__" + slug + ".wav";
}

Result<std::vector<BatchRowPlan>> plan_batch(const BatchManifest& manifest, const fs::path& manifest_folder,
                                             const fs::path& output_folder) {
  SpecErrors errors;
  std::vector<BatchRowPlan> plans;
  std::map<std::string, int> output_line;
  for (const BatchManifestRow& row : manifest.rows) {
    const std::string where = "line " + std::to_string(row.line);
    BatchRowPlan p;
    p.line = row.line;
    p.input_name = row.input;
    p.listener_name = row.listener;
    p.input = resolve(manifest_folder, row.input);
    p.listener = row.listener;
    if (auto file = listener_file_part(row.listener)) {
      const fs::path resolved = resolve(manifest_folder, *file);
      p.listener = resolved.string() + row.listener.substr(file->size());
      p.listener_file = resolved;
    }
    if (row.output) {
      const fs::path out(*row.output);
      bool escapes = out.is_absolute() || !out.has_filename();
      for (const auto& part : out) escapes = escapes || part == "..";
      if (escapes) {
        errors.push_back({where + ", output", "'" + *row.output + "' must be a file name inside the output folder (no absolute path, no ..)"});
        continue;
      }
      p.output_name = out.lexically_normal().generic_string();
    } else {
      // An aided row's name says so: the same input and listener unaided and aided are two files.
      p.output_name = derived_output_name(row.input, row.aid ? row.listener + "+aid=" + *row.aid : row.listener);
    }
    if (auto [at, fresh] = output_line.emplace(p.output_name, row.line); !fresh) {
      errors.push_back({where + ", output", "'" + p.output_name + "' is also line " + std::to_string(at->second) +
                                                "'s output: give each row its own output"});
      continue;
    }
    p.output = output_folder / fs::path(p.output_name);
    p.level_db_spl = row.level_db_spl;
    p.calibration_db_spl = row.calibration_db_spl;
    if (row.reference) p.reference = resolve(manifest_folder, *row.reference);
    if (row.noise) p.noise = resolve(manifest_folder, *row.noise);
    p.aid = row.aid;
    p.base_seed = row.seed.value_or(1);
    p.render_seed = batch_render_seed(p.base_seed, p.output_name);
    plans.push_back(std::move(p));
    if (errors.size() >= 10) break;
  }
  if (!errors.empty()) return errors;
  return plans;
}

}  // namespace earshot
