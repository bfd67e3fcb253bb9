// SPDX-License-Identifier: Apache-2.0
// Reading the alert's own JSON (which the sensor wrote, so it is well-formed)
// as a flat list of dotted paths and their values as JSON text, for the
// http_json output's fields. Writing JSON strings is vigil::json::append_string.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil_http_json {

// Every leaf of a JSON object: {"a":{"b":1,"c":[2]}} -> ("a.b","1"), ("a.c","[2]").
// Arrays and scalars are leaves, kept as their JSON text. nullopt for text
// that is not a JSON object.
using FlatJson = std::vector<std::pair<std::string, std::string_view>>;
std::optional<FlatJson> flatten_object(std::string_view json);

// The text of a JSON string literal ("\"a\\u00e9\"" -> "aé"); nullopt if it is not one.
std::optional<std::string> json_string_value(std::string_view literal);

// The value at @path in @flat, or nullopt.
std::optional<std::string_view> find(const FlatJson &flat, std::string_view path);

} // namespace vigil_http_json
