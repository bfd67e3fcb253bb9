// SPDX-License-Identifier: Apache-2.0
// The headers of every request: Content-Type, the bearer token when one is
// configured (from token_file or token_env, never the TOML), and the
// operator's extra headers.
#pragma once

#include <string>
#include <vector>

#include <vigil/host.hpp>

namespace vigil_http_json {

std::vector<std::string> request_headers(const vigil::Config &config);

// Why @header ("Name: value") cannot be sent, or "" when it can.
std::string header_problem(const std::string &header);

} // namespace vigil_http_json
