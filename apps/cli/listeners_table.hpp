#pragma once
#include <string>

namespace earshot::cli {
// `earshot listeners`: every preset with its audiogram and source, and the spec grammar.
std::string listeners_table();
}  // namespace earshot::cli
