#pragma once
// Validation results: the core never throws on bad user input; it collects every problem with the
// field path that names it, and front ends decide how to report them (exit codes, exceptions).
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace earshot {

struct SpecError {
  std::string field;    // e.g. "left.audiogram[2].frequency_hz"
  std::string message;  // e.g. "90 Hz is outside 100..16000 Hz"
};
using SpecErrors = std::vector<SpecError>;

// One line, all problems: "left.audiogram[2].frequency_hz: 90 Hz is outside ...; right: ..."
std::string describe(const SpecErrors& errors);

// A number as users wrote it in messages: 90, 22.5, 1e+06 (printf %g).
std::string format_number(double value);

// Either a value or the list of everything wrong with the request.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                  // NOLINT: implicit by design
  Result(SpecErrors errors) : v_(std::move(errors)) {}       // NOLINT
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const SpecErrors& errors() const { return std::get<SpecErrors>(v_); }

 private:
  std::variant<T, SpecErrors> v_;
};

}  // namespace earshot
