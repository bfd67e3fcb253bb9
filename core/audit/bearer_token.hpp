// SPDX-License-Identifier: Apache-2.0
// The webhook's shared secret: read from the file the configuration names
// (never from the TOML itself), kept only as its SHA-256, and compared in
// constant time, so neither the log, a core dump's obvious strings nor the
// time a refusal takes tells an attacker anything about it.
#pragma once

#include <array>
#include <expected>
#include <string>
#include <string_view>

namespace vigil::audit {

class BearerToken {
public:
    // The file's content without surrounding whitespace; an empty or unreadable file is an error.
    static std::expected<BearerToken, std::string> from_file(const std::string &path);
    static BearerToken from_value(std::string_view token);

    // True when @presented is the token. Time does not depend on where they differ, nor on their lengths.
    bool matches(std::string_view presented) const;

private:
    std::array<unsigned char, 32> digest_{};
};

// The token of an "Authorization: Bearer <token>" value; "" when it is not a bearer credential.
std::string_view bearer_credential(std::string_view authorization);

} // namespace vigil::audit
