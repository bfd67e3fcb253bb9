// SPDX-License-Identifier: Apache-2.0
// What keeps an attached program running, and where stage programs attach.
//
// Most programs attach through a kernel link. A stage (section
// "tp/vigil/<hook>", see bpf/dispatch.h) is never attached to the kernel:
// it takes a place in the core dispatcher's chain for its hook instead. Both
// are an Attachment: destroying it detaches the program.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/bpf/hooks.h>

namespace vigil::probes {

class Attachment {
public:
    virtual ~Attachment() = default;
};

// The connects a connect_enter stage wants: to these ports, or to these addresses on any port.
struct ConnectFilter {
    std::vector<uint16_t> ports;
    std::vector<vigil_connect_address> addresses;
};

// The opens an open_enter stage wants: with any of these flags, paths with one of these heads
// (at most VIGIL_OPEN_HEAD_SIZE bytes each), or odd paths (relative, "//", "/.").
struct OpenFilter {
    uint64_t flags = 0;
    std::vector<std::string> heads;
    bool odd_paths = false;
};

// What an object's load-time constants say about its stages (bpf/dispatch.h).
struct StageOptions {
    bool watch_host = false;                     // vigil_watch_host: host tasks too
    std::optional<ConnectFilter> connect_filter; // vigil_connect_ports and _addresses; nullopt: every connect
    std::optional<OpenFilter> open_filter;       // vigil_open_*; nullopt: every open
};

// The core's hook dispatcher as the object loader sees it.
class StageSubscriber {
public:
    virtual ~StageSubscriber() = default;
    // The maps every object that includes <vigil/bpf/dispatch.h> shares with the dispatcher, by name.
    virtual const std::map<std::string, int> &shared_maps() const = 0;
    // Puts @program_fd in @hook's container chain, and in its host chain too if @options.watch_host.
    // The error says why the stage cannot run (unknown hook, dispatcher not attached, chain full).
    virtual std::expected<std::unique_ptr<Attachment>, std::string>
    subscribe(std::string_view hook, const StageOptions &options, int program_fd, const std::string &label) = 0;
};

// The hook a stage section names ("tp/vigil/open_enter" → "open_enter"), or empty for any other section.
inline std::string_view stage_hook_of_section(std::string_view section)
{
    constexpr std::string_view prefix = "tp/vigil/";
    return section.starts_with(prefix) ? section.substr(prefix.size()) : std::string_view();
}

} // namespace vigil::probes
