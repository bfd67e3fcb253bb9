// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/kubeconfig.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace vigil::kubernetes {
namespace {

// The *-data fields hold base64 PEM. Whitespace is skipped; anything else
// outside the alphabet makes the field unusable.
std::expected<std::string, std::string> base64_decode(std::string_view text)
{
    std::array<int, 256> values{};
    values.fill(-1);
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t index = 0; index < alphabet.size(); ++index) {
        values[static_cast<unsigned char>(alphabet[index])] = static_cast<int>(index);
    }
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (char character : text) {
        if (character == '=' || character == '\n' || character == '\r' || character == ' ' || character == '\t') {
            continue;
        }
        int value = values[static_cast<unsigned char>(character)];
        if (value < 0) {
            return std::unexpected("not base64");
        }
        buffer = (buffer << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

// The entry of a named list ("clusters", "users", "contexts") whose name is @name.
YAML::Node find_named(const YAML::Node &list, const std::string &name, const char *inner)
{
    if (!list.IsSequence()) {
        return YAML::Node(YAML::NodeType::Undefined);
    }
    for (const auto &entry : list) {
        if (entry["name"] && entry["name"].as<std::string>() == name) {
            return entry[inner];
        }
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

std::string text_of(const YAML::Node &node, const char *key)
{
    return node[key] && node[key].IsScalar() ? node[key].as<std::string>() : std::string();
}

std::string resolved(const std::string &path, const std::string &directory)
{
    if (path.empty() || path.starts_with('/') || directory.empty()) {
        return path;
    }
    return directory + "/" + path;
}

// A file path field or its -data twin; the data wins, as with kubectl.
std::expected<void, std::string> read_file_or_data(const YAML::Node &node, const char *file_key, const char *data_key,
                                                   const std::string &directory, std::string &file, std::string &pem)
{
    auto data = text_of(node, data_key);
    if (!data.empty()) {
        auto decoded = base64_decode(data);
        if (!decoded) {
            return std::unexpected(std::string(data_key) + " is not base64");
        }
        pem = std::move(*decoded);
        return {};
    }
    file = resolved(text_of(node, file_key), directory);
    return {};
}

} // namespace

std::expected<ApiSettings, std::string> parse_kubeconfig(std::string_view text, const std::string &directory)
{
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception &error) {
        return std::unexpected("not YAML: " + std::string(error.what()));
    }
    try {
        auto context_name = text_of(root, "current-context");
        if (context_name.empty()) {
            return std::unexpected("no current-context");
        }
        auto context = find_named(root["contexts"], context_name, "context");
        if (!context || !context.IsMap()) {
            return std::unexpected("current-context '" + context_name + "' is not among its contexts");
        }
        auto cluster_name = text_of(context, "cluster");
        auto cluster = find_named(root["clusters"], cluster_name, "cluster");
        if (!cluster || !cluster.IsMap()) {
            return std::unexpected("context '" + context_name + "' names cluster '" + cluster_name +
                                   "', which is not among its clusters");
        }
        ApiSettings settings;
        settings.server = text_of(cluster, "server");
        while (settings.server.ends_with('/')) {
            settings.server.pop_back();
        }
        if (!settings.server.starts_with("https://")) {
            return std::unexpected("cluster '" + cluster_name + "': server '" + settings.server +
                                   "' is not an https:// URL");
        }
        if (cluster["insecure-skip-tls-verify"] && cluster["insecure-skip-tls-verify"].as<bool>(false)) {
            return std::unexpected("cluster '" + cluster_name +
                                   "' sets insecure-skip-tls-verify; the sensor always verifies the API server");
        }
        if (auto read = read_file_or_data(cluster, "certificate-authority", "certificate-authority-data", directory,
                                          settings.ca_file, settings.ca_pem);
            !read) {
            return std::unexpected("cluster '" + cluster_name + "': " + read.error());
        }

        auto user_name = text_of(context, "user");
        auto user = find_named(root["users"], user_name, "user");
        if (!user_name.empty() && (!user || !user.IsMap())) {
            return std::unexpected("context '" + context_name + "' names user '" + user_name +
                                   "', which is not among its users");
        }
        if (user && user.IsMap()) {
            if (user["exec"] || user["auth-provider"]) {
                return std::unexpected("user '" + user_name +
                                       "' uses a credential plugin (exec or auth-provider), which the sensor does "
                                       "not run; give it a token, tokenFile or client certificate");
            }
            settings.token = text_of(user, "token");
            settings.token_file = resolved(text_of(user, "tokenFile"), directory);
            auto read_certificate =
                read_file_or_data(user, "client-certificate", "client-certificate-data", directory,
                                  settings.client_certificate_file, settings.client_certificate_pem);
            auto read_key = read_file_or_data(user, "client-key", "client-key-data", directory,
                                              settings.client_key_file, settings.client_key_pem);
            if (!read_certificate || !read_key) {
                return std::unexpected("user '" + user_name +
                                       "': " + (!read_certificate ? read_certificate.error() : read_key.error()));
            }
        }
        return settings;
    } catch (const YAML::Exception &error) {
        return std::unexpected("unexpected structure: " + std::string(error.what()));
    }
}

std::expected<ApiSettings, std::string> load_kubeconfig(const std::string &path)
{
    std::ifstream file(path);
    if (!file) {
        return std::unexpected("kubeconfig " + path + ": cannot be read");
    }
    std::ostringstream text;
    text << file.rdbuf();
    auto slash = path.rfind('/');
    auto directory = slash == std::string::npos ? std::string(".") : path.substr(0, slash);
    auto settings = parse_kubeconfig(text.str(), directory);
    if (!settings) {
        return std::unexpected("kubeconfig " + path + ": " + settings.error());
    }
    settings->origin = "kubeconfig " + path;
    return settings;
}

} // namespace vigil::kubernetes
