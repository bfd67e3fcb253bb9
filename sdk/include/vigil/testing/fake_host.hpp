// SPDX-License-Identifier: Apache-2.0
// A stand-in for the sensor, for testing a plugin through its real shared
// object without a kernel, root or the sensor itself. Header-only; link the
// test with ${CMAKE_DL_LIBS}.
//
//   vigil::testing::FakeHost host(PLUGIN_PATH);         // dlopen, entry point, ABI check
//   host.set_option("allowed_tracers", std::vector<std::string>{"/usr/bin/gdb"});
//   vigil::testing::FakeProcess python;
//   python.tgid = 100;
//   python.exe = "/usr/bin/python3";
//   host.add_process(python);
//   REQUIRE(host.start() == 0);                         // init, with the options
//   auto record = host.make_record<my_record>(MY_KIND, 100);   // header filled from the process table
//   record.value = 42;
//   host.deliver(record);                               // on_event
//   vigil::testing::FakeAuditEvent audit;               // a Kubernetes audit event (ABI 1.4)
//   audit.verb = "create"; audit.subresource = "exec";
//   host.deliver_audit(audit);
//   vigil::testing::FakeRaisedAlert raised;             // another detector's alert (ABI 1.5)
//   raised.rule = "escape.release_agent_write";
//   host.deliver_alert(raised);
//   CHECK(host.alerts().at(0).rule == "mine.something");
//
// What it does like the sensor: it checks the descriptor's struct_size and
// abi_major before anything else; gives every declared option a value (its
// default, parsed from the TOML literal, unless the test set another);
// resolves an event's process and container from the tables the test fills;
// and copies every alert, refusing (with -EINVAL, and a line in problems())
// one the sensor would refuse: a rule id outside "<plugin>.", a tactic or
// technique the descriptor does not declare, a malformed evidence field.
//
// What it does not do: load BPF objects (configure_bpf only records the
// constants set), drive an output plugin's format and send, or parse TOML
// beyond the literals defaults use: true/false, integers, floats, "strings"
// and 'strings', and ["lists", "of", "strings"].
#pragma once

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <vigil/abi_support.hpp>
#include <vigil/bpf/event.h>
#include <vigil/plugin_abi.h>
#include <vigil/testing/fake_audit_event.hpp>
#include <vigil/testing/fake_raised_alert.hpp>
#include <vigil/testing/fake_tables.hpp>
#include <vigil/testing/option_literals.hpp>

namespace vigil::testing {

// ---------------------------------------------------------------------------
// The fake host
// ---------------------------------------------------------------------------

class FakeHost {
public:
    // Loads the plugin at @plugin_path and checks its descriptor; throws std::runtime_error if it cannot.
    explicit FakeHost(const std::string &plugin_path)
    {
        handle_ = dlopen(plugin_path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle_ == nullptr) {
            const char *error = dlerror();
            throw std::runtime_error("cannot load " + plugin_path + ": " + (error != nullptr ? error : "?"));
        }
        try {
            load(plugin_path);
        } catch (...) {
            dlclose(handle_);
            throw;
        }
        fill_api();
    }

    ~FakeHost()
    {
        if (instance_ != nullptr && hooks_.destroy != nullptr) {
            hooks_.destroy(instance_);
        }
        dlclose(handle_);
    }

    FakeHost(const FakeHost &) = delete;
    FakeHost &operator=(const FakeHost &) = delete;

    // ---- the descriptor -------------------------------------------------

    const vigil_plugin_descriptor &descriptor() const { return *descriptor_; }
    // The plugin's hooks, those beyond its struct_size NULL.
    const vigil_plugin_hooks &hooks() const { return hooks_; }

    std::vector<const vigil_config_key *> config_keys() const
    {
        return each(descriptor_->config_keys, descriptor_->config_key_count);
    }
    const vigil_config_key *config_key(std::string_view name) const
    {
        for (const auto *key : config_keys()) {
            if (name == key->name) {
                return key;
            }
        }
        return nullptr;
    }
    std::vector<const vigil_attack_ref *> tactics() const { return each(descriptor_->tactics, descriptor_->tactic_count); }
    std::vector<const vigil_attack_ref *> techniques() const
    {
        return each(descriptor_->techniques, descriptor_->technique_count);
    }
    std::vector<const vigil_bpf_object *> bpf_objects() const
    {
        return each(descriptor_->bpf_objects, descriptor_->bpf_object_count);
    }
    static std::vector<const vigil_bpf_program *> programs(const vigil_bpf_object &object)
    {
        return each(object.programs, object.program_count);
    }
    static std::vector<std::string> ring_buffers(const vigil_bpf_object &object)
    {
        std::vector<std::string> names;
        for (uint32_t index = 0; index < object.ring_buffer_count; ++index) {
            names.emplace_back(object.ring_buffers[index]);
        }
        return names;
    }

    // ---- options (before start) ------------------------------------------

    // Overrides a declared option; the value must have the option's type.
    void set_option(const std::string &key, OptionValue value)
    {
        auto type = option_types_.find(key);
        if (type == option_types_.end()) {
            throw std::invalid_argument("the plugin declares no option " + key);
        }
        if (!fits(type->second, value)) {
            throw std::invalid_argument("option " + key + " has another type");
        }
        options_[key] = std::move(value);
    }
    void set_option(const std::string &key, const char *value) { set_option(key, OptionValue(std::string(value))); }
    // Overrides a declared option with a TOML literal, as a configuration file would.
    void set_option_literal(const std::string &key, std::string_view literal)
    {
        auto type = option_types_.find(key);
        if (type == option_types_.end()) {
            throw std::invalid_argument("the plugin declares no option " + key);
        }
        options_[key] = parse_toml_literal(literal, type->second);
    }
    const OptionValue &option(const std::string &key) const { return options_.at(key); }

    // ---- tables ----------------------------------------------------------

    FakeProcess &add_process(FakeProcess process)
    {
        auto tgid = process.tgid;
        auto &entry = processes_[tgid];
        entry.process = std::move(process);
        return entry.process;
    }
    void remove_process(uint32_t tgid) { processes_.erase(tgid); }
    void add_container(FakeContainer container)
    {
        auto cgroup = container.cgroup_id;
        containers_[cgroup].container = std::move(container);
    }
    void set_now(uint64_t now_ns) { now_ns_ = now_ns; }

    // What host_info() reports; set before start(). Paths may point at a test's own directories.
    struct HostFacts {
        std::string node_name = "test-node";
        std::string proc_root = "/proc";
        std::string cgroup2_root;
        uint32_t mnt_ns = 4026531841;
        uint32_t pid_ns = 4026531836;
        uint32_t net_ns = 4026531840;
    };
    void set_host_facts(HostFacts facts) { host_facts_ = std::move(facts); }

    // ---- lifecycle -------------------------------------------------------

    // Calls init with the options; returns its status. Call once.
    int start()
    {
        if (instance_ != nullptr) {
            throw std::logic_error("FakeHost::start called twice");
        }
        return hooks_.init(&api_, &config_view_, &instance_);
    }
    bool started() const { return instance_ != nullptr; }

    // Calls configure_bpf, recording the constants it sets; returns its status (0 if the plugin has none).
    int configure_bpf()
    {
        require_started();
        if (hooks_.configure_bpf == nullptr) {
            return 0;
        }
        return hooks_.configure_bpf(instance_, &bpf_setup_);
    }
    // "<object>.<variable>" -> the bytes set.
    const std::map<std::string, std::vector<unsigned char>> &constants() const { return constants_; }
    template <class T>
    std::optional<T> constant(const std::string &object, const std::string &variable) const
    {
        static_assert(std::is_trivially_copyable_v<T>);
        auto found = constants_.find(object + "." + variable);
        if (found == constants_.end() || found->second.size() != sizeof(T)) {
            return std::nullopt;
        }
        T value{};
        std::memcpy(&value, found->second.data(), sizeof(T));
        return value;
    }

    // ---- events ----------------------------------------------------------

    // A header for a record of @kind and @size bytes from process @tgid, filled
    // from the process table as the kernel side would (zeros for an unknown process).
    vigil_event_header header_for(uint32_t tgid, uint16_t kind, uint32_t size, uint16_t version = 1) const
    {
        vigil_event_header header{};
        header.size = size;
        header.kind = kind;
        header.version = version;
        header.timestamp_ns = now_ns_;
        header.tid = tgid;
        header.tgid = tgid;
        header.ns_tgid = tgid;
        if (auto found = processes_.find(tgid); found != processes_.end()) {
            const auto &process = found->second.process;
            header.parent_tgid = process.parent_tgid;
            header.ns_tgid = process.ns_tgid != 0 ? process.ns_tgid : tgid;
            header.uid = process.uid;
            header.gid = process.gid;
            header.cgroup_id = process.cgroup_id;
            header.mnt_ns = process.mnt_ns;
            header.pid_ns = process.pid_ns;
            header.net_ns = process.net_ns;
            std::string comm = process.comm;
            if (comm.empty()) {
                auto slash = process.exe.rfind('/');
                comm = slash == std::string::npos ? process.exe : process.exe.substr(slash + 1);
            }
            std::memcpy(header.comm, comm.data(), std::min(comm.size(), sizeof(header.comm) - 1));
        }
        return header;
    }

    // A zeroed @Record (a struct whose first member is `vigil_event_header header`) with its header filled.
    template <class Record>
    Record make_record(uint16_t kind, uint32_t tgid, uint16_t version = 1) const
    {
        static_assert(std::is_trivially_copyable_v<Record> && std::is_standard_layout_v<Record>);
        Record record{};
        record.header = header_for(tgid, kind, static_cast<uint32_t>(sizeof(Record)), version);
        return record;
    }

    // Hands raw record bytes (header first) to on_event; returns its status.
    int deliver_bytes(std::span<const unsigned char> bytes)
    {
        require_started();
        if (bytes.size() < sizeof(vigil_event_header)) {
            throw std::invalid_argument("a record is at least a vigil_event_header");
        }
        // Aligned storage of our own, as a ring buffer record would be.
        std::vector<uint64_t> storage((bytes.size() + sizeof(uint64_t) - 1) / sizeof(uint64_t));
        std::memcpy(storage.data(), bytes.data(), bytes.size());
        vigil_event_header header{};
        std::memcpy(&header, storage.data(), sizeof(header));

        vigil_event event{};
        event.struct_size = sizeof(event);
        event.kind = header.kind;
        event.record = storage.data();
        event.record_size = static_cast<uint32_t>(bytes.size());
        event.process = find_process(header.tgid);
        event.container = find_container(header.cgroup_id);
        if (hooks_.on_event == nullptr) {
            throw std::logic_error("the plugin has no on_event hook");
        }
        return hooks_.on_event(instance_, &event);
    }
    // Hands a Kubernetes audit event to on_event as the sensor does (ABI 1.4):
    // kind VIGIL_KIND_AUDIT_EVENT, a header with no process, no process or
    // container, the event in vigil_event.audit; struct_size is set here.
    // Unset strings should be "" (the sensor never passes NULL): see FakeAuditEvent.
    int deliver_audit(vigil_audit_event audit)
    {
        audit.struct_size = sizeof(audit);
        vigil_event event{};
        event.kind = VIGIL_KIND_AUDIT_EVENT;
        event.audit = &audit;
        return deliver_without_process(event);
    }
    int deliver_audit(const FakeAuditEvent &audit) { return deliver_audit(audit.view()); }

    // Hands another detector's alert to on_event as the sensor does (ABI 1.5):
    // kind VIGIL_KIND_ALERT_RAISED, a header with no process, no process or
    // container, the alert in vigil_event.alert; struct_size is set here.
    int deliver_alert(vigil_raised_alert alert)
    {
        alert.struct_size = sizeof(alert);
        vigil_event event{};
        event.kind = VIGIL_KIND_ALERT_RAISED;
        event.alert = &alert;
        return deliver_without_process(event);
    }
    int deliver_alert(const FakeRaisedAlert &alert) { return deliver_alert(alert.view()); }

private:
    // An event the sensor makes in user space (no process, no container): a
    // header of zeros but for size, kind and time, as the sensor passes it.
    int deliver_without_process(vigil_event &event)
    {
        require_started();
        vigil_event_header header{};
        header.size = sizeof(header);
        header.kind = static_cast<uint16_t>(event.kind);
        header.timestamp_ns = now_ns_;
        event.struct_size = sizeof(event);
        event.record = &header;
        event.record_size = sizeof(header);
        if (hooks_.on_event == nullptr) {
            throw std::logic_error("the plugin has no on_event hook");
        }
        return hooks_.on_event(instance_, &event);
    }

public:

    // Hands a record struct (header first) to on_event; returns its status.
    template <class Record>
        requires std::is_trivially_copyable_v<Record>
    int deliver(const Record &record)
    {
        return deliver_bytes(std::span(reinterpret_cast<const unsigned char *>(&record), sizeof(Record)));
    }
    // A record of @kind from @tgid: a filled header followed by @payload.
    int deliver_payload(uint16_t kind, uint32_t tgid, std::span<const unsigned char> payload, uint16_t version = 1)
    {
        std::vector<unsigned char> bytes(sizeof(vigil_event_header) + payload.size());
        auto header = header_for(tgid, kind, static_cast<uint32_t>(bytes.size()), version);
        std::memcpy(bytes.data(), &header, sizeof(header));
        if (!payload.empty()) {
            std::memcpy(bytes.data() + sizeof(header), payload.data(), payload.size());
        }
        return deliver_bytes(bytes);
    }

    void tick(uint64_t now_ns)
    {
        require_started();
        now_ns_ = now_ns;
        if (hooks_.on_tick != nullptr) {
            hooks_.on_tick(instance_, now_ns);
        }
    }

    // ---- what the plugin did ----------------------------------------------

    std::vector<RecordedAlert> &alerts() { return alerts_; }
    const std::vector<RecordedAlert> &alerts() const { return alerts_; }
    void clear_alerts() { alerts_.clear(); }
    const std::vector<RecordedLog> &logs() const { return logs_; }
    // Misuse of the ABI the host noticed (refused alerts, unknown BPF objects...); empty for a correct plugin.
    const std::vector<std::string> &problems() const { return problems_; }
    // A counter's value by its full name "<plugin>_<name>"; 0 if never added to.
    uint64_t metric(const std::string &name) const
    {
        for (const auto &metric : metrics_) {
            if (metric.name == name) {
                return metric.value;
            }
        }
        return 0;
    }

private:
    struct ProcessEntry {
        FakeProcess process;
        vigil_process view{};
    };
    struct ContainerEntry {
        FakeContainer container;
        vigil_container view{};
    };
    struct Metric {
        std::string name;
        uint64_t value = 0;
    };

    // Finds the entry point and checks the descriptor the way the sensor does.
    void load(const std::string &plugin_path)
    {
        auto entry = reinterpret_cast<vigil_plugin_entry_fn>(dlsym(handle_, VIGIL_PLUGIN_ENTRY_SYMBOL));
        if (entry == nullptr) {
            throw std::runtime_error(plugin_path + " exports no " VIGIL_PLUGIN_ENTRY_SYMBOL);
        }
        descriptor_ = entry();
        if (descriptor_ == nullptr) {
            throw std::runtime_error(plugin_path + ": the entry point returned no descriptor");
        }
        // struct_size and abi_major before anything else.
        if (descriptor_->struct_size < offsetof(vigil_plugin_descriptor, abi_minor)) {
            throw std::runtime_error(plugin_path + ": descriptor too small to hold abi_major");
        }
        if (descriptor_->abi_major != VIGIL_ABI_MAJOR) {
            throw std::runtime_error(plugin_path + ": built for ABI major " + std::to_string(descriptor_->abi_major) +
                                     ", this host speaks " + std::to_string(VIGIL_ABI_MAJOR));
        }
        if (!VIGIL_HAS_FIELD(descriptor_, vigil_plugin_descriptor, hooks) || descriptor_->hooks == nullptr ||
            descriptor_->name == nullptr) {
            throw std::runtime_error(plugin_path + ": descriptor without name or hooks");
        }
        // Hooks a plugin built against an older minor does not have read as NULL.
        hooks_ = abi_copy(descriptor_->hooks);
        if (hooks_.init == nullptr) {
            throw std::runtime_error(plugin_path + ": no init hook");
        }
        for (const auto *key : config_keys()) {
            if (key->name == nullptr || key->default_value == nullptr) {
                throw std::runtime_error(plugin_path + ": a config key without name or default");
            }
            // A default that does not parse is a plugin bug: std::invalid_argument says which.
            options_[key->name] = parse_toml_literal(key->default_value, static_cast<vigil_config_type>(key->type));
            option_types_[key->name] = static_cast<vigil_config_type>(key->type);
        }
    }

    void require_started() const
    {
        if (instance_ == nullptr) {
            throw std::logic_error("the plugin is not started (FakeHost::start)");
        }
    }

    template <class T>
    static std::vector<const T *> each(const T *array, uint32_t count)
    {
        std::vector<const T *> items;
        for (uint32_t index = 0; index < count && array != nullptr; ++index) {
            items.push_back(abi_array_at(array, index));
        }
        return items;
    }

    static bool fits(vigil_config_type type, const OptionValue &value)
    {
        switch (type) {
        case VIGIL_CONFIG_BOOL:
            return std::holds_alternative<bool>(value);
        case VIGIL_CONFIG_INTEGER:
            return std::holds_alternative<int64_t>(value);
        case VIGIL_CONFIG_FLOAT:
            return std::holds_alternative<double>(value);
        case VIGIL_CONFIG_STRING:
            return std::holds_alternative<std::string>(value);
        case VIGIL_CONFIG_STRING_LIST:
            return std::holds_alternative<std::vector<std::string>>(value);
        }
        return false;
    }

    const vigil_process *find_process(uint32_t tgid)
    {
        auto found = processes_.find(tgid);
        if (found == processes_.end()) {
            return nullptr;
        }
        auto &entry = found->second;
        const auto &process = entry.process;
        entry.view = vigil_process{};
        entry.view.struct_size = sizeof(vigil_process);
        entry.view.tgid = process.tgid;
        entry.view.ns_tgid = process.ns_tgid != 0 ? process.ns_tgid : process.tgid;
        entry.view.parent_tgid = process.parent_tgid;
        entry.view.uid = process.uid;
        entry.view.gid = process.gid;
        entry.view.start_ns = process.start_ns;
        entry.view.cgroup_id = process.cgroup_id;
        entry.view.mnt_ns = process.mnt_ns;
        entry.view.pid_ns = process.pid_ns;
        entry.view.net_ns = process.net_ns;
        entry.view.exited = process.exited ? 1 : 0;
        entry.view.exe = process.exe.c_str();
        entry.view.cmdline = process.cmdline.c_str();
        return &entry.view;
    }

    const vigil_container *find_container(uint64_t cgroup_id)
    {
        auto found = containers_.find(cgroup_id);
        if (found == containers_.end()) {
            return nullptr;
        }
        auto &entry = found->second;
        entry.view = vigil_container{};
        entry.view.struct_size = sizeof(vigil_container);
        entry.view.cgroup_id = entry.container.cgroup_id;
        entry.view.id = entry.container.id.c_str();
        entry.view.runtime = entry.container.runtime.c_str();
        entry.view.pod_uid = entry.container.pod_uid.c_str();
        entry.view.cgroup_path = entry.container.cgroup_path.c_str();
        return &entry.view;
    }

    bool declared(const vigil_attack_ref *list, uint32_t count, const char *id) const
    {
        for (const auto *ref : each(list, count)) {
            if (ref->id != nullptr && id != nullptr && std::strcmp(ref->id, id) == 0) {
                return true;
            }
        }
        return false;
    }

    int record_alert(const vigil_alert_request *request)
    {
        if (request == nullptr) {
            problems_.push_back("emit_alert without a request");
            return -EINVAL;
        }
        auto alert_request = abi_copy(request);
        std::string prefix = std::string(descriptor_->name) + ".";
        auto refuse = [&](const std::string &why) {
            problems_.push_back("alert " + std::string(alert_request.rule != nullptr ? alert_request.rule : "?") +
                                " refused: " + why);
            return -EINVAL;
        };
        if (alert_request.rule == nullptr || !std::string_view(alert_request.rule).starts_with(prefix) ||
            std::strlen(alert_request.rule) == prefix.size()) {
            return refuse("the rule id must be \"" + prefix + "<name>\"");
        }
        if (alert_request.severity > VIGIL_SEVERITY_CRITICAL) {
            return refuse("unknown severity " + std::to_string(alert_request.severity));
        }
        if (alert_request.summary == nullptr || alert_request.summary[0] == '\0') {
            return refuse("no summary");
        }
        RecordedAlert alert;
        alert.rule = alert_request.rule;
        alert.severity = static_cast<vigil_severity>(alert_request.severity);
        alert.summary = alert_request.summary;
        for (const auto *tactic : each(alert_request.tactics, alert_request.tactic_count)) {
            if (!declared(descriptor_->tactics, descriptor_->tactic_count, tactic->id)) {
                return refuse(std::string("tactic ") + (tactic->id ? tactic->id : "?") + " is not in the descriptor");
            }
            alert.tactics.emplace_back(tactic->id);
        }
        for (const auto *technique : each(alert_request.techniques, alert_request.technique_count)) {
            if (!declared(descriptor_->techniques, descriptor_->technique_count, technique->id)) {
                return refuse(std::string("technique ") + (technique->id ? technique->id : "?") +
                              " is not in the descriptor");
            }
            alert.techniques.emplace_back(technique->id);
        }
        for (const auto *field : each(alert_request.evidence, alert_request.evidence_count)) {
            if (field->key == nullptr || field->key[0] == '\0') {
                return refuse("an evidence field without a key");
            }
            std::string key = field->key;
            if (alert.evidence.contains(key)) {
                return refuse("evidence " + key + " given twice");
            }
            alert.evidence_types[key] = field->type;
            switch (field->type) {
            case VIGIL_EVIDENCE_STRING:
                if (field->string_value == nullptr) {
                    return refuse("evidence " + key + " has no string");
                }
                alert.evidence[key] = field->string_value;
                break;
            case VIGIL_EVIDENCE_INTEGER:
                alert.evidence[key] = std::to_string(field->integer_value);
                break;
            case VIGIL_EVIDENCE_UNSIGNED:
                alert.evidence[key] = std::to_string(field->unsigned_value);
                break;
            case VIGIL_EVIDENCE_BOOL:
                alert.evidence[key] = field->integer_value != 0 ? "true" : "false";
                break;
            case VIGIL_EVIDENCE_STRING_LIST: {
                std::vector<std::string> items;
                std::string text = "[";
                for (uint32_t index = 0; index < field->list_count; ++index) {
                    if (field->list_values == nullptr || field->list_values[index] == nullptr) {
                        return refuse("evidence " + key + " has a missing list item");
                    }
                    items.emplace_back(field->list_values[index]);
                    text += (index > 0 ? ", \"" : "\"") + items.back() + "\"";
                }
                alert.evidence[key] = text + "]";
                alert.evidence_lists[key] = std::move(items);
                break;
            }
            default:
                return refuse("evidence " + key + " has an unknown type");
            }
        }
        if (alert_request.dedup_key != nullptr) {
            alert.dedup_key = alert_request.dedup_key;
        }
        if (alert_request.event != nullptr) {
            alert.has_event = true;
            alert.event_kind = alert_request.event->kind;
            if (alert_request.event->record != nullptr && alert_request.event->record_size >= sizeof(vigil_event_header)) {
                vigil_event_header header{};
                std::memcpy(&header, alert_request.event->record, sizeof(header));
                alert.event_tgid = header.tgid;
            }
        }
        alert.subject_tgid = alert_request.subject_tgid;
        alerts_.push_back(std::move(alert));
        return 0;
    }

    const OptionValue *find_option(const char *key) const
    {
        if (key == nullptr) {
            return nullptr;
        }
        auto found = options_.find(key);
        return found == options_.end() ? nullptr : &found->second;
    }

    void fill_api()
    {
        api_.struct_size = sizeof(api_);
        api_.abi_major = VIGIL_ABI_MAJOR;
        api_.abi_minor = VIGIL_ABI_MINOR;
        api_.context = this;
        api_.log = [](void *context, uint32_t level, const char *message) {
            self(context)->logs_.push_back({level, message != nullptr ? message : ""});
        };
        api_.emit_alert = [](void *context, const vigil_alert_request *alert) {
            return self(context)->record_alert(alert);
        };
        api_.find_process = [](void *context, uint32_t tgid) { return self(context)->find_process(tgid); };
        api_.process_ancestry = [](void *context, uint32_t tgid, const vigil_process **ancestors, uint32_t capacity) {
            auto *host = self(context);
            uint32_t count = 0;
            auto found = host->processes_.find(tgid);
            uint32_t parent = found != host->processes_.end() ? found->second.process.parent_tgid : 0;
            while (count < capacity && parent != 0 && parent != tgid) {
                const auto *process = host->find_process(parent);
                if (process == nullptr) {
                    break;
                }
                ancestors[count++] = process;
                if (process->tgid == 1 || process->parent_tgid == process->tgid) {
                    break;
                }
                parent = process->parent_tgid;
            }
            return count;
        };
        api_.find_container = [](void *context, uint64_t cgroup_id) {
            return self(context)->find_container(cgroup_id);
        };
        api_.metric_register = [](void *context, const char *name, const char *) {
            auto *host = self(context);
            host->metrics_.push_back({std::string(host->descriptor_->name) + "_" + (name != nullptr ? name : ""), 0});
            return static_cast<uint32_t>(host->metrics_.size() - 1);
        };
        api_.metric_add = [](void *context, uint32_t metric, uint64_t delta) {
            auto *host = self(context);
            if (metric < host->metrics_.size()) {
                host->metrics_[metric].value += delta;
            } else {
                host->problems_.push_back("metric_add on an unregistered metric " + std::to_string(metric));
            }
        };
        api_.now_ns = [](void *context) { return self(context)->now_ns_; };
        api_.find_process_in_namespace = [](void *context, uint32_t pid_ns, uint32_t ns_tgid) {
            auto *host = self(context);
            for (auto &[tgid, entry] : host->processes_) {
                uint32_t own = entry.process.ns_tgid != 0 ? entry.process.ns_tgid : tgid;
                if (entry.process.pid_ns == pid_ns && own == ns_tgid) {
                    return host->find_process(tgid);
                }
            }
            return static_cast<const vigil_process *>(nullptr);
        };

        api_.host_info = [](void *context) {
            auto *host = self(context);
            const auto &facts = host->host_facts_;
            host->host_info_ = vigil_host_info{sizeof(vigil_host_info), facts.node_name.c_str(), facts.proc_root.c_str(),
                                               facts.cgroup2_root.c_str(), facts.mnt_ns, facts.pid_ns, facts.net_ns};
            return static_cast<const vigil_host_info *>(&host->host_info_);
        };

        config_view_.struct_size = sizeof(config_view_);
        config_view_.context = this;
        config_view_.get_bool = [](const void *context, const char *key, int *value) {
            const auto *option = cself(context)->find_option(key);
            if (option == nullptr) {
                return -ENOENT;
            }
            if (!std::holds_alternative<bool>(*option)) {
                return -EINVAL;
            }
            *value = std::get<bool>(*option) ? 1 : 0;
            return 0;
        };
        config_view_.get_integer = [](const void *context, const char *key, int64_t *value) {
            const auto *option = cself(context)->find_option(key);
            if (option == nullptr) {
                return -ENOENT;
            }
            if (!std::holds_alternative<int64_t>(*option)) {
                return -EINVAL;
            }
            *value = std::get<int64_t>(*option);
            return 0;
        };
        config_view_.get_float = [](const void *context, const char *key, double *value) {
            const auto *option = cself(context)->find_option(key);
            if (option == nullptr) {
                return -ENOENT;
            }
            if (!std::holds_alternative<double>(*option)) {
                return -EINVAL;
            }
            *value = std::get<double>(*option);
            return 0;
        };
        config_view_.get_string = [](const void *context, const char *key) -> const char * {
            const auto *option = cself(context)->find_option(key);
            if (option == nullptr || !std::holds_alternative<std::string>(*option)) {
                return nullptr;
            }
            return std::get<std::string>(*option).c_str();
        };
        config_view_.get_list_size = [](const void *context, const char *key) -> uint32_t {
            const auto *option = cself(context)->find_option(key);
            if (option == nullptr || !std::holds_alternative<std::vector<std::string>>(*option)) {
                return 0;
            }
            return static_cast<uint32_t>(std::get<std::vector<std::string>>(*option).size());
        };
        config_view_.get_list_item = [](const void *context, const char *key, uint32_t index) -> const char * {
            const auto *option = cself(context)->find_option(key);
            if (option == nullptr || !std::holds_alternative<std::vector<std::string>>(*option)) {
                return nullptr;
            }
            const auto &items = std::get<std::vector<std::string>>(*option);
            return index < items.size() ? items[index].c_str() : nullptr;
        };

        bpf_setup_.struct_size = sizeof(bpf_setup_);
        bpf_setup_.context = this;
        bpf_setup_.set_constant = [](void *context, const char *object, const char *variable, const void *value,
                                     size_t size) {
            auto *host = self(context);
            bool known = false;
            for (const auto *candidate : host->bpf_objects()) {
                known = known || (object != nullptr && candidate->name != nullptr &&
                                  std::strcmp(candidate->name, object) == 0);
            }
            if (!known || variable == nullptr || value == nullptr || size == 0) {
                host->problems_.push_back(std::string("set_constant on ") + (object ? object : "?") + "." +
                                          (variable ? variable : "?") + ": no such object, or no value");
                return -ENOENT;
            }
            const auto *bytes = static_cast<const unsigned char *>(value);
            host->constants_[std::string(object) + "." + variable] = std::vector<unsigned char>(bytes, bytes + size);
            return 0;
        };
    }

    static FakeHost *self(void *context) { return static_cast<FakeHost *>(context); }
    static const FakeHost *cself(const void *context) { return static_cast<const FakeHost *>(context); }

    void *handle_ = nullptr;
    const vigil_plugin_descriptor *descriptor_ = nullptr;
    vigil_plugin_hooks hooks_{};
    void *instance_ = nullptr;
    vigil_host_api api_{};
    vigil_config_view config_view_{};
    vigil_bpf_setup bpf_setup_{};
    std::map<std::string, OptionValue> options_;
    std::map<std::string, vigil_config_type> option_types_;
    std::map<uint32_t, ProcessEntry> processes_;
    std::map<uint64_t, ContainerEntry> containers_;
    std::map<std::string, std::vector<unsigned char>> constants_;
    std::vector<RecordedAlert> alerts_;
    std::vector<RecordedLog> logs_;
    std::vector<std::string> problems_;
    std::vector<Metric> metrics_;
    uint64_t now_ns_ = 1'000'000'000;
    HostFacts host_facts_;
    vigil_host_info host_info_{};
};

} // namespace vigil::testing
