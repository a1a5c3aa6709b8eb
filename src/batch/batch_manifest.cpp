#include "batch/batch_manifest.hpp"

#include <array>
#include <fstream>
#include <system_error>

#include "formats/aid_spec_parser.hpp"
#include "support/decimal_number.hpp"

namespace earshot {
namespace {

struct Record {
  int line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 records, with the quoting errors a spreadsheet or a hand edit makes named by line.
std::vector<Record> split_records(std::string_view text, SpecErrors& errors) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark (spreadsheets write one)
  std::vector<Record> records;
  Record record;
  std::string field;
  int line = 1;
  record.line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto end_record = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = Record{};
  };
  while (i < n) {
    // At the start of a field.
    if (text[i] == '"') {
      const int opened_on = line;
      ++i;
      bool closed = false;
      while (i < n) {
        const char c = text[i];
        if (c == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (c == '\n') ++line;
        field += c;
        ++i;
      }
      if (!closed) {
        errors.push_back({"line " + std::to_string(opened_on), "a quoted field is not closed (a \" opens it and no \" ends it)"});
        return records;
      }
      if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        errors.push_back({"line " + std::to_string(line),
                          "text after a quoted field's closing quote (write a quote inside a quoted field as \"\")"});
        return records;
      }
    } else {
      while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '"') {
          errors.push_back({"line " + std::to_string(line),
                            "a double quote inside an unquoted field (quote the whole field and write the quote as \"\")"});
          return records;
        }
        field += text[i++];
      }
    }
    // After a field: a separator, a line end or the end of the text.
    if (i >= n) break;
    if (text[i] == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      ++i;
      if (i >= n) break;  // "a,b," at the very end: the last field is empty
      continue;
    }
    if (text[i] == '\r') {
      ++i;
      if (i < n && text[i] == '\n') ++i;
    } else {
      ++i;  // '\n'
    }
    end_record();
    record.line = ++line;
  }
  if (!field.empty() || !record.fields.empty()) end_record();
  return records;
}

enum Column { kInput, kListener, kOutput, kLevel, kCalibration, kSeed, kReference, kNoise, kAid, kColumns };
constexpr std::array<std::string_view, kColumns> kColumnNames = {"input",        "listener", "output",    "level_db_spl",
                                                                  "calibration_db_spl", "seed", "reference", "noise", "aid"};

bool parse_seed(const std::string& text, std::uint64_t& out) {
  if (text.empty() || text.size() > 20) return false;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

// The first problems are enough to fix a manifest; a broken file of a million rows must not make
// a message of a million parts.
constexpr std::size_t kMaxErrors = 10;

}  // namespace

Result<BatchManifest> parse_batch_manifest(std::string_view text) {
  SpecErrors errors;
  std::vector<Record> records = split_records(text, errors);
  if (!errors.empty()) return errors;
  if (records.empty()) return SpecErrors{{"header", "the manifest is empty: its first line names the columns, at least input,listener"}};

  std::array<int, kColumns> index;
  index.fill(-1);
  const Record& header = records.front();
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const std::string& name = header.fields[c];
    int known = -1;
    for (int k = 0; k < kColumns; ++k) {
      if (name == kColumnNames[k]) known = k;
    }
    if (known < 0) {
      errors.push_back({"header", "unknown column '" + name +
                                      "': the columns are input, listener, output, level_db_spl, calibration_db_spl, seed, reference, noise, aid"});
    } else if (index[known] >= 0) {
      errors.push_back({"header", "column '" + name + "' is named twice"});
    } else {
      index[known] = static_cast<int>(c);
    }
  }
  for (int k : {kInput, kListener}) {
    if (index[k] < 0) errors.push_back({"header", "the column '" + std::string(kColumnNames[k]) + "' is missing (the header needs input,listener)"});
  }
  if (!errors.empty()) return errors;

  BatchManifest manifest;
  for (std::size_t r = 1; r < records.size() && errors.size() < kMaxErrors; ++r) {
    const Record& rec = records[r];
    const std::string where = "line " + std::to_string(rec.line);
    if (rec.fields.size() != header.fields.size()) {
      errors.push_back({where, std::to_string(rec.fields.size()) + " fields, but the header names " +
                                   std::to_string(header.fields.size()) + " columns"});
      continue;
    }
    auto cell = [&](int k) -> std::optional<std::string> {
      if (index[k] < 0 || rec.fields[index[k]].empty()) return std::nullopt;
      return rec.fields[index[k]];
    };
    BatchManifestRow row;
    row.line = rec.line;
    row.input = cell(kInput).value_or("");
    row.listener = cell(kListener).value_or("");
    if (row.input.empty()) errors.push_back({where + ", input", "is empty: every row needs an input file"});
    if (row.listener.empty()) errors.push_back({where + ", listener", "is empty: every row needs a listener"});
    row.output = cell(kOutput);
    row.reference = cell(kReference);
    row.noise = cell(kNoise);
    if (auto aid = cell(kAid); aid && *aid != "none") {
      // Checked here, so that a misspelt aid stops the batch before any row runs.
      if (auto parsed = parse_aid_spec(*aid); !parsed) {
        for (const auto& e : parsed.errors()) errors.push_back({where + ", aid", e.message});
      }
      row.aid = aid;
    }
    for (int k : {kLevel, kCalibration}) {
      if (auto text = cell(k)) {
        double v = 0.0;
        if (!parse_decimal(*text, v)) {
          errors.push_back({where + ", " + std::string(kColumnNames[k]), "'" + *text + "' is not a number"});
        } else {
          (k == kLevel ? row.level_db_spl : row.calibration_db_spl) = v;
        }
      }
    }
    if (row.level_db_spl && row.calibration_db_spl) {
      errors.push_back({where, "gives level_db_spl and calibration_db_spl: give one of them (as render's --level or --calibration)"});
    }
    if (auto text = cell(kSeed)) {
      std::uint64_t v = 0;
      if (!parse_seed(*text, v)) {
        errors.push_back({where + ", seed", "'" + *text + "' is not a whole number from 0 to 18446744073709551615"});
      } else {
        row.seed = v;
      }
    }
    manifest.rows.push_back(std::move(row));
  }
  if (!errors.empty()) return errors;
  if (manifest.rows.empty()) return SpecErrors{{"rows", "the manifest has a header but no rows"}};
  return manifest;
}

Result<BatchManifest> read_batch_manifest(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || !std::filesystem::is_regular_file(path, ec)) {
    return SpecErrors{{"", "manifest '" + path.string() + "' cannot be read: " + (ec ? ec.message() : "not a regular file")}};
  }
  if (size > kMaxBatchManifestBytes) {
    return SpecErrors{{"", "manifest '" + path.string() + "' is " + std::to_string(size) + " bytes: the limit is " +
                               std::to_string(kMaxBatchManifestBytes) + " bytes"}};
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(size))) {
    return SpecErrors{{"", "manifest '" + path.string() + "' cannot be read"}};
  }
  return parse_batch_manifest(text);
}

}  // namespace earshot
