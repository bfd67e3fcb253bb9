// SPDX-License-Identifier: Apache-2.0
// C++ views of what the sensor hands a plugin: its host services, its options,
// and the events it receives. Header-only: compiled into the plugin.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/abi_support.hpp>
#include <vigil/bpf/event.h>
#include <vigil/bpf/hooks.h>
#include <vigil/plugin_abi.h>

namespace vigil {

// No container (plugin_abi.h, "No container"): a NULL or "" container id and a
// NULL vigil_container all mean a host process, or one whose cgroup the sensor
// did not resolve. The host passes NULL in some places and "" in others; these
// treat both alike, so a plugin need not know which.
inline bool in_container(const char *container_id)
{
    return container_id != nullptr && container_id[0] != '\0';
}
inline bool in_container(const vigil_container *container)
{
    return container != nullptr && in_container(container->id);
}
inline bool in_container(const vigil_raised_alert &alert)
{
    return in_container(alert.container_id);
}

// The container id of another detector's alert (ABI 1.5); "" for none.
inline std::string_view container_id(const vigil_raised_alert &alert)
{
    return in_container(alert.container_id) ? std::string_view(alert.container_id) : std::string_view();
}

// The ABI 1.7 fields of a container: who it is in its pod, from the
// Kubernetes API. Empty strings and zeros for a host older than 1.7 (and
// metadata_source 0 then), and for whatever the host does not know; see
// vigil_container. The strings are views into the container: valid as long
// as it is (until the hook returns).
struct ContainerFacts {
    std::string_view name;
    std::string_view image;
    std::string_view image_id;
    std::string_view pod_namespace;
    std::string_view pod_name;
    std::string_view workload_kind; // "Deployment", ..., "Pod" for a bare pod
    std::string_view workload_name;
    std::string_view template_hash;
    uint64_t started_ns = 0;      // CLOCK_BOOTTIME; 0 if unknown
    uint32_t metadata_source = 0; // enum vigil_metadata_source; 0: the host does not say
    bool existed_at_start = false;
};

// The facts of @container; all empty for nullptr or a host older than ABI 1.7.
inline ContainerFacts facts(const vigil_container *container)
{
    ContainerFacts facts;
    // The 1.7 fields were appended together: a host that has the last one has them all.
    if (!VIGIL_HAS_FIELD(container, vigil_container, existed_at_start)) {
        return facts;
    }
    auto text = [](const char *value) { return value != nullptr ? std::string_view(value) : std::string_view(); };
    facts.name = text(container->name);
    facts.image = text(container->image);
    facts.image_id = text(container->image_id);
    facts.pod_namespace = text(container->pod_namespace);
    facts.pod_name = text(container->pod_name);
    facts.workload_kind = text(container->workload_kind);
    facts.workload_name = text(container->workload_name);
    facts.template_hash = text(container->template_hash);
    facts.started_ns = container->started_ns;
    facts.metadata_source = container->metadata_source;
    facts.existed_at_start = container->existed_at_start != 0;
    return facts;
}

// A counter registered with the sensor's metrics.
class Counter {
public:
    Counter() = default;
    Counter(const vigil_host_api *api, uint32_t handle) : api_(api), handle_(handle) {}
    void add(uint64_t delta = 1) const
    {
        if (api_ != nullptr) {
            api_->metric_add(api_->context, handle_, delta);
        }
    }

private:
    const vigil_host_api *api_ = nullptr;
    uint32_t handle_ = 0;
};

// The sensor's services. Cheap to copy; valid for the plugin's lifetime.
class Host {
public:
    explicit Host(const vigil_host_api *api) : api_(api) {}

    void log(vigil_log_level level, const char *message) const { api_->log(api_->context, level, message); }

    __attribute__((format(printf, 3, 4))) void logf(vigil_log_level level, const char *format, ...) const
    {
        char message[1024];
        va_list arguments;
        va_start(arguments, format);
        std::vsnprintf(message, sizeof(message), format, arguments);
        va_end(arguments);
        log(level, message);
    }

    int emit(const vigil_alert_request &alert) const { return api_->emit_alert(api_->context, &alert); }

    const vigil_process *find_process(uint32_t tgid) const { return api_->find_process(api_->context, tgid); }

    // The process's parent, grandparent, ... up to the container's entry point.
    std::span<const vigil_process *> ancestry(uint32_t tgid, std::span<const vigil_process *> storage) const
    {
        auto count = api_->process_ancestry(api_->context, tgid, storage.data(), static_cast<uint32_t>(storage.size()));
        return storage.first(count);
    }

    // The process pid namespace @pid_ns calls @ns_tgid, or nullptr (also on a host too old to say).
    const vigil_process *find_process_in_namespace(uint32_t pid_ns, uint32_t ns_tgid) const
    {
        if (!VIGIL_HAS_FIELD(api_, vigil_host_api, find_process_in_namespace)) {
            return nullptr;
        }
        return api_->find_process_in_namespace(api_->context, pid_ns, ns_tgid);
    }

    // The node's name, procfs and cgroup v2 paths and namespaces, or nullptr on a host older than ABI 1.1.
    const vigil_host_info *host_info() const
    {
        if (!VIGIL_HAS_FIELD(api_, vigil_host_api, host_info)) {
            return nullptr;
        }
        return api_->host_info(api_->context);
    }

    // The plugin's own directory for state kept across restarts, created owner-only;
    // "" when the sensor keeps none, could not create it, or is older than ABI 1.7.
    std::string state_directory() const
    {
        if (!VIGIL_HAS_FIELD(api_, vigil_host_api, state_directory)) {
            return {};
        }
        const char *directory = api_->state_directory(api_->context);
        return directory != nullptr ? directory : "";
    }

    // Records the sensor's ring buffers had no room for since it started, all
    // rings together; 0 on a host older than ABI 1.7. A detector that learns
    // what is normal can tell from a change that it missed events.
    uint64_t records_lost() const
    {
        if (!VIGIL_HAS_FIELD(api_, vigil_host_api, records_lost)) {
            return 0;
        }
        return api_->records_lost(api_->context);
    }

    // When the sensor started (CLOCK_BOOTTIME); 0 on a host older than ABI 1.7.
    uint64_t sensor_started_ns() const
    {
        const auto *info = host_info();
        return VIGIL_HAS_FIELD(info, vigil_host_info, started_ns) ? info->started_ns : 0;
    }

    const vigil_container *find_container(uint64_t cgroup_id) const
    {
        return api_->find_container(api_->context, cgroup_id);
    }

    Counter counter(const char *name, const char *help) const
    {
        return Counter(api_, api_->metric_register(api_->context, name, help));
    }

    uint64_t now_ns() const { return api_->now_ns(api_->context); }

    // Writes @value at @key in map @map of the plugin's own BPF object @object (ABI 1.7): 0, or a
    // negative errno; -ENOSYS from a sensor older than ABI 1.7.
    template <class Key, class Value>
    int map_update(const char *object, const char *map, const Key &key, const Value &value) const
    {
        if (!VIGIL_HAS_FIELD(api_, vigil_host_api, map_update)) {
            return -ENOSYS;
        }
        return api_->map_update(api_->context, object, map, &key, static_cast<uint32_t>(sizeof(Key)), &value,
                                static_cast<uint32_t>(sizeof(Value)));
    }
    // Removes @key from that map (0 also when it was not there), as map_update.
    template <class Key> int map_delete(const char *object, const char *map, const Key &key) const
    {
        if (!VIGIL_HAS_FIELD(api_, vigil_host_api, map_delete)) {
            return -ENOSYS;
        }
        return api_->map_delete(api_->context, object, map, &key, static_cast<uint32_t>(sizeof(Key)));
    }

    const vigil_host_api *api() const { return api_; }

private:
    const vigil_host_api *api_;
};

// Thrown by Config for a value that does not fit; init turns it into a refusal.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The plugin's options. Every key the plugin declared has a value. Valid during init only.
class Config {
public:
    explicit Config(const vigil_config_view *view) : view_(view) {}

    bool get_bool(const char *key) const
    {
        int value = 0;
        check(view_->get_bool(view_->context, key, &value), key);
        return value != 0;
    }
    int64_t get_integer(const char *key) const
    {
        int64_t value = 0;
        check(view_->get_integer(view_->context, key, &value), key);
        return value;
    }
    double get_float(const char *key) const
    {
        double value = 0;
        check(view_->get_float(view_->context, key, &value), key);
        return value;
    }
    std::string get_string(const char *key) const
    {
        const char *value = view_->get_string(view_->context, key);
        if (value == nullptr) {
            throw ConfigError(std::string("no string option named ") + key);
        }
        return value;
    }
    std::vector<std::string> get_list(const char *key) const
    {
        std::vector<std::string> items;
        auto size = view_->get_list_size(view_->context, key);
        for (uint32_t index = 0; index < size; ++index) {
            items.emplace_back(view_->get_list_item(view_->context, key, index));
        }
        return items;
    }

private:
    static void check(int status, const char *key)
    {
        if (status != 0) {
            throw ConfigError(std::string("cannot read option ") + key);
        }
    }
    const vigil_config_view *view_;
};

// Load-time settings of the plugin's BPF objects.
class BpfSetup {
public:
    explicit BpfSetup(const vigil_bpf_setup *setup) : setup_(setup) {}

    template <class T> void set_constant(const char *object, const char *variable, const T &value) const
    {
        int status = setup_->set_constant(setup_->context, object, variable, &value, sizeof(T));
        if (status != 0) {
            throw std::runtime_error(std::string("cannot set ") + object + "." + variable);
        }
    }

    // The connects @object's connect_enter stages want (see <vigil/bpf/dispatch.h>): to one of @ports,
    // or to one of @addresses on any port. The core's dispatcher ends every other connect before the
    // chain. Without this call the stages get every connect; with more than VIGIL_MAX_CONNECT_PORTS
    // ports or VIGIL_MAX_CONNECT_ADDRESSES addresses, too.
    void set_connect_filter(const char *object, std::vector<uint16_t> ports,
                            const std::vector<vigil_connect_address> &addresses = {}) const
    {
        std::sort(ports.begin(), ports.end());
        ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
        if (ports.size() > VIGIL_MAX_CONNECT_PORTS || addresses.size() > VIGIL_MAX_CONNECT_ADDRESSES) {
            set_constant(object, "vigil_connect_port_count", VIGIL_CONNECT_EVERY_PORT);
            return;
        }
        uint16_t port_table[VIGIL_MAX_CONNECT_PORTS] = {};
        vigil_connect_address address_table[VIGIL_MAX_CONNECT_ADDRESSES] = {};
        std::copy(ports.begin(), ports.end(), port_table);
        std::copy(addresses.begin(), addresses.end(), address_table);
        set_constant(object, "vigil_connect_ports", port_table);
        set_constant(object, "vigil_connect_port_count", static_cast<uint32_t>(ports.size()));
        set_constant(object, "vigil_connect_addresses", address_table);
        set_constant(object, "vigil_connect_address_count", static_cast<uint32_t>(addresses.size()));
    }

    // The opens @object's open_enter stages want (see <vigil/bpf/dispatch.h>): with any of @flags
    // (O_WRONLY | O_RDWR: write access), paths starting with one of @heads (each "/" and at most
    // VIGIL_OPEN_HEAD_SIZE bytes, e.g. "/proc/"; repeats count once), and with @odd_paths, paths that do not start with
    // "/" and a name (relative ones, "//", "/."). The core's dispatcher ends every other open before
    // the chain. Without this call the stages get every open; with more heads than
    // VIGIL_MAX_OPEN_HEADS, or a head that is not "/..." of at most 8 bytes, too.
    void set_open_filter(const char *object, uint64_t flags, std::vector<std::string> heads, bool odd_paths) const
    {
        std::sort(heads.begin(), heads.end());
        heads.erase(std::unique(heads.begin(), heads.end()), heads.end());
        char table[VIGIL_MAX_OPEN_HEADS][VIGIL_OPEN_HEAD_SIZE] = {};
        if (heads.size() > VIGIL_MAX_OPEN_HEADS) {
            return;
        }
        for (std::size_t i = 0; i < heads.size(); ++i) {
            if (heads[i].empty() || heads[i][0] != '/' || heads[i].size() > VIGIL_OPEN_HEAD_SIZE) {
                return;
            }
            std::memcpy(table[i], heads[i].data(), heads[i].size());
        }
        set_constant(object, "vigil_open_flags", flags);
        set_constant(object, "vigil_open_odd_paths", odd_paths);
        set_constant(object, "vigil_open_heads", table);
        set_constant(object, "vigil_open_head_count", static_cast<uint32_t>(heads.size()));
        set_constant(object, "vigil_open_filtered", true);
    }

    // Leaves @program of @object out on this kernel, for @reason (see vigil_bpf_setup.skip_program).
    // False when the sensor predates ABI 1.6: the program then loads as before.
    bool skip_program(const char *object, const char *program, const char *reason) const
    {
        if (!VIGIL_HAS_FIELD(setup_, vigil_bpf_setup, skip_program)) {
            return false;
        }
        return setup_->skip_program(setup_->context, object, program, reason) == 0;
    }

private:
    const vigil_bpf_setup *setup_;
};

// One event as a detector receives it. Valid during on_event only.
class Event {
public:
    explicit Event(const vigil_event *event) : event_(event) {}

    uint32_t kind() const { return event_->kind; }
    const vigil_event_header &header() const { return *static_cast<const vigil_event_header *>(event_->record); }
    const vigil_process *process() const { return event_->process; }
    // The acting process's container; nullptr for none (vigil::in_container()).
    const vigil_container *container() const { return in_container() ? event_->container : nullptr; }
    bool in_container() const { return vigil::in_container(event_->container); }

    // Who acted, for a summary: the executable the sensor knows, else the thread's name.
    std::string actor_name() const
    {
        const auto *acting = process();
        if (acting != nullptr && acting->exe != nullptr && acting->exe[0] != '\0') {
            return acting->exe;
        }
        const auto &comm = header().comm;
        return std::string(comm, strnlen(comm, sizeof(comm)));
    }
    const vigil_event *raw() const { return event_; }

    // The Kubernetes audit event of a VIGIL_KIND_AUDIT_EVENT (subscribe to
    // that kind to get them); nullptr for every other kind, and from a sensor
    // older than ABI 1.4. Its header carries no process: audit events come
    // from the API server, not from this node's kernel.
    const vigil_audit_event *audit() const
    {
        if (!VIGIL_HAS_FIELD(event_, vigil_event, audit) || event_->kind != VIGIL_KIND_AUDIT_EVENT) {
            return nullptr;
        }
        return event_->audit;
    }

    // The alert another detector raised, for a VIGIL_KIND_ALERT_RAISED
    // (subscribe to that kind to get them); nullptr for every other kind, and
    // from a sensor older than ABI 1.5. Its header carries no process: the
    // alert names its own subject.
    const vigil_raised_alert *raised_alert() const
    {
        if (!VIGIL_HAS_FIELD(event_, vigil_event, alert) || event_->kind != VIGIL_KIND_ALERT_RAISED) {
            return nullptr;
        }
        return event_->alert;
    }

    // The record as @Record, or nullptr if it is too short to be one.
    template <class Record> const Record *as() const
    {
        if (event_->record_size < sizeof(Record)) {
            return nullptr;
        }
        return static_cast<const Record *>(event_->record);
    }

private:
    const vigil_event *event_;
};

} // namespace vigil
