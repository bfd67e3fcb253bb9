// SPDX-License-Identifier: Apache-2.0
// What behavioural profiles cost in user space: memory per profile and for
// 10,000 of them, and the time of one observation (a learned one, a known one,
// a drift), with the drift plugin's own model code. Prints figures; no limits.
//
//   build/bench/drift_profiles [profiles] [entries per class]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "profile/observation.hpp"
#include "profile/profile_book.hpp"
#include "profile/profile_store.hpp"

using namespace vigil_drift;

namespace {

constexpr uint64_t second = 1'000'000'000ull;

// Resident memory of this process, in bytes.
uint64_t resident_bytes()
{
    std::ifstream statm("/proc/self/statm");
    uint64_t size = 0;
    uint64_t resident = 0;
    statm >> size >> resident;
    return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

double now_seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

ProfileKey key_of(std::size_t index)
{
    return ProfileKey{"team-" + std::to_string(index % 50), "Deployment", "service-" + std::to_string(index), "app",
                      "api"};
}

// A workload's usual behaviour: a few executables, files, peers and a port.
std::vector<Observation> behaviour(std::size_t index, std::size_t per_class)
{
    std::vector<Observation> observations;
    for (std::size_t i = 0; i < per_class; ++i) {
        observations.push_back(
            exec_observation("/usr/bin/tool-" + std::to_string(i), "tool-" + std::to_string(i), "/bin/sh"));
        observations.push_back(file_observation(
            "/var/lib/app-" + std::to_string(index) + "/file-" + std::to_string(i % 15) + "/data", true));
        observations.push_back(
            connection_observation("tcp", "10." + std::to_string(index % 200) + "." + std::to_string(i) + ".7", 443));
    }
    observations.push_back(listening_observation("tcp", 8080));
    return observations;
}

} // namespace

int main(int argc, char **argv)
{
    std::size_t profiles = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
    std::size_t per_class = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 10;
    LearningPolicy policy;
    policy.max_profiles = profiles + 1;
    ProfileBook book(policy);
    uint64_t now = 1'800'000'000 * second;

    std::printf("drift profiles: %zu profiles, %zu entries per class (executables, files, connections), 1 port\n",
                profiles, per_class);
    auto before = resident_bytes();
    auto started = now_seconds();
    std::size_t learned = 0;
    for (std::size_t index = 0; index < profiles; ++index) {
        for (const auto &observation : behaviour(index, per_class)) {
            book.observe(key_of(index), "v1", observation, now);
            ++learned;
        }
    }
    auto learn_seconds = now_seconds() - started;
    auto after = resident_bytes();
    std::printf("  memory: %.1f MiB for %zu profiles, %.1f KiB per profile\n",
                static_cast<double>(after - before) / (1024.0 * 1024.0), profiles,
                static_cast<double>(after - before) / 1024.0 / static_cast<double>(profiles));
    std::printf("  learned observation: %.2f us each (%zu)\n", learn_seconds * 1e6 / static_cast<double>(learned),
                learned);

    // Known behaviour, once stable: what an observation the kernel did not filter costs.
    now += 30 * 24 * 3600 * second;
    book.advance(now);
    std::size_t known = 0;
    started = now_seconds();
    for (std::size_t index = 0; index < profiles; ++index) {
        for (const auto &observation : behaviour(index, per_class)) {
            book.observe(key_of(index), "v1", observation, now);
            ++known;
        }
    }
    std::printf("  known observation, stable profile: %.2f us each\n",
                (now_seconds() - started) * 1e6 / static_cast<double>(known));

    std::size_t drifted = 0;
    started = now_seconds();
    for (std::size_t index = 0; index < profiles; ++index) {
        auto outcome = book.observe(key_of(index), "v1", exec_observation("/tmp/new", "new", "/bin/sh"), now);
        drifted += outcome.drift ? 1 : 0;
    }
    std::printf("  drift observation: %.2f us each (%zu drifted)\n",
                (now_seconds() - started) * 1e6 / static_cast<double>(profiles), drifted);

    auto directory = std::filesystem::temp_directory_path() / ("drift-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory);
    {
        ProfileStore store(directory / "profiles.db");
        started = now_seconds();
        auto result = store.save(book.take_dirty(now));
        std::printf("  first save of every profile: %.2f s (%zu written)\n", now_seconds() - started,
                    static_cast<std::size_t>(result.written));
        started = now_seconds();
        auto loaded = store.load_all();
        std::printf("  load at start: %.2f s (%zu profiles)\n", now_seconds() - started, loaded.size());
    }
    std::printf("  database: %.1f MiB\n",
                static_cast<double>(std::filesystem::file_size(directory / "profiles.db")) / (1024.0 * 1024.0));
    std::filesystem::remove_all(directory);
    return 0;
}
