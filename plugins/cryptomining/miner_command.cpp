// SPDX-License-Identifier: Apache-2.0
#include "miner_command.hpp"

#include <cctype>

namespace vigil_cryptomining {
namespace {

// Flags no other common program takes: xmrig's and its forks'.
constexpr std::string_view miner_only_flags[] = {
    "--donate-level", "--donate-over-proxy", "--cpu-max-threads-hint",
    "--randomx-mode", "--randomx-1gb-pages", "--randomx-no-numa",
    "--rig-id",       "--nicehash",          "--cpu-no-yield",
};

// Algorithm names miners accept, exactly (lower case). Names other tools also
// take after -a (scrypt, argon2, cn) are left out on purpose.
constexpr std::string_view algorithms[] = {
    "randomx",   "randomwow",  "randomarq",  "randomkeva",  "cryptonight", "kawpow",      "ethash",
    "etchash",   "autolykos2", "kheavyhash", "octopus",     "beamhash",    "beamhashiii", "equihash",
    "zhash",     "progpow",    "firopow",    "sha256d",     "x16r",        "x16rv2",      "x25x",
    "lyra2rev3", "lyra2z",     "yescrypt",   "yescryptr16", "yespower",    "ghostrider",  "cuckatoo32",
    "neoscrypt", "verushash",  "heavyhash",  "astrobwt",    "karlsenhash", "dynexsolve",
};

// Algorithm families: "<family>/<variant>" (rx/0, cn/r, cn-lite/1, argon2/chukwa), or a name's start
// (cryptonight-lite).
constexpr std::string_view algorithm_prefixes[] = {
    "rx/", "cn/", "cn-lite/", "cn-heavy/", "cn-pico", "argon2/", "cryptonight", "astrobwt/", "ghostrider/",
};

constexpr std::string_view coins[] = {
    "monero",    "xmr",     "wownero", "wow",     "ravencoin", "rvn",   "ethereumclassic",
    "etc",       "ergo",    "erg",     "kaspa",   "kas",       "flux",  "firo",
    "zephyr",    "zeph",    "dero",    "haven",   "xhv",       "arqma", "arq",
    "keva",      "conceal", "ccx",     "grin",    "beam",      "neoxa", "neox",
    "raptoreum", "rtm",     "karlsen", "salvium", "sal",
};

bool equals_lower(std::string_view text, std::string_view lower)
{
    if (text.size() != lower.size()) {
        return false;
    }
    for (std::size_t index = 0; index < text.size(); ++index) {
        if (std::tolower(static_cast<unsigned char>(text[index])) != lower[index]) {
            return false;
        }
    }
    return true;
}

bool starts_with_lower(std::string_view text, std::string_view lower)
{
    return text.size() >= lower.size() && equals_lower(text.substr(0, lower.size()), lower);
}

// "--flag=value" -> "value" when @argument is @flag with an inline value.
bool inline_value(std::string_view argument, std::string_view flag, std::string_view &value)
{
    if (argument.size() > flag.size() && argument.starts_with(flag) && argument[flag.size()] == '=') {
        value = argument.substr(flag.size() + 1);
        return true;
    }
    return false;
}

// The value of @flag at @index: "--flag value" or "--flag=value". Empty when @arguments[@index] is not @flag.
std::string_view flag_value(const std::vector<std::string_view> &arguments, std::size_t index, std::string_view flag)
{
    std::string_view value;
    if (arguments[index] == flag) {
        return index + 1 < arguments.size() ? arguments[index + 1] : std::string_view{};
    }
    if (inline_value(arguments[index], flag, value)) {
        return value;
    }
    return {};
}

void add_flag(std::vector<std::string> &flags, std::string_view flag, std::string_view value = {})
{
    std::string text(flag);
    if (!value.empty()) {
        text += "=";
        text += value;
    }
    for (const auto &known : flags) {
        if (known == text) {
            return;
        }
    }
    flags.push_back(std::move(text));
}

void find_flags(const std::vector<std::string_view> &arguments, std::vector<std::string> &flags)
{
    for (std::size_t index = 1; index < arguments.size(); ++index) {
        const auto argument = arguments[index];
        for (auto flag : miner_only_flags) {
            std::string_view ignored;
            if (argument == flag || inline_value(argument, flag, ignored)) {
                add_flag(flags, flag);
            }
        }
        // -a and --algo mean other things to other programs: only a mining algorithm counts.
        for (std::string_view flag : {"--algo", "--algorithm", "-a"}) {
            auto value = flag_value(arguments, index, flag);
            if (!value.empty() && is_mining_algorithm(value)) {
                add_flag(flags, flag, value);
            }
        }
        if (auto value = flag_value(arguments, index, "--coin"); !value.empty() && is_mined_coin(value)) {
            add_flag(flags, "--coin", value);
        }
    }
}

} // namespace

void split_arguments(std::string_view packed, std::vector<std::string_view> &arguments)
{
    arguments.clear();
    while (!packed.empty()) {
        auto end = packed.find('\0');
        if (end == std::string_view::npos) {
            arguments.push_back(packed); // the last one, cut short
            break;
        }
        arguments.push_back(packed.substr(0, end));
        packed.remove_prefix(end + 1);
    }
}

namespace {

// The stratum URL at the start of @text: "stratum", an optional version digit, "+", a transport, "://",
// and a host; up to the first blank. Empty when @text does not start with one.
std::string_view leading_stratum_url(std::string_view text)
{
    if (!starts_with_lower(text, "stratum")) {
        return {};
    }
    std::size_t at = 7;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
        ++at;
    }
    if (at >= text.size() || text[at] != '+') {
        return {};
    }
    ++at;
    auto transport_start = at;
    while (at < text.size() && std::isalpha(static_cast<unsigned char>(text[at]))) {
        ++at;
    }
    if (at == transport_start || text.substr(at, 3) != "://" || at + 3 >= text.size() ||
        std::isspace(static_cast<unsigned char>(text[at + 3]))) {
        return {};
    }
    return text.substr(0, text.find_first_of(" \t\n", at));
}

} // namespace

std::string_view stratum_url(std::string_view argument)
{
    // The URL is the argument, or an option's value: "--url=stratum+...", "-ostratum+...". One
    // inside a longer text (a shell's -c command, the runtime's exec line) is not this program's.
    if (auto url = leading_stratum_url(argument); !url.empty()) {
        return url;
    }
    if (!argument.starts_with('-')) {
        return {};
    }
    if (auto equals = argument.find('='); equals != std::string_view::npos) {
        return leading_stratum_url(argument.substr(equals + 1));
    }
    if (argument.size() > 2 && argument[1] != '-') {
        return leading_stratum_url(argument.substr(2));
    }
    return {};
}

bool is_mining_algorithm(std::string_view name)
{
    for (auto algorithm : algorithms) {
        if (equals_lower(name, algorithm)) {
            return true;
        }
    }
    for (auto prefix : algorithm_prefixes) {
        if (starts_with_lower(name, prefix) && (prefix.back() != '/' || name.size() > prefix.size())) {
            return true;
        }
    }
    return false;
}

bool is_mined_coin(std::string_view name)
{
    for (auto coin : coins) {
        if (equals_lower(name, coin)) {
            return true;
        }
    }
    return false;
}

MinerSignals find_miner_signals(std::string_view exe, const std::vector<std::string_view> &arguments,
                                const GlobList &miner_names)
{
    MinerSignals found;
    // Renaming the file or setting argv[0] are the two cheap disguises; either name counts.
    for (auto name : {base_name(exe), arguments.empty() ? std::string_view{} : base_name(arguments.front())}) {
        if (!name.empty() && miner_names.matches(name)) {
            found.matched_name = name;
            break;
        }
    }
    for (std::size_t index = 1; index < arguments.size(); ++index) {
        if (auto url = stratum_url(arguments[index]); !url.empty()) {
            found.pool_url = url;
            break;
        }
    }
    find_flags(arguments, found.miner_flags);
    return found;
}

} // namespace vigil_cryptomining
