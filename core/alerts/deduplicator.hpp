// SPDX-License-Identifier: Apache-2.0
// Holding back repeats of the same finding. The first alert of a key is sent
// at once and opens a window; repeats inside the window are only counted, and
// when the window closes a single summary carries their count and time span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/alerts/alert.hpp"

namespace vigil::alerts {

// Not thread-safe: the alert pipeline calls it from the event thread only.
class Deduplicator {
public:
    // @window_ns 0 disables deduplication: every alert is admitted.
    // @max_keys bounds the open windows; when full, the oldest window closes
    // early (its summary, if it has repeats, comes out of the next take_*).
    Deduplicator(uint64_t window_ns, std::size_t max_keys);

    // True: send it now (the first of its key in the window). False: a repeat,
    // counted on its key's window instead of being sent.
    bool admit(const Alert &alert, uint64_t now_ns);

    // Summaries of the windows that closed by @now_ns and held back repeats
    // (a copy of the window's first alert with `repeat` set and `time` the
    // last repeat's), and of windows evicted early: nothing counted is lost.
    std::vector<Alert> take_expired(uint64_t now_ns);

    // Closes every window: at shutdown.
    std::vector<Alert> take_all();

    uint64_t suppressed_total() const { return suppressed_total_; }
    std::size_t size() const { return windows_.size(); }

    // What makes two alerts the same finding: finding_key() (finding_key.hpp).
    static std::string key_of(const Alert &alert);

private:
    struct Window {
        std::string key;
        uint64_t opened_ns = 0;
        Alert first;
        Repeat repeats; // count 0 while nothing was held back
    };
    using WindowList = std::list<Window>;

    bool expired(const Window &window, uint64_t now_ns) const
    {
        return now_ns >= window.opened_ns && now_ns - window.opened_ns >= window_ns_;
    }
    // Removes @window, keeping its summary for the next take_* if it held back repeats.
    void close(WindowList::iterator window);
    std::vector<Alert> take_pending();

    uint64_t window_ns_;
    std::size_t max_keys_;
    // In opening order, so the front is both the next to expire and the first
    // to be evicted. A list, so that the index's keys (views into the nodes) stay valid.
    WindowList windows_;
    std::unordered_map<std::string_view, WindowList::iterator> index_;
    // Summaries of closed windows not yet taken. Filled by close() only; the
    // pipeline takes them after every admit and every tick, so this holds at
    // most one summary per alert admitted since the last take.
    std::vector<Alert> pending_;
    uint64_t suppressed_total_ = 0;
};

} // namespace vigil::alerts
