// SPDX-License-Identifier: Apache-2.0
#include "patterns.hpp"

#include <fnmatch.h>

#include <stdexcept>

namespace vigil_cryptomining {
namespace {

std::string normalised_domain(std::string_view name)
{
    while (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);
    }
    return lower_case(name);
}

} // namespace

DomainList::DomainList(const std::vector<std::string> &patterns)
{
    for (const auto &pattern : patterns) {
        Entry entry;
        entry.configured = pattern;
        std::string_view rest = pattern;
        if (rest.starts_with("*.")) {
            entry.subdomains = true;
            rest.remove_prefix(2);
        }
        entry.domain = normalised_domain(rest);
        if (entry.domain.empty() || entry.domain.find('*') != std::string::npos) {
            throw std::invalid_argument("pool domain pattern \"" + pattern +
                                        "\": use a name, or \"*.\" followed by a name");
        }
        entries_.push_back(std::move(entry));
    }
}

std::string_view DomainList::match(std::string_view name) const
{
    const auto domain = normalised_domain(name);
    for (const auto &entry : entries_) {
        if (domain == entry.domain) {
            return entry.configured;
        }
        if (entry.subdomains && domain.size() > entry.domain.size() + 1 && domain.ends_with(entry.domain) &&
            domain[domain.size() - entry.domain.size() - 1] == '.') {
            return entry.configured;
        }
    }
    return {};
}

std::string_view base_name(std::string_view path)
{
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string lower_case(std::string_view text)
{
    std::string out(text);
    for (auto &character : out) {
        if (character >= 'A' && character <= 'Z') {
            character = static_cast<char>(character - 'A' + 'a');
        }
    }
    return out;
}

} // namespace vigil_cryptomining
