// SPDX-License-Identifier: Apache-2.0
// Token path patterns, normalization, kernel prefixes and relative opens.
#include <doctest/doctest.h>

#include <stdexcept>

#include "token_paths.hpp"

using namespace vigil_lateral_movement;

namespace {

const std::vector<std::string> default_patterns{
    "/var/run/secrets/kubernetes.io/serviceaccount/token",
    "/var/run/secrets/kubernetes.io/serviceaccount/..*/token",
    "/run/secrets/kubernetes.io/serviceaccount/token",
    "/run/secrets/kubernetes.io/serviceaccount/..*/token",
};

std::optional<std::string> relative(const char *path, const char *base, const char *parent)
{
    return relative_token_path(RelativeOpen{path, base, parent});
}

} // namespace

TEST_CASE("normalization applies '.', '..' and repeated slashes")
{
    CHECK(normalize_path("/var//run/./secrets/kubernetes.io/serviceaccount/../serviceaccount/token") ==
          "/var/run/secrets/kubernetes.io/serviceaccount/token");
    CHECK(normalize_path("/../../run/secrets") == "/run/secrets");
    CHECK(normalize_path("a/../../b") == "../b");
    CHECK(normalize_path("/") == "/");
}

TEST_CASE("the default patterns: the token and the kubelet's timestamped directories, nothing else")
{
    GlobList patterns(default_patterns, false);
    CHECK(patterns.matches("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    CHECK(patterns.matches("/run/secrets/kubernetes.io/serviceaccount/token"));
    CHECK(patterns.matches("/var/run/secrets/kubernetes.io/serviceaccount/..data/token"));
    CHECK(patterns.matches("/run/secrets/kubernetes.io/serviceaccount/..2024_05_01_10_00_00.123456789/token"));
    CHECK_FALSE(patterns.matches("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"));
    CHECK_FALSE(patterns.matches("/var/run/secrets/kubernetes.io/serviceaccount/namespace"));
    CHECK_FALSE(patterns.matches("/var/run/secrets/kubernetes.io/serviceaccount/..data/ca.crt"));
    CHECK_FALSE(patterns.matches("/var/run/secrets/kubernetes.io/serviceaccount/..data/x/token")); // '*' stops at '/'
    CHECK_FALSE(patterns.matches("/var/run/secrets/kubernetes.io/serviceaccount/token.bak"));
    CHECK_FALSE(patterns.matches("/tmp/token"));
}

TEST_CASE("literal prefixes for the kernel: one per leading directory, shortest wins")
{
    CHECK(literal_prefixes(default_patterns, 63) ==
          std::vector<std::string>{"/run/secrets/kubernetes.io/serviceaccount/",
                                   "/var/run/secrets/kubernetes.io/serviceaccount/"});
    CHECK(literal_prefixes({"/var/run/secrets/*/token", "/var/run/secrets/x/token"}, 63) ==
          std::vector<std::string>{"/var/run/secrets/"});
    // Too long for the kernel's table: shortened, which only lets more through.
    CHECK(literal_prefixes({"/a/very/long/directory/name/that/goes/on/and/on/and/on/forever/x/token"}, 20) ==
          std::vector<std::string>{"/a/very/long/directo"});
    CHECK_THROWS_AS(literal_prefixes({"*/token"}, 63), std::invalid_argument);
    CHECK_THROWS_AS(literal_prefixes({"/*/token"}, 63), std::invalid_argument);
    CHECK_THROWS_AS(literal_prefixes({"token"}, 63), std::invalid_argument);
}

TEST_CASE("relative opens: `cd` into the folder, or into the kubelet's directory")
{
    CHECK(relative("token", "serviceaccount", "kubernetes.io") == "kubernetes.io/serviceaccount/token");
    CHECK(relative("./token", "serviceaccount", "kubernetes.io") == "kubernetes.io/serviceaccount/token");
    CHECK(relative("..data/token", "serviceaccount", "kubernetes.io") == "kubernetes.io/serviceaccount/..data/token");
    CHECK(relative("token", "..2024_05_01_10_00_00.1", "serviceaccount") ==
          "serviceaccount/..2024_05_01_10_00_00.1/token");
    CHECK(relative("kubernetes.io/serviceaccount/token", "secrets", "run") ==
          "run/secrets/kubernetes.io/serviceaccount/token");
    CHECK(relative("../serviceaccount/token", "serviceaccount", "kubernetes.io") ==
          "kubernetes.io/serviceaccount/token");
    // Not a token.
    CHECK_FALSE(relative("ca.crt", "serviceaccount", "kubernetes.io").has_value());
    CHECK_FALSE(relative("token", "app", "srv").has_value());
    CHECK_FALSE(relative("../token", "serviceaccount", "kubernetes.io").has_value());
    CHECK_FALSE(relative("token", "..", "serviceaccount").has_value());
    CHECK_FALSE(relative("/abs/token", "serviceaccount", "x").has_value());
    CHECK_FALSE(relative("token", "", "").has_value()); // base unknown
}

TEST_CASE("known clients: '*' crosses directories")
{
    GlobList clients({"*/kube-client", "/usr/local/bin/operator"}, true);
    CHECK(clients.matches("/usr/local/bin/kube-client"));
    CHECK(clients.matches("/usr/local/bin/operator"));
    CHECK_FALSE(clients.matches("/usr/local/bin/operator2"));
    CHECK_FALSE(GlobList().matches("/bin/sh"));
}
