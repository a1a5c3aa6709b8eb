#include "formats/aid_spec_parser.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace earshot {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<PrescriptionRule> rule_for(std::string_view rule, SpecErrors& errors) {
  if (const auto r = parse_prescription_rule(rule)) return *r;
  errors.push_back({"aid", "'" + std::string(rule) + "' is not a known prescription: use " + prescription_names()});
  return std::nullopt;
}

// "mpo=105": the number after '=', in [lo, hi], or an error naming the item.
std::optional<double> number_in(std::string_view item, std::string_view value, double lo, double hi, const char* unit, SpecErrors& errors) {
  const std::string text(value);
  char* end = nullptr;
  const double v = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
    errors.push_back({"aid", "'" + std::string(item) + "': '" + text + "' is not a number"});
    return std::nullopt;
  }
  if (v < lo || v > hi) {
    errors.push_back({"aid", "'" + std::string(item) + "': " + format_number(v) + " " + unit + " is outside " + format_number(lo) + ".." +
                                 format_number(hi) + " " + unit});
    return std::nullopt;
  }
  return v;
}

}  // namespace

Result<AidSpec> parse_aid_spec(std::string_view text) {
  SpecErrors errors;
  text = trim(text);
  if (text.empty()) return SpecErrors{{"aid", "is empty: give a prescription (" + prescription_names() + ") or left=RULE,right=RULE"}};
  std::optional<PrescriptionRule> both, left, right;
  bool bare_rule = false, ear_named = false;
  AidSettings options;  // the compressor's settings, for every aid given
  bool timing_given = false, floor_given = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string_view item = trim(text.substr(start, end - start));
    start = end + 1;
    const std::size_t eq = item.find('=');
    const std::string_view key = eq == std::string_view::npos ? item : trim(item.substr(0, eq));
    const std::string_view value = eq == std::string_view::npos ? std::string_view{} : trim(item.substr(eq + 1));
    if (eq == std::string_view::npos) {
      if (item == "wdrc") {
        options.compression = true;
      } else if (item == "nr") {
        options.noise_reduction = true;
      } else if (ear_named || bare_rule) {
        errors.push_back({"aid", "'" + std::string(item) + "': give one RULE for both ears, or left=RULE and right=RULE, not both"});
      } else {
        bare_rule = true;
        both = rule_for(item, errors);
      }
    } else if (key == "left" || key == "right") {
      std::optional<PrescriptionRule>& ear = key == "left" ? left : right;
      if (bare_rule) {
        errors.push_back({"aid", "'" + std::string(item) + "': give one RULE for both ears, or left=RULE and right=RULE, not both"});
      } else if (ear_named && ear.has_value()) {
        errors.push_back({"aid", "the " + std::string(key) + " ear is given twice"});
      } else {
        ear_named = true;
        ear = rule_for(value, errors);
      }
    } else if (key == "attack") {
      timing_given = true;
      if (const auto v = number_in(item, value, kMinAttackMs, kMaxAttackMs, "ms", errors)) options.attack_ms = *v;
    } else if (key == "release") {
      timing_given = true;
      if (const auto v = number_in(item, value, kMinReleaseMs, kMaxReleaseMs, "ms", errors)) options.release_ms = *v;
    } else if (key == "nr-floor") {
      floor_given = true;
      if (const auto v = number_in(item, value, kMinNrFloorDb, kMaxNrFloorDb, "dB", errors)) options.nr_floor_db = *v;
    } else if (key == "mpo") {
      timing_given = true;
      if (const auto v = number_in(item, value, kMinMpoDbSpl, kMaxMpoDbSpl, "dB SPL", errors)) options.mpo_db_spl = *v;
    } else {
      errors.push_back({"aid", "'" + std::string(item) + "' is not an aid item: use RULE, left=RULE, right=RULE, wdrc, attack=MS, release=MS, mpo=DB, nr or nr-floor=DB"});
    }
  }
  if (!bare_rule && !ear_named && errors.empty()) {
    errors.push_back({"aid", "names no prescription: give one (" + prescription_names() + ") or left=RULE,right=RULE"});
  }
  if (timing_given && !options.compression) {
    errors.push_back({"aid", "attack, release and mpo set the compressor: add wdrc (e.g. fig6,wdrc,mpo=105)"});
  }
  if (floor_given && !options.noise_reduction) {
    errors.push_back({"aid", "nr-floor sets the noise reduction: add nr (e.g. nal-r,nr,nr-floor=-15)"});
  }
  if (!errors.empty()) return errors;
  AidSpec spec;
  auto settings = [&](PrescriptionRule rule) {
    AidSettings s = options;
    s.prescription = rule;
    return s;
  };
  if (both) spec.left = spec.right = settings(*both);
  if (left) spec.left = settings(*left);
  if (right) spec.right = settings(*right);
  return spec;
}

Result<Listener> with_aids(Listener listener, const AidSpec& aids) {
  if (aids.left) listener.left.aid = aids.left;
  if (aids.right) listener.right.aid = aids.right;
  SpecErrors errors = validate(listener);
  if (!errors.empty()) return errors;
  return listener;
}

}  // namespace earshot
