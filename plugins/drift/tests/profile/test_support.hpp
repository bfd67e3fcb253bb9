// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the drift model's tests: a key, times and temporary directories.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>

#include "profile/learning_policy.hpp"
#include "profile/profile_key.hpp"

namespace drift_test {

using namespace vigil_drift;

// 2024-05-01T00:00:00Z: tests start here, away from zero (which means "never").
inline constexpr std::uint64_t t0 = 1'714'521'600ull * nanoseconds_per_second;
inline constexpr std::uint64_t hour = nanoseconds_per_hour;
inline constexpr std::uint64_t day = nanoseconds_per_day;

inline ProfileKey cart_key(std::string container = "app")
{
    return ProfileKey{"shop", "Deployment", "cart", std::move(container), "api"};
}

// A directory under the system's temporary directory, removed afterwards.
class TemporaryDirectory {
public:
    TemporaryDirectory()
    {
        std::random_device random;
        path_ = std::filesystem::temp_directory_path() / ("drift-profile-test-" + std::to_string(random()));
        std::filesystem::create_directories(path_);
    }
    ~TemporaryDirectory()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory &) = delete;
    TemporaryDirectory &operator=(const TemporaryDirectory &) = delete;
    const std::filesystem::path &path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace drift_test
