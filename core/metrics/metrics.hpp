// SPDX-License-Identifier: Apache-2.0
// Named counters: the sensor's own and those plugins register. Adding is one
// relaxed atomic increment, safe from any thread and cheap enough for the hot path.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vigil::metrics {

class Counter {
public:
    void add(uint64_t delta = 1) { value_.fetch_add(delta, std::memory_order_relaxed); }
    uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> value_{0};
};

class Registry {
public:
    // Fixed room, so that registering never moves a counter another thread is adding to.
    static constexpr std::size_t capacity = 4096;

    Registry();
    // The counter called @name, created on first use; the reference stays valid for the registry's lifetime.
    Counter &counter(const std::string &name, const std::string &help = {});
    // Handle-based access for the plugin ABI. Past capacity, every new name shares one overflow counter.
    uint32_t handle(const std::string &name, const std::string &help = {});
    void add(uint32_t handle, uint64_t delta);

    struct Sample {
        std::string name;
        std::string help;
        uint64_t value;
    };
    std::vector<Sample> snapshot() const;

private:
    struct Entry {
        std::string name;
        std::string help;
        Counter counter;
    };
    mutable std::mutex mutex_; // guards creation only; adding never locks
    std::unique_ptr<std::array<Entry, capacity>> entries_;
    std::atomic<std::size_t> size_{0};
};

} // namespace vigil::metrics
