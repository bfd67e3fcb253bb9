// SPDX-License-Identifier: Apache-2.0
// Remembering recent token reads and API server connects, so that the second
// half of a pair made by one process tree can be told apart from an unrelated
// one. The state is a fixed-capacity ring per kind: it is allocated once, the
// oldest sighting makes room for the newest, sightings older than the window
// are ignored, and only the two rare kinds of event ever touch it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace vigil_lateral_movement {

// A process as the correlation sees it: its container, itself, its parent
// (when the parent is in the same container) and its ancestors there.
struct TreeMember {
    static constexpr std::size_t max_ancestors = 8;

    uint64_t cgroup_id = 0;
    uint32_t tgid = 0;
    uint32_t parent_tgid = 0; // 0 when the parent is outside the container (the runtime) or unknown
    std::array<uint32_t, max_ancestors> ancestors{};
    uint32_t ancestor_count = 0;

    bool has_ancestor(uint32_t tgid) const;
};

// Same container, and: the same process, one an ancestor of the other, or
// children of the same parent (a shell running `cat token` and then `wget`).
bool same_process_tree(const TreeMember &a, const TreeMember &b);

// One remembered token read or API connect, with what its alert will quote.
struct Sighting {
    static constexpr std::size_t text_size = 160;

    uint64_t time_ns = 0; // CLOCK_BOOTTIME, from the record's header
    TreeMember who;
    std::array<char, text_size> exe{};    // the process's executable
    std::array<char, text_size> detail{}; // the token path, or the endpoint
    std::array<char, 16> comm{};          // the thread's name: busybox applets all exec /proc/self/exe

    void set_exe(std::string_view text) { copy(exe, text); }
    void set_detail(std::string_view text) { copy(detail, text); }
    void set_comm(std::string_view text);
    std::string_view exe_text() const { return exe.data(); }
    std::string_view detail_text() const { return detail.data(); }
    std::string_view comm_text() const { return comm.data(); }

private:
    static void copy(std::array<char, text_size> &to, std::string_view text);
};

class SightingLog {
public:
    explicit SightingLog(std::size_t capacity) : entries_(capacity) {}

    void record(const Sighting &sighting);
    // The newest sighting by @who's process tree no older than @window_ns before @now_ns, or nullptr.
    const Sighting *find_related(const TreeMember &who, uint64_t now_ns, uint64_t window_ns) const;
    std::size_t size() const { return count_; }
    std::size_t capacity() const { return entries_.size(); }

private:
    std::vector<Sighting> entries_;
    std::size_t next_ = 0;
    std::size_t count_ = 0;
};

} // namespace vigil_lateral_movement
