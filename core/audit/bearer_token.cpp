// SPDX-License-Identifier: Apache-2.0
#include "core/audit/bearer_token.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace vigil::audit {
namespace {

std::array<unsigned char, 32> sha256(std::string_view text)
{
    std::array<unsigned char, 32> digest{};
    SHA256(reinterpret_cast<const unsigned char *>(text.data()), text.size(), digest.data());
    return digest;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    return text;
}

} // namespace

std::expected<BearerToken, std::string> BearerToken::from_file(const std::string &path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return std::unexpected(path + ": cannot read the token file: " + std::strerror(errno));
    }
    std::ostringstream content;
    content << file.rdbuf();
    auto text = content.str();
    auto token = trimmed(text);
    if (token.empty()) {
        return std::unexpected(path + ": the token file is empty");
    }
    auto result = from_value(token);
    OPENSSL_cleanse(text.data(), text.size());
    return result;
}

BearerToken BearerToken::from_value(std::string_view token)
{
    BearerToken result;
    result.digest_ = sha256(token);
    return result;
}

bool BearerToken::matches(std::string_view presented) const
{
    // Hashing first makes both sides the same length, so the comparison's time is fixed.
    auto digest = sha256(presented);
    return CRYPTO_memcmp(digest.data(), digest_.data(), digest.size()) == 0;
}

std::string_view bearer_credential(std::string_view authorization)
{
    constexpr std::string_view scheme = "bearer ";
    if (authorization.size() <= scheme.size()) {
        return {};
    }
    for (std::size_t index = 0; index < scheme.size(); ++index) {
        if (std::tolower(static_cast<unsigned char>(authorization[index])) != scheme[index]) {
            return {};
        }
    }
    return trimmed(authorization.substr(scheme.size()));
}

} // namespace vigil::audit
