// SPDX-License-Identifier: Apache-2.0
// Collapsing, through Profile::observe (how the sensor uses it) and directly.
#include <doctest/doctest.h>

#include "profile/collapse.hpp"
#include "profile/profile.hpp"
#include "test_support.hpp"

using namespace drift_test;

namespace {

LearningPolicy small_policy()
{
    LearningPolicy policy;
    policy.directory_children = 3;
    policy.network_addresses = 3;
    policy.domain_labels = 3;
    return policy;
}

std::vector<std::string> entries_of(const Profile &profile, BehaviourClass behaviour)
{
    std::vector<std::string> entries;
    for (const auto &[entry, stats] : profile.behaviour(behaviour).entries) {
        entries.push_back(entry);
    }
    return entries;
}

} // namespace

TEST_CASE("a directory collapses once it has more children than the threshold")
{
    auto policy = small_policy();
    Profile profile(cart_key(), "v1", t0);
    for (const char *name : {"a", "b", "c"}) {
        profile.observe(file_observation(std::string("/tmp/") + name, true), t0, policy);
    }
    CHECK(entries_of(profile, BehaviourClass::files) ==
          std::vector<std::string>{"write /tmp/a", "write /tmp/b", "write /tmp/c"});

    auto outcome = profile.observe(file_observation("/tmp/d", true), t0 + 1, policy);
    CHECK_FALSE(outcome.known);
    CHECK(outcome.stored_entry == "write /tmp/*");
    CHECK(entries_of(profile, BehaviourClass::files) == std::vector<std::string>{"write /tmp/*"});
    const auto &stats = profile.behaviour(BehaviourClass::files).entries.at("write /tmp/*");
    CHECK(stats.times_seen == 4);
    CHECK(stats.first_seen_ns == t0);

    // Later entries under it match; other levels and modes do not.
    auto later = profile.observe(file_observation("/tmp/upload-83hf2.png", true), t0 + 2, policy);
    CHECK(later.known);
    CHECK(later.stored_entry == "write /tmp/*");
    CHECK_FALSE(profile.observe(file_observation("/tmp/x", false), t0 + 3, policy).known);
    CHECK_FALSE(profile.observe(file_observation("/tmp", true), t0 + 3, policy).known);
    // A new subdirectory of a collapsed directory is collapsed at once.
    auto deeper = profile.observe(file_observation("/tmp/new/z", true), t0 + 4, policy);
    CHECK_FALSE(deeper.known);
    CHECK(deeper.stored_entry == "write /tmp/*/z");
    CHECK(profile.observe(file_observation("/tmp/other/z", true), t0 + 5, policy).known);
    CHECK_FALSE(profile.observe(file_observation("/tmp/other/y/z", true), t0 + 5, policy).known);
}

TEST_CASE("per-session directories collapse at the crowded level, keeping what lies below")
{
    auto policy = small_policy();
    Profile profile(cart_key(), "v1", t0);
    for (int session = 1; session <= 4; ++session) {
        profile.observe(file_observation("/var/cache/app/s" + std::to_string(session) + "/data", true), t0, policy);
    }
    CHECK(entries_of(profile, BehaviourClass::files) == std::vector<std::string>{"write /var/cache/app/*/data"});
    CHECK(profile.observe(file_observation("/var/cache/app/s9/data", true), t0, policy).known);
    CHECK_FALSE(profile.observe(file_observation("/var/cache/app/s9/other", true), t0, policy).known);
}

TEST_CASE("the root directory and a threshold of exactly N children do not collapse")
{
    auto policy = small_policy();
    Profile profile(cart_key(), "v1", t0);
    for (const char *path : {"/a", "/b", "/c", "/d", "/e"}) {
        profile.observe(file_observation(path, true), t0, policy);
    }
    CHECK(profile.behaviour(BehaviourClass::files).entries.size() == 5);

    Profile exact(cart_key(), "v1", t0);
    for (const char *path : {"/etc/a", "/etc/b", "/etc/c"}) {
        exact.observe(file_observation(path, false), t0, policy);
    }
    CHECK(exact.behaviour(BehaviourClass::files).entries.size() == 3);
}

TEST_CASE("a literal '*' in a name is not a wildcard")
{
    auto policy = small_policy();
    Profile profile(cart_key(), "v1", t0);
    profile.observe(file_observation("/tmp/*", true), t0, policy);
    CHECK(entries_of(profile, BehaviourClass::files) == std::vector<std::string>{"write /tmp/%2A"});
    CHECK_FALSE(profile.observe(file_observation("/tmp/a", true), t0, policy).known);
    CHECK_FALSE(is_pattern(BehaviourClass::files, "write /tmp/%2A"));
}

TEST_CASE("IPv4 addresses collapse to their /24 per protocol and port")
{
    auto policy = small_policy();
    Profile profile(cart_key(), "v1", t0);
    for (const char *address : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
        profile.observe(connection_observation("tcp", address, 443), t0, policy);
    }
    profile.observe(connection_observation("tcp", "10.0.0.1", 80), t0, policy);
    profile.observe(connection_observation("udp", "10.0.0.9", 443), t0, policy);
    profile.observe(connection_observation("tcp", "10.0.1.1", 443), t0, policy);
    CHECK(profile.behaviour(BehaviourClass::connections).entries.size() == 6);

    auto outcome = profile.observe(connection_observation("tcp", "10.0.0.4", 443), t0, policy);
    CHECK(outcome.stored_entry == "tcp 10.0.0.0/24:443");
    CHECK(entries_of(profile, BehaviourClass::connections) ==
          std::vector<std::string>{"tcp 10.0.0.0/24:443", "tcp 10.0.0.1:80", "tcp 10.0.1.1:443", "udp 10.0.0.9:443"});
    CHECK(profile.observe(connection_observation("tcp", "10.0.0.200", 443), t0, policy).known);
    CHECK_FALSE(profile.observe(connection_observation("tcp", "10.0.0.200", 444), t0, policy).known);
    CHECK_FALSE(profile.observe(connection_observation("udp", "10.0.0.200", 443), t0, policy).known);
    CHECK_FALSE(profile.observe(connection_observation("tcp", "10.0.2.1", 443), t0, policy).known);
}

TEST_CASE("IPv6 addresses collapse to their /64")
{
    auto policy = small_policy();
    Profile profile(cart_key(), "v1", t0);
    for (const char *address : {"2001:db8::1", "2001:db8::2", "2001:db8::3:4", "2001:db8::ff"}) {
        profile.observe(connection_observation("tcp", address, 443), t0, policy);
    }
    CHECK(entries_of(profile, BehaviourClass::connections) == std::vector<std::string>{"tcp [2001:db8::/64]:443"});
    CHECK(profile.observe(connection_observation("tcp", "2001:db8::abcd:1", 443), t0, policy).known);
    CHECK_FALSE(profile.observe(connection_observation("tcp", "2001:db8:0:1::1", 443), t0, policy).known);
    // An IPv4 address never falls into an IPv6 network.
    CHECK_FALSE(covers(BehaviourClass::connections, "tcp [::/64]:443", "tcp 0.0.0.1:443"));
}

TEST_CASE("DNS names collapse by leftmost label, never to a bare TLD")
{
    auto policy = small_policy();
    Profile profile(cart_key(), "v1", t0);
    for (const char *name : {"a.cdn.example.com", "b.cdn.example.com", "c.cdn.example.com", "d.cdn.example.com"}) {
        profile.observe(dns_observation(name), t0, policy);
    }
    CHECK(entries_of(profile, BehaviourClass::dns) == std::vector<std::string>{"*.cdn.example.com"});
    CHECK(profile.observe(dns_observation("zz.cdn.example.com"), t0, policy).known);
    CHECK_FALSE(profile.observe(dns_observation("cdn.example.com"), t0, policy).known);
    CHECK_FALSE(profile.observe(dns_observation("x.y.cdn.example.com"), t0, policy).known);

    Profile tlds(cart_key(), "v1", t0);
    for (const char *name : {"a.com", "b.com", "c.com", "d.com", "e.com"}) {
        tlds.observe(dns_observation(name), t0, policy);
    }
    CHECK(tlds.behaviour(BehaviourClass::dns).entries.size() == 5);
}

TEST_CASE("executables and listening ports never collapse")
{
    auto policy = small_policy();
    Profile profile(cart_key(), "v1", t0);
    for (int index = 0; index < 10; ++index) {
        auto name = "/usr/bin/tool" + std::to_string(index);
        profile.observe(exec_observation(name, "tool", "/bin/sh"), t0, policy);
        profile.observe(listening_observation("tcp", static_cast<std::uint16_t>(8000 + index)), t0, policy);
    }
    CHECK(profile.behaviour(BehaviourClass::executables).entries.size() == 10);
    CHECK(profile.behaviour(BehaviourClass::listening).entries.size() == 10);
    CHECK_FALSE(is_pattern(BehaviourClass::executables, "/usr/bin/* argv0=x parent="));
}

TEST_CASE("patterns cover exactly what they say")
{
    CHECK(covers(BehaviourClass::files, "write /tmp/*", "write /tmp/a"));
    CHECK_FALSE(covers(BehaviourClass::files, "write /tmp/*", "write /tmp/a/b"));
    CHECK_FALSE(covers(BehaviourClass::files, "write /tmp/*", "read /tmp/a"));
    CHECK_FALSE(covers(BehaviourClass::files, "write /tmp/*", "write /tmpx/a"));
    CHECK(covers(BehaviourClass::files, "write /a/*/c/*", "write /a/b/c/d"));
    CHECK(covers(BehaviourClass::dns, "*.example.com", "a.example.com"));
    CHECK_FALSE(covers(BehaviourClass::dns, "*.example.com", "a.example.org"));
    CHECK(covers(BehaviourClass::connections, "tcp 10.0.0.0/24:443", "tcp 10.0.0.99:443"));
    CHECK_FALSE(covers(BehaviourClass::connections, "tcp 10.0.0.0/24:443", "tcp 10.0.0.99:4430"));
    // Only networks the collapse itself makes count as patterns.
    CHECK_FALSE(is_pattern(BehaviourClass::connections, "tcp 10.0.0.0/16:443"));
    CHECK_FALSE(is_pattern(BehaviourClass::connections, "tcp 10.0.0.1/24:443"));
    CHECK_FALSE(covers(BehaviourClass::connections, "tcp 10.0.0.0/16:443", "tcp 10.0.5.1:443"));
}
