// SPDX-License-Identifier: Apache-2.0
// The core's dispatcher for the hot syscalls (hook_dispatch.bpf.c), and the
// plugins' stages in its chains (see bpf/dispatch.h for the BPF side).
//
// The dispatcher object is loaded before any plugin, with nothing attached. A
// hook's tracepoint programs are attached when its first stage subscribes and
// detached when its last one leaves: a sensor whose detectors watch no opens
// carries no program on open. Each (hook, scope) chain is kept dense in the
// shared vigil_stages program array, and its length in vigil_chain_lengths,
// which the dispatcher reads to leave before copying anything for an empty
// chain. The connect and open hooks also keep filters: which stages want
// which ports, addresses, flags and path heads, so that other calls end in the
// dispatcher and a wanted one runs only the stages that asked. Used from the
// thread that loads and unloads plugins only.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/probes/attachment.hpp"
#include "core/probes/host_namespaces.hpp"
#include "core/probes/object_loader.hpp"
#include "core/probes/stage_filter_text.hpp"

struct bpf_link;

namespace vigil::probes {

// One hook as `vigil check` and the start-up log show it.
struct HookReport {
    std::string name;
    bool attached = false;
    std::string detail;                        // the tracepoints it runs on, or why it cannot run
    std::vector<std::string> container_stages; // in chain order
    std::vector<std::string> host_stages;
    std::string filter; // connect_enter, open_enter: which calls run the chain ("ports 53, 3333 from containers")
};

class HookDispatch final : public StageSubscriber {
public:
    // Loads the dispatcher; fails only when it cannot load at all (then every stage falls back).
    static std::expected<std::unique_ptr<HookDispatch>, std::string> load(const LoadSettings &settings,
                                                                          const HostNamespaces &host);
    // Every stage must have been detached (its object destroyed) before.
    ~HookDispatch() override;
    HookDispatch(const HookDispatch &) = delete;
    HookDispatch &operator=(const HookDispatch &) = delete;

    const std::map<std::string, int> &shared_maps() const override { return shared_maps_; }
    std::expected<std::unique_ptr<Attachment>, std::string>
    subscribe(std::string_view hook, const StageOptions &options, int program_fd, const std::string &label) override;

    std::vector<HookReport> hooks() const;
    const LoadedObject &object() const { return *object_; }

private:
    struct Stage {
        uint64_t id;
        int program_fd;
        std::string label;
        std::optional<ConnectFilter> connect_filter; // connect_enter: nullopt is every connect
        std::optional<OpenFilter> open_filter;       // open_enter: nullopt is every open
    };
    struct Hook {
        std::vector<bpf_link *> links;
        std::string attached_on;                  // tracepoints, for the report
        std::string failure;                      // why the last attach failed
        std::array<std::vector<Stage>, 2> chains; // by enum vigil_hook_scope
    };
    class StageAttachment;

    HookDispatch(std::unique_ptr<LoadedObject> object, std::set<AttachType> disabled_types);
    std::expected<void, std::string> attach(std::size_t hook);
    void detach(std::size_t hook);
    bool unused(std::size_t hook) const;
    std::expected<void, std::string> write_chain(std::size_t hook, std::size_t scope, std::size_t from,
                                                 std::size_t old_length, bool unsettled);
    void write_length(std::size_t hook, std::size_t scope, std::size_t length, bool unsettled);
    void unsubscribe(uint64_t id);
    void write_connect_filter();
    void write_open_filter();

    std::unique_ptr<LoadedObject> object_;
    std::set<AttachType> disabled_types_;
    std::map<std::string, int> shared_maps_;
    int stages_fd_ = -1;
    int lengths_fd_ = -1;
    int connect_filter_fd_ = -1;
    int address_filter_fd_ = -1;
    std::map<uint32_t, uint32_t> connect_filter_;   // vigil_connect_filter's non-zero entries
    std::map<AddressKey, uint32_t> address_filter_; // vigil_connect_address_filter, by key bytes
    int open_filter_fd_ = -1;
    std::string open_filter_text_; // what the open_enter chains run for, as last written
    std::vector<Hook> hooks_;
    uint64_t next_id_ = 1;
};

} // namespace vigil::probes
