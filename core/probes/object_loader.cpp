// SPDX-License-Identifier: Apache-2.0
#include "core/probes/object_loader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>
#include <vigil/bpf/hooks.h>

#include "core/logging/logging.hpp"
#include "core/probes/load_time_constants.hpp"

namespace vigil::probes {
namespace {

std::string errno_text(int error)
{
    return std::strerror(error < 0 ? -error : error);
}

std::string with_detail(std::string reason, const logging::CaptureLibbpf &capture)
{
    auto detail = capture.summary();
    if (!detail.empty()) {
        reason += " (";
        reason += detail;
        reason += ")";
    }
    return reason;
}

// A program attached through a kernel link.
class LinkAttachment final : public Attachment {
public:
    explicit LinkAttachment(bpf_link *link) : link_(link) {}
    ~LinkAttachment() override { bpf_link__destroy(link_); }
    LinkAttachment(const LinkAttachment &) = delete;
    LinkAttachment &operator=(const LinkAttachment &) = delete;

private:
    bpf_link *link_;
};

// Opens a fresh copy of the object with its constants set and only @wanted programs loading.
class ObjectOpener {
public:
    ObjectOpener(const ObjectSpec &spec, const LoadSettings &settings, const ConfigureObject &configure)
        : spec_(spec), settings_(settings), configure_(configure)
    {
    }

    std::expected<bpf_object *, std::string> open(const std::set<std::string> &wanted) const
    {
        bpf_object_open_opts options{};
        options.sz = sizeof(options);
        options.object_name = spec_.name.c_str();
        bpf_object *object = bpf_object__open_mem(spec_.elf, spec_.elf_size, &options);
        if (object == nullptr) {
            return std::unexpected("cannot open BPF object " + spec_.name + ": " + errno_text(errno));
        }
        if (configure_) {
            configure_(object);
        }
        // An object built with <vigil/bpf/dispatch.h> works on the dispatcher's per-CPU call and chains.
        if (settings_.stages != nullptr) {
            for (const auto &[name, fd] : settings_.stages->shared_maps()) {
                bpf_map *map = bpf_object__find_map_by_name(object, name.c_str());
                if (map != nullptr && bpf_map__reuse_fd(map, fd) != 0) {
                    int error = errno;
                    bpf_object__close(object);
                    return std::unexpected(
                        "BPF object " + spec_.name + ": its map " + name +
                        " differs from the core's (built against another SDK?): " + errno_text(error));
                }
            }
        }
        for (const auto &ring : spec_.ring_buffers) {
            if (bpf_map *map = bpf_object__find_map_by_name(object, ring.c_str());
                map != nullptr && settings_.ring_buffer_bytes != 0) {
                bpf_map__set_max_entries(map, settings_.ring_buffer_bytes);
            }
        }
        bpf_program *program = nullptr;
        bpf_object__for_each_program(program, object)
        {
            bpf_program__set_autoload(program, wanted.contains(bpf_program__name(program)));
        }
        return object;
    }

private:
    const ObjectSpec &spec_;
    const LoadSettings &settings_;
    const ConfigureObject &configure_;
};

// Every program in the object, described by the spec where it has an entry.
std::vector<ProgramReport> describe_programs(const ObjectSpec &spec, bpf_object *object)
{
    std::vector<ProgramReport> reports;
    bpf_program *program = nullptr;
    bpf_object__for_each_program(program, object)
    {
        ProgramReport report;
        report.name = bpf_program__name(program);
        report.section = bpf_program__section_name(program);
        report.attach_type = attach_type_of_section(report.section);
        auto found = std::find_if(spec.programs.begin(), spec.programs.end(),
                                  [&](const ProgramSpec &candidate) { return candidate.name == report.name; });
        if (found != spec.programs.end()) {
            report.group = found->group;
            report.preference = found->preference;
            report.optional = found->optional;
        }
        reports.push_back(std::move(report));
    }
    return reports;
}

ProgramReport *find_report(std::vector<ProgramReport> &reports, std::string_view name)
{
    for (auto &report : reports) {
        if (report.name == name) {
            return &report;
        }
    }
    return nullptr;
}

// Loads what the kernel accepts. When the whole object fails, each program is
// tried alone to find the ones at fault; those are left out and the rest reloaded.
std::expected<bpf_object *, std::string> load_what_loads(const std::string &object_name, const ObjectOpener &opener,
                                                         std::vector<ProgramReport> &reports)
{
    std::set<std::string> wanted;
    for (const auto &report : reports) {
        if (report.state != ProgramState::disabled && report.state != ProgramState::skipped) {
            wanted.insert(report.name);
        }
    }
    while (!wanted.empty()) {
        auto object = opener.open(wanted);
        if (!object) {
            return std::unexpected(object.error());
        }
        int error = 0;
        std::string whole_reason;
        {
            logging::CaptureLibbpf capture;
            error = bpf_object__load(*object);
            whole_reason = with_detail(errno_text(error), capture);
        }
        if (error == 0) {
            return *object;
        }
        bpf_object__close(*object);

        std::size_t culprits = 0;
        for (const auto &name : std::set<std::string>(wanted)) {
            auto alone = opener.open({name});
            if (!alone) {
                return std::unexpected(alone.error());
            }
            logging::CaptureLibbpf capture;
            int alone_error = bpf_object__load(*alone);
            if (alone_error != 0) {
                if (auto *report = find_report(reports, name)) {
                    report->state = ProgramState::load_failed;
                    report->reason = with_detail(errno_text(alone_error), capture);
                }
                wanted.erase(name);
                ++culprits;
            }
            bpf_object__close(*alone);
        }
        if (culprits == 0) {
            // Every program loads alone but not together: a map or the object itself is at fault.
            return std::unexpected("BPF object " + object_name + " does not load: " + whole_reason);
        }
    }
    // Say why: usually every program failed for one reason (no permission, no BTF).
    std::string reasons;
    for (const auto &report : reports) {
        if (report.state == ProgramState::load_failed && reasons.find(report.reason) == std::string::npos) {
            reasons += (reasons.empty() ? "" : "; ") + report.name + ": " + report.reason;
        }
    }
    return std::unexpected("BPF object " + object_name + ": no program could load (" + reasons + ")");
}

// What the object's constants (set by its configure step) say about its stages; see bpf/dispatch.h.
// An open_enter stage's vigil_open_* constants; nullopt (every open) unless vigil_open_filtered is set.
std::optional<OpenFilter> read_open_filter(bpf_object *object)
{
    bool filtered = false;
    uint32_t head_count = 0;
    OpenFilter filter;
    char heads[VIGIL_MAX_OPEN_HEADS][VIGIL_OPEN_HEAD_SIZE] = {};
    if (get_load_time_constant(object, "vigil_open_filtered", &filtered, sizeof(filtered)) != ConstantStatus::set ||
        !filtered ||
        get_load_time_constant(object, "vigil_open_flags", &filter.flags, sizeof(filter.flags)) !=
            ConstantStatus::set ||
        get_load_time_constant(object, "vigil_open_odd_paths", &filter.odd_paths, sizeof(filter.odd_paths)) !=
            ConstantStatus::set ||
        get_load_time_constant(object, "vigil_open_head_count", &head_count, sizeof(head_count)) !=
            ConstantStatus::set ||
        get_load_time_constant(object, "vigil_open_heads", heads, sizeof(heads)) != ConstantStatus::set ||
        head_count > VIGIL_MAX_OPEN_HEADS) {
        return std::nullopt;
    }
    for (uint32_t i = 0; i < head_count; ++i) {
        filter.heads.emplace_back(heads[i], strnlen(heads[i], VIGIL_OPEN_HEAD_SIZE));
    }
    return filter;
}

StageOptions read_stage_options(bpf_object *object)
{
    StageOptions options;
    get_load_time_constant(object, "vigil_watch_host", &options.watch_host, sizeof(options.watch_host));
    options.open_filter = read_open_filter(object);
    uint32_t port_count = VIGIL_CONNECT_EVERY_PORT;
    uint32_t address_count = 0;
    std::array<uint16_t, VIGIL_MAX_CONNECT_PORTS> ports{};
    std::array<vigil_connect_address, VIGIL_MAX_CONNECT_ADDRESSES> addresses{};
    // An object built without these (no <vigil/bpf/dispatch.h>, or an older one) wants every connect.
    if (get_load_time_constant(object, "vigil_connect_port_count", &port_count, sizeof(port_count)) !=
            ConstantStatus::set ||
        port_count == VIGIL_CONNECT_EVERY_PORT ||
        get_load_time_constant(object, "vigil_connect_ports", ports.data(), sizeof(ports)) != ConstantStatus::set) {
        return options;
    }
    if (get_load_time_constant(object, "vigil_connect_address_count", &address_count, sizeof(address_count)) ==
        ConstantStatus::set) {
        get_load_time_constant(object, "vigil_connect_addresses", addresses.data(), sizeof(addresses));
    }
    if (port_count > ports.size() || address_count > addresses.size()) {
        return options; // more than the tables hold (BpfSetup never writes that): every connect, to lose none
    }
    ConnectFilter filter;
    filter.ports.assign(ports.begin(), ports.begin() + port_count);
    filter.addresses.assign(addresses.begin(), addresses.begin() + address_count);
    options.connect_filter = std::move(filter);
    return options;
}

// What attaching one program means: a kernel link, or a place in the dispatcher's chain for a stage.
struct Attacher {
    bpf_object *object;
    const LoadSettings &settings;
    StageOptions stage_options; // from the object's load-time constants
    std::string label;

    std::expected<std::unique_ptr<Attachment>, std::string> attach(const ProgramReport &report) const
    {
        bpf_program *program = bpf_object__find_program_by_name(object, report.name.c_str());
        if (auto hook = stage_hook_of_section(report.section); !hook.empty()) {
            if (settings.stages == nullptr) {
                return std::unexpected("a stage of hook " + std::string(hook) + ", and no hook dispatcher is loaded");
            }
            return settings.stages->subscribe(hook, stage_options, bpf_program__fd(program), label + ":" + report.name);
        }
        logging::CaptureLibbpf capture;
        bpf_link *link = bpf_program__attach(program);
        if (link == nullptr) {
            return std::unexpected(with_detail(errno_text(errno), capture));
        }
        return std::make_unique<LinkAttachment>(link);
    }
};

// Attaches, group by group, the most preferred level whose programs all attach.
std::vector<std::unique_ptr<Attachment>> attach_groups(const Attacher &attacher, std::vector<ProgramReport> &reports,
                                                       const ObjectSpec &spec)
{
    std::vector<std::unique_ptr<Attachment>> attachments;
    std::map<std::string, std::map<uint32_t, std::vector<ProgramReport *>>> groups;
    for (auto &report : reports) {
        if (report.state == ProgramState::skipped) {
            continue;
        }
        auto deferred = std::find_if(spec.programs.begin(), spec.programs.end(), [&](const ProgramSpec &candidate) {
            return candidate.name == report.name && candidate.deferred;
        });
        if (deferred != spec.programs.end()) {
            if (report.state == ProgramState::loaded) {
                report.state = ProgramState::standby;
                report.reason = "attached when needed";
            }
            continue;
        }
        // A program without a group is a group of its own.
        auto key = report.group.empty() ? "\x01" + report.name : report.group;
        groups[key][report.preference].push_back(&report);
    }
    for (auto &[group, levels] : groups) {
        bool attached = false;
        for (auto &[preference, members] : levels) {
            if (attached) {
                for (auto *member : members) {
                    if (member->state == ProgramState::loaded) {
                        member->state = ProgramState::standby;
                        member->reason = "a preferred alternative is attached";
                    }
                }
                continue;
            }
            auto unusable = std::find_if(members.begin(), members.end(), [](const ProgramReport *member) {
                return member->state != ProgramState::loaded;
            });
            if (unusable != members.end()) {
                // A member did not load or is disabled: this level cannot do the whole job.
                for (auto *member : members) {
                    if (member->state == ProgramState::loaded) {
                        member->state = ProgramState::standby;
                        member->reason = "its partner " + (*unusable)->name + " is unavailable";
                    }
                }
                continue;
            }
            std::vector<std::unique_ptr<Attachment>> level;
            for (auto *member : members) {
                auto attachment = attacher.attach(*member);
                if (!attachment) {
                    member->state = ProgramState::attach_failed;
                    member->reason = attachment.error();
                    break;
                }
                level.push_back(std::move(*attachment));
            }
            if (level.size() == members.size()) {
                std::move(level.begin(), level.end(), std::back_inserter(attachments));
                for (auto *member : members) {
                    member->state = ProgramState::attached;
                }
                attached = true;
                continue;
            }
            level.clear(); // detaches the members that did attach
            for (auto *member : members) {
                if (member->state == ProgramState::loaded) {
                    member->state = ProgramState::standby;
                    member->reason = "a partner at its level did not attach";
                }
            }
        }
    }
    return attachments;
}

std::vector<RingBuffer> find_ring_buffers(const ObjectSpec &spec, bpf_object *object)
{
    std::vector<RingBuffer> rings;
    for (const auto &name : spec.ring_buffers) {
        bpf_map *map = bpf_object__find_map_by_name(object, name.c_str());
        if (map == nullptr) {
            spdlog::warn("{}: object {} declares ring buffer {} but has no map of that name", spec.owner, spec.name,
                         name);
            continue;
        }
        RingBuffer ring;
        ring.name = name;
        ring.map_fd = bpf_map__fd(map);
        ring.size_bytes = bpf_map__max_entries(map);
        if (bpf_map *drops = bpf_object__find_map_by_name(object, (name + "__drops").c_str())) {
            ring.drops_map_fd = bpf_map__fd(drops);
        }
        rings.push_back(std::move(ring));
    }
    return rings;
}

} // namespace

std::string_view program_state_text(ProgramState state)
{
    switch (state) {
    case ProgramState::loaded:
        return "loaded";
    case ProgramState::attached:
        return "attached";
    case ProgramState::standby:
        return "standby";
    case ProgramState::disabled:
        return "disabled";
    case ProgramState::load_failed:
        return "not loaded";
    case ProgramState::attach_failed:
        return "not attached";
    case ProgramState::skipped:
        return "not needed";
    }
    return "unknown";
}

LoadedObject::LoadedObject(const ObjectSpec &spec, bpf_object *object,
                           std::vector<std::unique_ptr<Attachment>> attachments, std::vector<ProgramReport> programs,
                           std::vector<RingBuffer> ring_buffers)
    : owner_(spec.owner), name_(spec.name), object_(object), attachments_(std::move(attachments)),
      programs_(std::move(programs)), ring_buffers_(std::move(ring_buffers))
{
}

LoadedObject::~LoadedObject()
{
    attachments_.clear(); // detached before the programs go
    bpf_object__close(object_);
}

void LoadedObject::set_program_state(std::string_view name, ProgramState state, std::string reason)
{
    for (auto &report : programs_) {
        if (report.name == name) {
            report.state = state;
            report.reason = std::move(reason);
        }
    }
}

std::size_t LoadedObject::attached_count() const
{
    return static_cast<std::size_t>(std::count_if(programs_.begin(), programs_.end(), [](const ProgramReport &report) {
        return report.state == ProgramState::attached;
    }));
}

bool LoadedObject::missing_required() const
{
    std::map<std::string, bool> group_attached;
    for (const auto &report : programs_) {
        auto key = report.group.empty() ? "\x01" + report.name : report.group;
        group_attached[key] = group_attached[key] || report.state == ProgramState::attached;
    }
    return std::any_of(programs_.begin(), programs_.end(), [&](const ProgramReport &report) {
        auto key = report.group.empty() ? "\x01" + report.name : report.group;
        return !report.optional && report.state != ProgramState::skipped && !group_attached[key];
    });
}

std::expected<std::unique_ptr<LoadedObject>, std::string>
load_object(const ObjectSpec &spec, const LoadSettings &settings, const ConfigureObject &configure)
{
    ObjectOpener opener(spec, settings, configure);
    auto described = opener.open({});
    if (!described) {
        return std::unexpected(described.error());
    }
    auto reports = describe_programs(spec, *described);
    auto stage_options = read_stage_options(*described);
    bpf_object__close(*described);

    for (auto &report : reports) {
        report.state = ProgramState::loaded;
        if (auto skipped = spec.skipped.find(report.name); skipped != spec.skipped.end()) {
            report.state = ProgramState::skipped;
            report.reason = skipped->second;
        } else if (settings.disabled_types.contains(report.attach_type)) {
            report.state = ProgramState::disabled;
            report.reason = "attach type " + std::string(attach_type_name(report.attach_type)) +
                            " is disabled in the configuration";
        }
    }
    auto object = load_what_loads(spec.name, opener, reports);
    if (!object) {
        return std::unexpected(object.error());
    }
    Attacher attacher{*object, settings, std::move(stage_options), spec.owner + "/" + spec.name};
    auto attachments = attach_groups(attacher, reports, spec);
    auto rings = find_ring_buffers(spec, *object);
    return std::make_unique<LoadedObject>(spec, *object, std::move(attachments), std::move(reports), std::move(rings));
}

} // namespace vigil::probes
