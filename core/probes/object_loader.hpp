// SPDX-License-Identifier: Apache-2.0
// Loading one BPF object and attaching its programs, with per-program fallback.
//
// Programs that share a group are alternatives for one job (the same hook
// through tp/, tp_btf/ or raw_tp/). Everything that passes the verifier is
// loaded; then, group by group, the lowest preference level whose programs all
// attach is attached and the other levels stay unattached. A program the
// kernel refuses, or whose attach type the configuration disables, costs its
// group that level, never the whole object, and every outcome is reported by
// program name with its reason.
//
// A stage program (section "tp/vigil/<hook>") is attached by taking its place
// in the core dispatcher's chain for that hook (LoadSettings::stages); it
// fails to attach, like any program, when the dispatcher cannot run it.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/probes/attach_type.hpp"
#include "core/probes/attachment.hpp"

struct bpf_object;

namespace vigil::probes {

struct ProgramSpec {
    std::string name;
    std::string group; // empty: a program of its own
    uint32_t preference = 0;
    bool optional = false;
    bool deferred = false; // loaded only: its owner attaches it when needed (the hook dispatcher's programs)
};

struct ObjectSpec {
    std::string owner; // the plugin that brought it, or "core"
    std::string name;
    const void *elf = nullptr;
    std::size_t elf_size = 0;
    std::vector<ProgramSpec> programs; // programs of the object not listed here stand alone and are required
    std::vector<std::string> ring_buffers;
    // Programs this kernel does not need, with the reason (a plugin's decision, see
    // vigil_bpf_setup.skip_program): neither loaded nor attached, and never missing.
    std::map<std::string, std::string> skipped;
};

enum class ProgramState {
    loaded, // passed the verifier; not attached yet
    attached,
    standby,       // loaded, but another level of its group is attached
    disabled,      // its attach type is disabled in the configuration
    load_failed,   // the verifier or the kernel refused it
    attach_failed, // loaded, but the kernel would not attach it
    skipped,       // not needed on this kernel
};
std::string_view program_state_text(ProgramState state);

struct ProgramReport {
    std::string name;
    std::string section;
    AttachType attach_type = AttachType::other;
    std::string group;
    uint32_t preference = 0;
    bool optional = false;
    ProgramState state = ProgramState::load_failed;
    std::string reason; // why it is not attached; empty when attached
};

struct RingBuffer {
    std::string name;
    int map_fd = -1;
    int drops_map_fd = -1; // "<name>__drops", per-CPU counts by event kind; -1 if the object has none
    uint32_t size_bytes = 0;
};

struct LoadSettings {
    std::set<AttachType> disabled_types;
    uint32_t ring_buffer_bytes = 0;    // 0 keeps each ring's own size
    StageSubscriber *stages = nullptr; // where stage programs go; none: stages cannot attach
};

// Called on every fresh open of the object, before load: sets its load-time constants.
using ConfigureObject = std::function<void(bpf_object *object)>;

class LoadedObject {
public:
    LoadedObject(const ObjectSpec &spec, bpf_object *object, std::vector<std::unique_ptr<Attachment>> attachments,
                 std::vector<ProgramReport> programs, std::vector<RingBuffer> ring_buffers);
    ~LoadedObject(); // detaches, then closes
    LoadedObject(const LoadedObject &) = delete;
    LoadedObject &operator=(const LoadedObject &) = delete;

    const std::string &owner() const { return owner_; }
    const std::string &name() const { return name_; }
    const std::vector<ProgramReport> &programs() const { return programs_; }
    const std::vector<RingBuffer> &ring_buffers() const { return ring_buffers_; }
    std::size_t attached_count() const;
    // A required program (not optional) is neither attached nor covered by an attached alternative.
    bool missing_required() const;
    bpf_object *object() const { return object_; }
    // For an owner that attaches deferred programs itself.
    void set_program_state(std::string_view name, ProgramState state, std::string reason);

private:
    std::string owner_;
    std::string name_;
    bpf_object *object_;
    std::vector<std::unique_ptr<Attachment>> attachments_;
    std::vector<ProgramReport> programs_;
    std::vector<RingBuffer> ring_buffers_;
};

// Fails only when the object cannot be opened or none of its programs loads.
std::expected<std::unique_ptr<LoadedObject>, std::string>
load_object(const ObjectSpec &spec, const LoadSettings &settings, const ConfigureObject &configure);

} // namespace vigil::probes
