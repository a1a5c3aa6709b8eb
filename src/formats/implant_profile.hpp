#pragma once
// A cochlear-implant map in a listener profile: an [EAR.implant] table (see docs/profiles.md)
// whose keys are ImplantMap's fields, applied over the ear's implant preset if it has one.
#include <string>

#include <toml++/toml.h>

#include "model/implant_map.hpp"

namespace earshot {

// Reads every key it knows into `map`; unknown keys and wrong types are listed in `errors` by
// field path ("left.implant.maxima").
void read_implant_table(const toml::table& table, ImplantMap& map, const std::string& field, SpecErrors& errors);

}  // namespace earshot
