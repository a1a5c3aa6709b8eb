#include "formats/toml_document.hpp"

#include <fstream>
#include <sstream>

#include "formats/file_errors.hpp"

namespace earshot {

SpecErrors check_toml_limits(std::string_view text, const std::string& name) {
  // A scanner for the parts of TOML that nest: strings and comments are skipped (a dot or bracket
  // inside them means nothing), brackets and braces count nesting, and dots count key parts. A
  // key's parts run from the start of a line, a '[', '{' or ',' up to the next '=' or ']'; a value
  // has at most one dot outside strings (1.5, 07:32:00.999), so counting every dot between those
  // separators never refuses a valid document that keeps within the limits.
  int line = 1;
  int nesting = 0;
  int dots = 0;
  const auto fail = [&](const std::string& what) {
    return SpecErrors{{"", name + ":" + std::to_string(line) + ": " + what}};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      dots = 0;
    } else if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const bool multi = text.substr(i, 3) == std::string(3, c);
      const std::string close = multi ? std::string(3, c) : std::string(1, c);
      i += close.size();
      for (; i < text.size(); ++i) {
        if (c == '"' && text[i] == '\\') {
          ++i;
          if (i < text.size() && text[i] == '\n') ++line;
          continue;
        }
        if (text[i] == '\n') {
          if (!multi) break;  // an unterminated string: the parser reports it
          ++line;
        }
        if (text.substr(i, close.size()) == close) {
          i += close.size() - 1;
          break;
        }
      }
    } else if (c == '[' || c == '{') {
      if (++nesting > kMaxTomlNesting) {
        return fail("arrays, tables and inline tables nest more than " + std::to_string(kMaxTomlNesting) +
                    " deep (the most earshot reads)");
      }
      dots = 0;
    } else if (c == ']' || c == '}') {
      if (nesting > 0) --nesting;
      dots = 0;
    } else if (c == '=' || c == ',') {
      dots = 0;
    } else if (c == '.') {
      if (++dots >= kMaxTomlKeyDepth) {
        return fail("a key has more than " + std::to_string(kMaxTomlKeyDepth) + " dotted parts (the most earshot reads)");
      }
    }
  }
  return {};
}

Result<toml::table> read_toml_document(const std::filesystem::path& path, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return SpecErrors{file_error(what + " '" + path.string() + "' does not exist")};
  const auto size = fs::file_size(path, ec);
  if (ec) return SpecErrors{file_error(what + " '" + path.string() + "' cannot be read: " + ec.message())};
  if (size > kMaxTomlFileBytes) {
    return SpecErrors{file_error(what + " '" + path.string() + "' is " + std::to_string(size) + " bytes: the limit is " +
                                 std::to_string(kMaxTomlFileBytes) + " bytes (1 MiB)")};
  }
  std::ifstream in(path, std::ios::binary);
  std::string text;
  if (in) {
    text.assign(kMaxTomlFileBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad() || (!in && !in.eof())) return SpecErrors{file_error(what + " '" + path.string() + "' cannot be read")};
  if (text.size() > kMaxTomlFileBytes) {  // it grew after the size check
    return SpecErrors{file_error(what + " '" + path.string() + "' is larger than the limit of " +
                                 std::to_string(kMaxTomlFileBytes) + " bytes (1 MiB)")};
  }
  if (auto bad = check_toml_limits(text, path.string()); !bad.empty()) return bad;
  try {
    return toml::parse(text, path.string());
  } catch (const toml::parse_error& e) {
    return SpecErrors{file_error(path.string() + ":" + std::to_string(e.source().begin.line) + ": not valid TOML: " +
                                 std::string(e.description()))};
  }
}

}  // namespace earshot
