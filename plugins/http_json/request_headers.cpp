// SPDX-License-Identifier: Apache-2.0
#include "request_headers.hpp"

#include <algorithm>
#include <cctype>

#include <vigil/secret.hpp>

namespace vigil_http_json {

std::string header_problem(const std::string &header)
{
    auto colon = header.find(':');
    if (colon == std::string::npos || colon == 0) {
        return "is not \"Name: value\"";
    }
    for (std::size_t index = 0; index < colon; ++index) {
        auto c = static_cast<unsigned char>(header[index]);
        if (!std::isalnum(c) &&
            std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) {
            return "has a name that is not an HTTP token";
        }
    }
    if (header.find_first_of("\r\n") != std::string::npos) {
        return "holds a line break";
    }
    std::string name = header.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name == "authorization") {
        return "is an Authorization header: put the token in token_file or token_env";
    }
    if (name == "content-type" || name == "content-length" || name == "host" || name == "transfer-encoding") {
        return "is set by the output itself";
    }
    return "";
}

std::vector<std::string> request_headers(const vigil::Config &config)
{
    std::vector<std::string> headers{"Content-Type: application/json"};
    if (!config.get_string("token_file").empty() || !config.get_string("token_env").empty()) {
        headers.push_back("Authorization: Bearer " +
                          vigil::read_secret(config, "token_file", "token_env", "the http_json bearer token"));
    }
    for (const auto &header : config.get_list("headers")) {
        if (auto problem = header_problem(header); !problem.empty()) {
            // The name only: a value could be something the operator did not mean to log.
            throw vigil::ConfigError("option headers: \"" + header.substr(0, header.find(':')) + "\" " + problem);
        }
        headers.push_back(header);
    }
    return headers;
}

} // namespace vigil_http_json
