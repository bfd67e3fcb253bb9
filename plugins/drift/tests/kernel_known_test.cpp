// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "kernel_known.hpp"

using namespace vigil_drift;

TEST_CASE("known opens: paths hash as FNV-1a, as drift.bpf.c hashes them")
{
    CHECK(drift_path_hash("") == 0xcbf29ce484222325ull);
    CHECK(drift_path_hash("a") == 0xaf63dc4c8601ec8cull);
    CHECK(drift_path_hash("foobar") == 0x85944171f73967e8ull);
}

TEST_CASE("known opens: the low bits say write access and directory patterns")
{
    auto read = known_open_key(7, "/etc/passwd", false, false);
    auto write = known_open_key(7, "/etc/passwd", true, false);
    CHECK(read.cgroup_id == 7);
    CHECK((read.path_hash & 3) == 0);
    CHECK((write.path_hash & 3) == DRIFT_HASH_WRITE);
    CHECK((read.path_hash & ~3ull) == (drift_path_hash("/etc/passwd") & ~3ull));
    // A directory pattern hashes the directory with its trailing slash, as the kernel's one pass does.
    auto directory = known_open_key(7, "/tmp/upload-83hf2.png", true, true);
    CHECK(directory.path_hash == ((drift_path_hash("/tmp/") & ~3ull) | DRIFT_HASH_WRITE | DRIFT_HASH_DIRECTORY));
    CHECK(known_open_key(7, "/tmp/other.png", true, true).path_hash == directory.path_hash);
}

TEST_CASE("known connects: exact, or the collapsed network")
{
    drift_endpoint remote{DRIFT_AF_INET, 443, {10, 0, 0, 5}};
    auto exact = known_connect_key(3, remote, false);
    CHECK(exact.address[3] == 5);
    CHECK(exact.prefix == 0);
    CHECK(exact.port == 443);
    auto network = known_connect_key(3, remote, true);
    CHECK(network.address[3] == 0);
    CHECK(network.prefix == 24);
    drift_endpoint v6{DRIFT_AF_INET6, 53, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9}};
    auto v6_network = known_connect_key(3, v6, true);
    CHECK(v6_network.prefix == 64);
    CHECK(v6_network.address[7] == 1);
    CHECK(v6_network.address[15] == 0);
}
