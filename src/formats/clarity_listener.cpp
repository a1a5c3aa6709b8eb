#include "formats/clarity_listener.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <vector>

#include "formats/file_errors.hpp"
#include "support/nearest_names.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {

bool ends_with_json(std::string_view s) {
  if (s.size() < 5) return false;
  std::string tail(s.substr(s.size() - 5));
  std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return tail == ".json";
}

// Brackets and braces outside strings: nlohmann's parser is iterative, but its values are
// destroyed and copied recursively, so depth is bounded before parsing, as for TOML.
std::optional<std::string> nesting_error(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxClarityNesting) {
        return "arrays and objects nest more than " + std::to_string(kMaxClarityNesting) + " deep (the most earshot reads)";
      }
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  return std::nullopt;
}

std::string unknown_id_message(const fs::path& file, std::string_view id, const nlohmann::json& doc) {
  std::vector<std::string> ids;
  for (const auto& [key, value] : doc.items()) ids.push_back(key);
  std::string nearest;
  for (const auto& near : nearest_names(id, ids, 3)) nearest += (nearest.empty() ? "" : ", ") + near;
  std::string message = "listener file '" + file.string() + "' has no listener '" + std::string(id) + "' (" +
                        std::to_string(ids.size()) + " listener" + (ids.size() == 1 ? "" : "s");
  return message + (ids.empty() ? ")" : "; nearest: " + nearest + ")");
}

std::vector<double> numbers(const nlohmann::json& entry, const char* key, const std::string& field, SpecErrors& errors) {
  std::vector<double> out;
  const auto it = entry.find(key);
  if (it == entry.end()) {
    errors.push_back({field + "." + key, "missing: a Clarity listener has audiogram_cfs, audiogram_levels_l and audiogram_levels_r"});
    return out;
  }
  if (!it->is_array()) {
    errors.push_back({field + "." + key, "must be an array of numbers"});
    return out;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    if (v.is_number()) out.push_back(v.get<double>());
    else errors.push_back({field + "." + key + "[" + std::to_string(i) + "]", "must be a number, not " + v.dump()});
  }
  return out;
}

}  // namespace

std::optional<ClarityListenerReference> clarity_listener_reference(std::string_view arg) {
  // The id follows the last '#': a file name may hold a '#', an id never does in the challenges.
  const auto hash = arg.rfind('#');
  if (hash != std::string_view::npos && ends_with_json(arg.substr(0, hash))) {
    return ClarityListenerReference{fs::path(std::string(arg.substr(0, hash))), std::string(arg.substr(hash + 1))};
  }
  if (ends_with_json(arg)) return ClarityListenerReference{fs::path(std::string(arg)), ""};
  return std::nullopt;
}

Result<Listener> read_clarity_listener(const fs::path& file, std::string_view id) {
  const std::string name = "listener file '" + file.string() + "'";
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return SpecErrors{file_error(name + " does not exist")};
  const auto size = fs::file_size(file, ec);
  if (ec) return SpecErrors{file_error(name + " cannot be read: " + ec.message())};
  if (size > kMaxClarityFileBytes) {
    return SpecErrors{file_error(name + " is " + std::to_string(size) + " bytes: the limit is " +
                                 std::to_string(kMaxClarityFileBytes) + " bytes (1 MiB)")};
  }
  if (id.empty()) return SpecErrors{file_error(name + " needs a listener id: give FILE.json#ID, such as " + file.string() + "#L0001")};
  std::ifstream in(file, std::ios::binary);
  std::string text(std::istreambuf_iterator<char>(in), {});
  if (!in && !in.eof()) return SpecErrors{file_error(name + " cannot be read")};
  if (auto deep = nesting_error(text)) return SpecErrors{file_error(name + ": " + *deep)};
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // A parse error (not JSON, with the byte and what was expected), or out_of_range 406, a number
    // too large for a double, which nlohmann's parser throws even when asked not to throw (found
    // by fuzz/clarity_listener_fuzz.cpp).
    std::string why = e.what();
    if (const auto at = why.find("] "); at != std::string::npos) why = why.substr(at + 2);
    return SpecErrors{file_error(name + " is not valid JSON: " + why)};
  }
  if (!doc.is_object()) return SpecErrors{file_error(name + " must be a JSON object of listeners keyed by id (a Clarity listeners.json)")};
  const auto found = doc.find(std::string(id));
  if (found == doc.end()) return SpecErrors{file_error(unknown_id_message(file, id, doc))};
  const std::string field(id);
  if (!found->is_object()) return SpecErrors{{field, "must be an object with audiogram_cfs, audiogram_levels_l and audiogram_levels_r"}};
  SpecErrors errors;
  const auto cfs = numbers(*found, "audiogram_cfs", field, errors);
  const auto left = numbers(*found, "audiogram_levels_l", field, errors);
  const auto right = numbers(*found, "audiogram_levels_r", field, errors);
  if (!errors.empty()) return errors;
  if (cfs.empty()) errors.push_back({field + ".audiogram_cfs", "must not be empty"});
  for (const auto& [levels, key] : {std::pair{&left, "audiogram_levels_l"}, std::pair{&right, "audiogram_levels_r"}}) {
    if (levels->size() != cfs.size()) {
      errors.push_back({field + "." + key, "has " + std::to_string(levels->size()) + " levels for the " + std::to_string(cfs.size()) +
                                               " frequencies of audiogram_cfs: give one level per frequency"});
    }
  }
  if (!errors.empty()) return errors;
  Listener listener;
  for (int ear = 0; ear < 2; ++ear) {
    EarProfile& profile = ear == 0 ? listener.left : listener.right;
    const auto& levels = ear == 0 ? left : right;
    profile.label = field;
    for (std::size_t i = 0; i < cfs.size(); ++i) profile.air_db_hl.points.push_back({cfs[i], levels[i]});
    // An audiogram's own checks (range, order, count), named by the file's fields.
    for (auto e : validate(profile.air_db_hl, field + (ear == 0 ? ".audiogram_levels_l" : ".audiogram_levels_r"))) {
      errors.push_back(std::move(e));
    }
  }
  if (!errors.empty()) return errors;
  for (auto& e : validate(listener)) errors.push_back({field + "." + e.field, e.message});
  if (!errors.empty()) return errors;
  return listener;
}

}  // namespace earshot
