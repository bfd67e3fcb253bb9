// SPDX-License-Identifier: Apache-2.0
// Secrets an output needs (API keys, tokens, routing keys): never written in
// the TOML itself, but read from a file (a mounted Kubernetes Secret) or from
// an environment variable, whichever of the two options the operator set.
// Errors name the option, the file or the variable, never the value.
//
//   auto key = vigil::read_secret(config, "api_key_file", "api_key_env", "the Datadog API key");
//
// Declare both options as strings with "" as their default.
#pragma once

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <vigil/host.hpp>

namespace vigil {

// The secret, without surrounding whitespace or the file's trailing newline.
// Throws ConfigError when neither or both options are set, the file cannot be
// read, the variable is unset, or the value is empty.
inline std::string read_secret(const Config &config, const char *file_option, const char *env_option, const char *what)
{
    const std::string path = config.get_string(file_option);
    const std::string variable = config.get_string(env_option);
    auto trimmed = [](std::string value) {
        const char *space = " \t\r\n";
        auto first = value.find_first_not_of(space);
        auto last = value.find_last_not_of(space);
        return first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    };
    if (path.empty() == variable.empty()) {
        throw ConfigError(std::string(what) + ": set exactly one of " + file_option + " (a file holding it) and " +
                          env_option + " (an environment variable holding it)");
    }
    std::string value;
    if (!path.empty()) {
        std::ifstream file(path);
        if (!file) {
            throw ConfigError(std::string(what) + ": cannot read " + file_option + " = \"" + path + "\"");
        }
        std::ostringstream contents;
        contents << file.rdbuf();
        value = trimmed(contents.str());
        if (value.empty()) {
            throw ConfigError(std::string(what) + ": " + path + " is empty");
        }
        return value;
    }
    const char *set = std::getenv(variable.c_str());
    if (set == nullptr) {
        throw ConfigError(std::string(what) + ": the environment variable " + variable + " (" + env_option +
                          ") is not set");
    }
    value = trimmed(set);
    if (value.empty()) {
        throw ConfigError(std::string(what) + ": the environment variable " + variable + " is empty");
    }
    return value;
}

} // namespace vigil
