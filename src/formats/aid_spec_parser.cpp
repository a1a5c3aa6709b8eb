#include "formats/aid_spec_parser.hpp"

#include <string>

namespace earshot {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<AidSettings> settings_for(std::string_view rule, SpecErrors& errors) {
  if (const auto r = parse_prescription_rule(rule)) return AidSettings{*r};
  errors.push_back({"aid", "'" + std::string(rule) + "' is not a known prescription: use " + prescription_names()});
  return std::nullopt;
}

}  // namespace

Result<AidSpec> parse_aid_spec(std::string_view text) {
  SpecErrors errors;
  AidSpec spec;
  text = trim(text);
  if (text.empty()) return SpecErrors{{"aid", "is empty: give a prescription (" + prescription_names() + ") or left=RULE,right=RULE"}};
  if (text.find('=') == std::string_view::npos) {
    const auto s = settings_for(text, errors);
    if (!errors.empty()) return errors;
    spec.left = spec.right = s;
    return spec;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string_view item = trim(text.substr(start, end - start));
    const std::size_t eq = item.find('=');
    const std::string_view ear = eq == std::string_view::npos ? std::string_view{} : trim(item.substr(0, eq));
    if (ear != "left" && ear != "right") {
      errors.push_back({"aid", "'" + std::string(item) + "': with an ear named, every item is left=RULE or right=RULE"});
    } else if ((ear == "left" ? spec.left : spec.right).has_value()) {
      errors.push_back({"aid", "the " + std::string(ear) + " ear is given twice"});
    } else if (const auto s = settings_for(trim(item.substr(eq + 1)), errors)) {
      (ear == "left" ? spec.left : spec.right) = s;
    }
    start = end + 1;
  }
  if (!errors.empty()) return errors;
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
