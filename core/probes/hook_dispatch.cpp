// SPDX-License-Identifier: Apache-2.0
#include "core/probes/hook_dispatch.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <vigil/bpf/hooks.h>

#include "core/logging/logging.hpp"
#include "core/probes/probe_specs.hpp"
#include "core/probes/stage_filter_text.hpp"
#include "hook_dispatch.skel.h"

namespace vigil::probes {
namespace {

struct HookProgram {
    const char *name; // in hook_dispatch.bpf.c
    bool required;    // the others may be missing: open(2) on arm64, openat2 before Linux 5.6
};

struct HookDefinition {
    const char *name;
    std::vector<HookProgram> programs;
};

// Indexed by enum vigil_hook.
const std::vector<HookDefinition> &definitions()
{
    static const std::vector<HookDefinition> hooks = {
        {"open_enter", {{"open_enter", false}, {"openat_enter", true}, {"openat2_enter", false}}},
        {"open_exit", {{"open_exit_open", false}, {"open_exit_openat", true}, {"open_exit_openat2", false}}},
        {"connect_enter", {{"connect_enter", true}}},
        {"execve_enter", {{"execve_enter", true}, {"execveat_enter", false}}},
        {"execve_exit", {{"execve_exit_execve", true}, {"execve_exit_execveat", false}}},
        {"dns_send", {{"sendto_enter", true}, {"sendmsg_enter", true}, {"sendmmsg_enter", false}}},
    };
    return hooks;
}

std::string known_hooks()
{
    std::string names;
    for (const auto &hook : definitions()) {
        names += (names.empty() ? "" : ", ") + std::string(hook.name);
    }
    return names;
}

ObjectSpec dispatch_spec()
{
    ObjectSpec spec;
    spec.owner = "core";
    spec.name = "hook_dispatch";
    spec.elf = hook_dispatch__elf_bytes(&spec.elf_size);
    for (const auto &hook : definitions()) {
        for (const auto &program : hook.programs) {
            spec.programs.push_back({program.name, "", 0, true, true});
        }
    }
    return spec;
}

int map_fd(const LoadedObject &object, const char *name)
{
    bpf_map *map = bpf_object__find_map_by_name(object.object(), name);
    return map != nullptr ? bpf_map__fd(map) : -1;
}

} // namespace

// A stage's place in its hook's chains; leaving it takes the stage out.
class HookDispatch::StageAttachment final : public Attachment {
public:
    StageAttachment(HookDispatch &dispatch, uint64_t id) : dispatch_(dispatch), id_(id) {}
    ~StageAttachment() override { dispatch_.unsubscribe(id_); }
    StageAttachment(const StageAttachment &) = delete;
    StageAttachment &operator=(const StageAttachment &) = delete;

private:
    HookDispatch &dispatch_;
    uint64_t id_;
};

static_assert(VIGIL_HOOK_COUNT == 6, "a hook was added to bpf/hooks.h: describe it in definitions()");

std::expected<std::unique_ptr<HookDispatch>, std::string> HookDispatch::load(const LoadSettings &settings,
                                                                             const HostNamespaces &host)
{
    auto spec = dispatch_spec();
    LoadSettings own = settings;
    own.stages = nullptr;       // the dispatcher creates the shared maps
    own.disabled_types.clear(); // loaded whatever is disabled: attach() says why a hook cannot run
    auto loaded = load_object(spec, own, [&](bpf_object *object) { set_common_constants(object, spec, host, 0); });
    if (!loaded) {
        return std::unexpected(loaded.error());
    }
    auto dispatch = std::unique_ptr<HookDispatch>(new HookDispatch(std::move(*loaded), settings.disabled_types));
    if (dispatch->stages_fd_ < 0 || dispatch->lengths_fd_ < 0 || dispatch->connect_filter_fd_ < 0 ||
        dispatch->address_filter_fd_ < 0 || dispatch->open_filter_fd_ < 0 || dispatch->shared_maps_.size() != 2) {
        return std::unexpected("the hook dispatcher object lacks its maps");
    }
    return dispatch;
}

HookDispatch::HookDispatch(std::unique_ptr<LoadedObject> object, std::set<AttachType> disabled_types)
    : object_(std::move(object)), disabled_types_(std::move(disabled_types)), hooks_(definitions().size())
{
    for (const char *name : {"vigil_calls", "vigil_stages"}) {
        if (int fd = map_fd(*object_, name); fd >= 0) {
            shared_maps_[name] = fd;
        }
    }
    stages_fd_ = map_fd(*object_, "vigil_stages");
    lengths_fd_ = map_fd(*object_, "vigil_chain_lengths");
    connect_filter_fd_ = map_fd(*object_, "vigil_connect_filter");
    address_filter_fd_ = map_fd(*object_, "vigil_connect_address_filter");
    open_filter_fd_ = map_fd(*object_, "vigil_open_filter");
}

HookDispatch::~HookDispatch()
{
    for (std::size_t hook = 0; hook < hooks_.size(); ++hook) {
        detach(hook);
    }
}

std::expected<void, std::string> HookDispatch::attach(std::size_t hook)
{
    const auto &definition = definitions()[hook];
    auto &state = hooks_[hook];
    if (disabled_types_.contains(AttachType::tracepoint)) {
        state.failure = "the core's dispatcher for " + std::string(definition.name) +
                        " runs on tp/syscalls, and attach type tp is disabled in the configuration";
        return std::unexpected(state.failure);
    }
    std::string attached_on;
    for (const auto &program : definition.programs) {
        bpf_program *found = bpf_object__find_program_by_name(object_->object(), program.name);
        if (found == nullptr || bpf_program__fd(found) < 0) {
            if (program.required) {
                detach(hook);
                state.failure = "the core's dispatcher program " + std::string(program.name) + " did not load";
                return std::unexpected(state.failure);
            }
            continue;
        }
        logging::CaptureLibbpf capture;
        bpf_link *link = bpf_program__attach(found);
        if (link == nullptr) {
            auto reason = std::string(std::strerror(errno));
            if (auto detail = capture.summary(); !detail.empty()) {
                reason += " (" + detail + ")";
            }
            object_->set_program_state(program.name, ProgramState::attach_failed, reason);
            if (program.required) {
                detach(hook);
                state.failure = "the core's dispatcher for " + std::string(definition.name) + " could not attach " +
                                bpf_program__section_name(found) + ": " + reason;
                return std::unexpected(state.failure);
            }
            continue;
        }
        state.links.push_back(link);
        object_->set_program_state(program.name, ProgramState::attached, "");
        attached_on += (attached_on.empty() ? "" : ", ") + std::string(bpf_program__section_name(found));
    }
    state.attached_on = attached_on;
    state.failure.clear();
    return {};
}

void HookDispatch::detach(std::size_t hook)
{
    auto &state = hooks_[hook];
    for (auto *link : state.links) {
        bpf_link__destroy(link);
    }
    state.links.clear();
    state.attached_on.clear();
    for (const auto &program : definitions()[hook].programs) {
        object_->set_program_state(program.name, ProgramState::standby, "no stage subscribes to its hook");
    }
}

std::expected<std::unique_ptr<Attachment>, std::string> HookDispatch::subscribe(std::string_view hook_name,
                                                                                const StageOptions &options,
                                                                                int program_fd,
                                                                                const std::string &label)
{
    const auto &all = definitions();
    auto found =
        std::find_if(all.begin(), all.end(), [&](const HookDefinition &hook) { return hook_name == hook.name; });
    if (found == all.end()) {
        return std::unexpected("a stage of hook " + std::string(hook_name) + ", which this sensor does not have (" +
                               known_hooks() + ")");
    }
    auto hook = static_cast<std::size_t>(found - all.begin());
    auto &state = hooks_[hook];
    std::vector<std::size_t> scopes = {VIGIL_SCOPE_CONTAINER};
    if (options.watch_host) {
        scopes.push_back(VIGIL_SCOPE_HOST);
    }
    for (auto scope : scopes) {
        if (state.chains[scope].size() >= VIGIL_MAX_STAGES) {
            return std::unexpected("the chain of hook " + std::string(found->name) + " is full (" +
                                   std::to_string(VIGIL_MAX_STAGES) + " stages)");
        }
    }
    if (state.links.empty()) {
        if (auto attached = attach(hook); !attached) {
            return std::unexpected(attached.error());
        }
    }
    // dns_send learns of sockets connected to port 53 from the connect program: it runs while either hook has stages.
    if (hook == VIGIL_HOOK_DNS_SEND && hooks_[VIGIL_HOOK_CONNECT_ENTER].links.empty()) {
        if (auto attached = attach(VIGIL_HOOK_CONNECT_ENTER); !attached) {
            if (state.chains[VIGIL_SCOPE_CONTAINER].empty() && state.chains[VIGIL_SCOPE_HOST].empty()) {
                detach(hook);
            }
            return std::unexpected(attached.error());
        }
    }
    auto id = next_id_++;
    auto attachment = std::make_unique<StageAttachment>(*this, id); // leaves the chains again on failure
    for (auto scope : scopes) {
        state.chains[scope].push_back({id, program_fd, label, options.connect_filter, options.open_filter});
    }
    // The filter first: a chain never runs without the filter letting its stages' ports through.
    if (hook == VIGIL_HOOK_CONNECT_ENTER) {
        write_connect_filter();
    } else if (hook == VIGIL_HOOK_OPEN_ENTER) {
        write_open_filter();
    }
    for (auto scope : scopes) {
        auto &chain = state.chains[scope];
        if (auto written = write_chain(hook, scope, chain.size() - 1, chain.size() - 1, false); !written) {
            return std::unexpected(written.error());
        }
    }
    return attachment;
}

// Rewrites the chain's slots from @from on and its length; clears the slots past the end up to @old_length.
// @unsettled marks the length so (VIGIL_CHAIN_UNSETTLED): the filters' positions are not yet the chain's.
std::expected<void, std::string> HookDispatch::write_chain(std::size_t hook, std::size_t scope, std::size_t from,
                                                           std::size_t old_length, bool unsettled)
{
    const auto &chain = hooks_[hook].chains[scope];
    auto slot_of = [&](std::size_t position) { return static_cast<uint32_t>(VIGIL_STAGE_SLOT(hook, scope, position)); };
    // Slots first, then the length: the dispatcher never runs a chain longer than what is written.
    for (auto position = from; position < chain.size(); ++position) {
        auto slot = slot_of(position);
        int fd = chain[position].program_fd;
        if (bpf_map_update_elem(stages_fd_, &slot, &fd, BPF_ANY) != 0) {
            return std::unexpected(std::string("cannot enter the chain: ") + std::strerror(errno));
        }
    }
    write_length(hook, scope, chain.size(), unsettled);
    for (auto position = chain.size(); position < old_length; ++position) {
        auto slot = slot_of(position);
        bpf_map_delete_elem(stages_fd_, &slot);
    }
    return {};
}

void HookDispatch::write_length(std::size_t hook, std::size_t scope, std::size_t length, bool unsettled)
{
    auto index = static_cast<uint32_t>(hook * VIGIL_SCOPE_COUNT + scope);
    auto entry = static_cast<uint32_t>(length) | (unsettled ? VIGIL_CHAIN_UNSETTLED : 0u);
    // An entry of an array the kernel holds is only ever rewritten: nothing to do on error.
    bpf_map_update_elem(lengths_fd_, &index, &entry, BPF_ANY);
}

void HookDispatch::unsubscribe(uint64_t id)
{
    for (std::size_t hook = 0; hook < hooks_.size(); ++hook) {
        auto &state = hooks_[hook];
        std::vector<std::size_t> changed; // scopes whose chain held the stage
        for (std::size_t scope = 0; scope < state.chains.size(); ++scope) {
            auto &chain = state.chains[scope];
            auto stage = std::find_if(chain.begin(), chain.end(), [&](const Stage &entry) { return entry.id == id; });
            if (stage == chain.end()) {
                continue;
            }
            changed.push_back(scope);
            auto position = static_cast<std::size_t>(stage - chain.begin());
            auto old_length = chain.size();
            // Every stage runs until the filters name the new positions: none misses a call meanwhile.
            write_length(hook, scope, old_length, true);
            chain.erase(stage);
            // A stage program the kernel already holds never fails to be rewritten; nothing to do on error.
            (void)write_chain(hook, scope, position, old_length, true);
        }
        if (changed.empty()) {
            continue;
        }
        if (hook == VIGIL_HOOK_CONNECT_ENTER) {
            write_connect_filter();
        } else if (hook == VIGIL_HOOK_OPEN_ENTER) {
            write_open_filter();
        }
        for (auto scope : changed) {
            write_length(hook, scope, state.chains[scope].size(), false);
        }
        if (unused(hook)) {
            detach(hook);
            if (hook == VIGIL_HOOK_DNS_SEND && unused(VIGIL_HOOK_CONNECT_ENTER)) {
                detach(VIGIL_HOOK_CONNECT_ENTER);
            }
        }
    }
}

// No stage needs @hook's programs: its chains are empty and, for connect_enter, dns_send's too.
bool HookDispatch::unused(std::size_t hook) const
{
    auto empty = [&](std::size_t index) {
        const auto &chains = hooks_[index].chains;
        return chains[VIGIL_SCOPE_CONTAINER].empty() && chains[VIGIL_SCOPE_HOST].empty();
    };
    return empty(hook) && (hook != VIGIL_HOOK_CONNECT_ENTER || empty(VIGIL_HOOK_DNS_SEND));
}

// Folds the connect chains' filters into vigil_connect_filter and vigil_connect_address_filter: for each wanted
// port, address and address hint, the positions of the stages that want it. New entries go in before old ones go
// out, so that a connect a remaining stage wants is never dropped in between.
void HookDispatch::write_connect_filter()
{
    std::map<uint32_t, uint32_t> ports;
    std::map<AddressKey, uint32_t> addresses;
    const auto &chains = hooks_[VIGIL_HOOK_CONNECT_ENTER].chains;
    for (std::size_t scope = 0; scope < chains.size(); ++scope) {
        for (std::size_t position = 0; position < chains[scope].size(); ++position) {
            const auto &stage = chains[scope][position];
            auto bit = VIGIL_STAGE_BITS(scope, 1u << position);
            if (!stage.connect_filter) {
                ports[VIGIL_CONNECT_FILTER_EVERY] |= bit;
                continue;
            }
            for (auto port : stage.connect_filter->ports) {
                ports[port] |= bit;
            }
            for (const auto &address : stage.connect_filter->addresses) {
                vigil_connect_address key{};
                key.family = address.family;
                std::memcpy(key.address, address.address, sizeof(key.address));
                AddressKey bytes{};
                std::memcpy(bytes.data(), &key, sizeof(key));
                addresses[bytes] |= bit;
                ports[VIGIL_CONNECT_FILTER_HINTS + vigil_connect_address_hint(key.address)] |= bit;
            }
        }
    }
    // Entries the kernel already holds only ever get rewritten, and the hash has room for every
    // address of every chain (16 stages x 16 addresses x 2 scopes): nothing to do on error.
    for (const auto &[key, bits] : addresses) {
        if (auto old = address_filter_.find(key); old == address_filter_.end() || old->second != bits) {
            bpf_map_update_elem(address_filter_fd_, key.data(), &bits, BPF_ANY);
        }
    }
    for (auto [entry, bits] : ports) {
        if (auto old = connect_filter_.find(entry); old == connect_filter_.end() || old->second != bits) {
            bpf_map_update_elem(connect_filter_fd_, &entry, &bits, BPF_ANY);
        }
    }
    for (auto [entry, bits] : connect_filter_) {
        if (!ports.contains(entry)) {
            uint32_t none = 0;
            bpf_map_update_elem(connect_filter_fd_, &entry, &none, BPF_ANY);
        }
    }
    for (const auto &[key, bits] : address_filter_) {
        if (!addresses.contains(key)) {
            bpf_map_delete_elem(address_filter_fd_, key.data());
        }
    }
    connect_filter_ = std::move(ports);
    address_filter_ = std::move(addresses);
}

// Folds the open_enter chains' filters into the dispatcher's one struct vigil_open_filter, by scope and position.
// The struct is rewritten whole, never atomically: a stage joining only adds its position's wishes, and while a
// stage leaves (the later ones move up) the chain is marked unsettled and every stage runs.
void HookDispatch::write_open_filter()
{
    vigil_open_filter filter{};
    std::map<std::pair<uint64_t, uint64_t>, std::array<uint16_t, VIGIL_SCOPE_COUNT>> heads; // (value, mask) -> stages
    const auto &chains = hooks_[VIGIL_HOOK_OPEN_ENTER].chains;
    for (std::size_t scope = 0; scope < chains.size(); ++scope) {
        for (std::size_t position = 0; position < chains[scope].size(); ++position) {
            const auto &stage = chains[scope][position];
            auto bit = static_cast<uint16_t>(1u << position);
            if (!stage.open_filter) {
                filter.every[scope] |= bit;
                continue;
            }
            filter.flags[scope][position] = stage.open_filter->flags;
            if (stage.open_filter->odd_paths) {
                filter.odd_paths[scope] |= bit;
            }
            for (const auto &head : stage.open_filter->heads) {
                if (head.empty() || head.size() > VIGIL_OPEN_HEAD_SIZE) {
                    filter.every[scope] |= bit; // the SDK never writes these: let every open through rather than guess
                    continue;
                }
                uint64_t value = 0;
                std::memcpy(&value, head.data(), head.size());
                uint64_t mask = head.size() == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * head.size())) - 1;
                heads[{value, mask}][scope] |= bit;
            }
        }
    }
    if (heads.size() > VIGIL_OPEN_FILTER_HEADS) {
        for (const auto &[key, stages] : heads) {
            for (std::size_t scope = 0; scope < stages.size(); ++scope) {
                filter.every[scope] |= stages[scope]; // more heads than the table holds: those stages get every open
            }
        }
        heads.clear();
    }
    for (const auto &[key, stages] : heads) {
        auto &entry = filter.heads[filter.head_count++];
        entry.value = key.first;
        entry.mask = key.second;
        for (std::size_t scope = 0; scope < stages.size(); ++scope) {
            entry.stages[scope] = stages[scope];
            if (stages[scope] != 0) {
                filter.head_scopes |= static_cast<uint8_t>(1u << scope);
            }
        }
    }
    uint32_t zero = 0;
    // The one entry of an array the kernel holds is only ever rewritten: nothing to do on error.
    bpf_map_update_elem(open_filter_fd_, &zero, &filter, BPF_ANY);
    open_filter_text_ = open_filter_text(filter);
}

std::vector<HookReport> HookDispatch::hooks() const
{
    std::vector<HookReport> reports;
    for (std::size_t hook = 0; hook < hooks_.size(); ++hook) {
        const auto &state = hooks_[hook];
        HookReport report;
        report.name = definitions()[hook].name;
        report.attached = !state.links.empty();
        report.detail = report.attached          ? state.attached_on
                        : !state.failure.empty() ? state.failure
                                                 : "no stage subscribes";
        for (const auto &stage : state.chains[VIGIL_SCOPE_CONTAINER]) {
            report.container_stages.push_back(stage.label);
        }
        for (const auto &stage : state.chains[VIGIL_SCOPE_HOST]) {
            report.host_stages.push_back(stage.label);
        }
        if (hook == VIGIL_HOOK_CONNECT_ENTER && report.attached) {
            report.filter = connect_filter_text(connect_filter_, address_filter_);
        } else if (hook == VIGIL_HOOK_OPEN_ENTER && report.attached) {
            report.filter = open_filter_text_;
        }
        reports.push_back(std::move(report));
    }
    return reports;
}

} // namespace vigil::probes
