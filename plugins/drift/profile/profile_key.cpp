// SPDX-License-Identifier: Apache-2.0
#include "profile/profile_key.hpp"

#include <functional>
#include <tuple>
#include <vector>

namespace vigil_drift {

namespace {

std::string escape_key_part(std::string_view part)
{
    std::string escaped;
    for (char character : part) {
        if (character == '%') {
            escaped += "%25";
        } else if (character == '/') {
            escaped += "%2F";
        } else {
            escaped += character;
        }
    }
    return escaped;
}

std::optional<std::string> unescape_key_part(std::string_view part)
{
    std::string plain;
    for (std::size_t index = 0; index < part.size(); ++index) {
        if (part[index] != '%') {
            plain += part[index];
            continue;
        }
        auto code = part.substr(index + 1, 2);
        if (code == "25") {
            plain += '%';
        } else if (code == "2F" || code == "2f") {
            plain += '/';
        } else {
            return std::nullopt; // only the two escapes text() writes
        }
        index += 2;
    }
    return plain;
}

auto identity(const ProfileKey &key)
{
    return std::tie(key.namespace_name, key.workload_kind, key.workload_name, key.container);
}

} // namespace

std::string ProfileKey::text() const
{
    return escape_key_part(namespace_name) + "/" + escape_key_part(workload_kind) + "/" +
           escape_key_part(workload_name) + "/" + escape_key_part(container);
}

std::optional<ProfileKey> ProfileKey::parse(std::string_view text)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto slash = text.find('/', start);
        auto part = unescape_key_part(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (!part) {
            return std::nullopt;
        }
        parts.push_back(std::move(*part));
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    if (parts.size() != 4) {
        return std::nullopt;
    }
    return ProfileKey{parts[0], parts[1], parts[2], parts[3], "api"};
}

bool ProfileKey::operator==(const ProfileKey &other) const
{
    return identity(*this) == identity(other);
}

std::strong_ordering ProfileKey::operator<=>(const ProfileKey &other) const
{
    return identity(*this) <=> identity(other);
}

std::size_t ProfileKeyHash::operator()(const ProfileKey &key) const
{
    std::size_t hash = 0;
    for (const auto *part : {&key.namespace_name, &key.workload_kind, &key.workload_name, &key.container}) {
        hash = hash * 1'000'003 ^ std::hash<std::string>{}(*part);
    }
    return hash;
}

} // namespace vigil_drift
