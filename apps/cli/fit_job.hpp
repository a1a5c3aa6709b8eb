#pragma once
// `earshot fit`: the insertion gain a prescription gives each ear of a listener, as text or JSON
// (per ear: ear, prescription, frequencies_hz, input_levels_db_spl, insertion_gain_db with one row
// per input level). An ear that hears only through an implant gets no acoustic aid and is left out.
#include <string>

#include <nlohmann/json.hpp>

#include "model/listener.hpp"

namespace earshot::cli {

// Throws CliError (kExitUsage) for an unknown prescription name.
nlohmann::json fit_json(const Listener& listener, const std::string& prescription);
std::string fit_text(const Listener& listener, const std::string& prescription);

}  // namespace earshot::cli
