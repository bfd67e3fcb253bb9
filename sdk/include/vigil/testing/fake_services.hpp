// SPDX-License-Identifier: Apache-2.0
// The host services a plugin calls (struct vigil_host_api): log lines and
// counters are recorded, lookups answered from the test's tables, alerts
// handed to the alert capture, the clock and the node's facts set by the
// test. Every hook a test drives (detector or output) sees this one API.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <vigil/plugin_abi.h>
#include <vigil/testing/alert_capture.hpp>
#include <vigil/testing/fake_tables.hpp>
#include <vigil/testing/plugin_under_test.hpp>

namespace vigil::testing {

struct RecordedLog {
    uint32_t level = 0; // enum vigil_log_level
    std::string message;
};

// What host_info() reports (ABI 1.1). Paths may point at a test's own directories.
struct HostFacts {
    std::string node_name = "test-node";
    std::string proc_root = "/proc";
    std::string cgroup2_root;
    uint32_t mnt_ns = 4026531841;
    uint32_t pid_ns = 4026531836;
    uint32_t net_ns = 4026531840;
    uint64_t started_ns = 1'000'000'000; // ABI 1.7: when the sensor started (CLOCK_BOOTTIME)
};

class FakeServices {
public:
    explicit FakeServices(const PluginUnderTest &plugin)
        : plugin_name_(plugin.name()), capture_(plugin.descriptor(), problems_)
    {
        fill_api();
    }

    // api() points at this object.
    FakeServices(const FakeServices &) = delete;
    FakeServices &operator=(const FakeServices &) = delete;

    const vigil_host_api *api() const { return &api_; }

    FakeTables &tables() { return tables_; }
    AlertCapture &capture() { return capture_; }
    const AlertCapture &capture() const { return capture_; }

    // CLOCK_BOOTTIME as now_ns() and event headers report it.
    uint64_t now() const { return now_ns_; }
    void set_now(uint64_t now_ns) { now_ns_ = now_ns; }
    void set_host_facts(HostFacts facts) { host_facts_ = std::move(facts); }
    // What state_directory() reports (ABI 1.7): "" (the default) for none. Like the
    // sensor, the first call creates it, owner-only, and reports "" if it cannot.
    void set_state_directory(std::string directory) { state_directory_setting_ = std::move(directory); }
    // What records_lost() reports (ABI 1.7).
    void set_records_lost(uint64_t count) { records_lost_ = count; }

    // The event on_event is handling, or nullptr: the only one whose process
    // and container the sensor gives an alert that names it.
    void set_current_event(const vigil_event *event) { current_event_ = event; }

    const std::vector<RecordedLog> &logs() const { return logs_; }
    // Misuse of the ABI the host noticed (refused alerts, alert lint, unknown
    // BPF objects, unregistered metrics...); empty for a correct plugin.
    const std::vector<std::string> &problems() const { return problems_; }
    void note_problem(std::string problem) { problems_.push_back(std::move(problem)); }

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

    // What the plugin wrote with map_update into map @map of its object @object: key bytes -> value bytes.
    const std::map<std::string, std::string> &map_entries(const std::string &object, const std::string &map)
    {
        return maps_[object + "/" + map];
    }

private:
    struct Metric {
        std::string name;
        uint64_t value = 0;
    };

    static FakeServices *self(void *context) { return static_cast<FakeServices *>(context); }

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
            auto *host = self(context);
            return host->capture_.capture(alert, host->current_event_);
        };
        api_.find_process = [](void *context, uint32_t tgid) { return self(context)->tables_.find_process(tgid); };
        api_.process_ancestry = [](void *context, uint32_t tgid, const vigil_process **ancestors, uint32_t capacity) {
            return self(context)->tables_.ancestry(tgid, ancestors, capacity);
        };
        api_.find_container = [](void *context, uint64_t cgroup_id) {
            return self(context)->tables_.find_container(cgroup_id);
        };
        api_.metric_register = [](void *context, const char *name, const char *) {
            auto *host = self(context);
            host->metrics_.push_back({host->plugin_name_ + "_" + (name != nullptr ? name : ""), 0});
            return static_cast<uint32_t>(host->metrics_.size() - 1);
        };
        api_.metric_add = [](void *context, uint32_t metric, uint64_t delta) {
            auto *host = self(context);
            if (metric < host->metrics_.size()) {
                host->metrics_[metric].value += delta;
            } else {
                host->note_problem("metric_add on an unregistered metric " + std::to_string(metric));
            }
        };
        api_.now_ns = [](void *context) { return self(context)->now_ns_; };
        api_.find_process_in_namespace = [](void *context, uint32_t pid_ns, uint32_t ns_tgid) {
            return self(context)->tables_.find_process_in_namespace(pid_ns, ns_tgid);
        };
        api_.host_info = [](void *context) {
            auto *host = self(context);
            const auto &facts = host->host_facts_;
            host->host_info_ = vigil_host_info{sizeof(vigil_host_info),
                                               facts.node_name.c_str(),
                                               facts.proc_root.c_str(),
                                               facts.cgroup2_root.c_str(),
                                               facts.mnt_ns,
                                               facts.pid_ns,
                                               facts.net_ns,
                                               facts.started_ns};
            return static_cast<const vigil_host_info *>(&host->host_info_);
        };
        api_.state_directory = [](void *context) { return self(context)->state_directory().c_str(); };
        api_.records_lost = [](void *context) { return self(context)->records_lost_; };
        // No kernel: map writes land in maps_, keyed by "<object>/<map>", bytes of the key to bytes of the value.
        api_.map_update = [](void *context, const char *object, const char *map, const void *key, uint32_t key_size,
                             const void *value, uint32_t value_size) {
            auto &entries = self(context)->maps_[std::string(object) + "/" + map];
            entries[std::string(static_cast<const char *>(key), key_size)] =
                std::string(static_cast<const char *>(value), value_size);
            return 0;
        };
        api_.map_delete = [](void *context, const char *object, const char *map, const void *key, uint32_t key_size) {
            self(context)->maps_[std::string(object) + "/" + map].erase(
                std::string(static_cast<const char *>(key), key_size));
            return 0;
        };
    }

    const std::string &state_directory()
    {
        if (!state_directory_) {
            state_directory_ = state_directory_setting_;
            std::error_code error;
            if (!state_directory_->empty()) {
                std::filesystem::create_directories(*state_directory_, error);
                if (!error) {
                    std::filesystem::permissions(*state_directory_, std::filesystem::perms::owner_all,
                                                 std::filesystem::perm_options::replace, error);
                }
                if (error) {
                    note_problem("cannot create the state directory " + *state_directory_ + ": " + error.message());
                    state_directory_->clear();
                }
            }
        }
        return *state_directory_;
    }

    std::string plugin_name_;
    std::vector<std::string> problems_; // before capture_, which writes to it
    AlertCapture capture_;
    FakeTables tables_;
    std::vector<RecordedLog> logs_;
    std::vector<Metric> metrics_;
    uint64_t now_ns_ = 1'000'000'000;
    HostFacts host_facts_;
    vigil_host_info host_info_{};
    std::string state_directory_setting_;
    std::optional<std::string> state_directory_; // fixed at the first call, as the sensor's
    uint64_t records_lost_ = 0;
    std::map<std::string, std::map<std::string, std::string>> maps_;
    const vigil_event *current_event_ = nullptr;
    vigil_host_api api_{};
};

} // namespace vigil::testing
