// SPDX-License-Identifier: Apache-2.0
#include "core/metrics/metrics.hpp"

namespace vigil::metrics {

Registry::Registry() : entries_(std::make_unique<std::array<Entry, capacity>>())
{
    (*entries_)[0].name = "metrics_overflow";
    (*entries_)[0].help = "additions to counters registered past the registry's capacity";
    size_.store(1);
}

Counter &Registry::counter(const std::string &name, const std::string &help)
{
    return (*entries_)[handle(name, help)].counter;
}

uint32_t Registry::handle(const std::string &name, const std::string &help)
{
    std::lock_guard lock(mutex_);
    auto size = size_.load(std::memory_order_relaxed);
    for (std::size_t index = 0; index < size; ++index) {
        if ((*entries_)[index].name == name) {
            return static_cast<uint32_t>(index);
        }
    }
    if (size == capacity) {
        return 0;
    }
    (*entries_)[size].name = name;
    (*entries_)[size].help = help;
    size_.store(size + 1, std::memory_order_release);
    return static_cast<uint32_t>(size);
}

void Registry::add(uint32_t handle, uint64_t delta)
{
    if (handle < size_.load(std::memory_order_acquire)) {
        (*entries_)[handle].counter.add(delta);
    }
}

std::vector<Registry::Sample> Registry::snapshot() const
{
    std::lock_guard lock(mutex_);
    std::vector<Sample> samples;
    auto size = size_.load(std::memory_order_relaxed);
    for (std::size_t index = 0; index < size; ++index) {
        const auto &entry = (*entries_)[index];
        samples.push_back({entry.name, entry.help, entry.counter.value()});
    }
    return samples;
}

} // namespace vigil::metrics
