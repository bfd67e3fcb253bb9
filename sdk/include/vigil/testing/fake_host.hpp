// SPDX-License-Identifier: Apache-2.0
// A stand-in for the sensor, for testing a plugin through its real shared
// object without a kernel, root or the sensor itself. Header-only; link the
// test with ${CMAKE_DL_LIBS}. Including this header includes every part.
//
// A detector:
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
//   CHECK(host.problems().empty());                     // no refusal, no lint
//
// An output:
//
//   vigil::testing::FakeHost host(PLUGIN_PATH);
//   REQUIRE(host.start() == 0);
//   vigil::testing::SampleAlert sample;
//   auto alert = sample.view();
//   auto delivery = host.format_and_send({&alert});    // format, then send
//   CHECK(delivery.result.status == VIGIL_SEND_OK);
//
// What it does like the sensor: it checks the descriptor's struct_size and
// abi_major before anything else; gives every declared option a value (its
// default, parsed from the TOML literal, unless the test set another);
// resolves an event's process and container from the tables the test fills;
// copies every alert as the sensor does, refusing only what the sensor
// refuses and recording the rest of what is wrong as lint; and formats and
// sends an output's batches as a delivery thread does.
//
// What it does not do: load BPF objects (configure_bpf only records the
// constants set), queue, batch or retry alerts for an output, or parse TOML
// beyond the literals defaults use: true/false, integers, floats, "strings"
// and 'strings', and ["lists", "of", "strings"].
//
// The parts, one job each:
//   plugin_under_test.hpp  dlopen, the entry point and the descriptor's checks
//   option_literals.hpp    option values, and the TOML literals of their defaults
//   fake_options.hpp       the options init reads (struct vigil_config_view)
//   fake_tables.hpp        the process and container tables a test fills
//   alert_capture.hpp      emit_alert: the sensor's copy of an alert, its refusals and lint
//   fake_services.hpp      the host services (struct vigil_host_api)
//   event_feed.hpp         records, audit events and raised alerts as on_event receives them
//   detector_driver.hpp    configure_bpf, on_event and on_tick, as the event thread calls them
//   output_driver.hpp      format and send, as a delivery thread calls them
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <vigil/plugin_abi.h>
#include <vigil/testing/alert_capture.hpp>
#include <vigil/testing/detector_driver.hpp>
#include <vigil/testing/event_feed.hpp>
#include <vigil/testing/fake_audit_event.hpp>
#include <vigil/testing/fake_options.hpp>
#include <vigil/testing/fake_raised_alert.hpp>
#include <vigil/testing/fake_services.hpp>
#include <vigil/testing/fake_tables.hpp>
#include <vigil/testing/option_literals.hpp>
#include <vigil/testing/output_driver.hpp>
#include <vigil/testing/plugin_under_test.hpp>
#include <vigil/testing/sample_alert.hpp>

namespace vigil::testing {

// One plugin under test, and the sensor around it. Every member below hands
// the work to the part named in its section.
class FakeHost {
public:
    using HostFacts = testing::HostFacts;

    // Loads the plugin at @plugin_path and checks its descriptor; throws std::runtime_error if it cannot.
    explicit FakeHost(const std::string &plugin_path)
        : plugin_(plugin_path), options_(plugin_.config_keys()), services_(plugin_),
          detector_(plugin_, instance_, services_), output_(plugin_, instance_, services_)
    {
    }

    ~FakeHost()
    {
        if (instance_ != nullptr && plugin_.hooks().destroy != nullptr) {
            plugin_.hooks().destroy(instance_);
        }
    }

    FakeHost(const FakeHost &) = delete;
    FakeHost &operator=(const FakeHost &) = delete;

    // ---- the descriptor (PluginUnderTest) -------------------------------

    const vigil_plugin_descriptor &descriptor() const { return plugin_.descriptor(); }
    // The plugin's hooks, those beyond its struct_size NULL.
    const vigil_plugin_hooks &hooks() const { return plugin_.hooks(); }
    std::vector<const vigil_config_key *> config_keys() const { return plugin_.config_keys(); }
    const vigil_config_key *config_key(std::string_view name) const { return plugin_.config_key(name); }
    std::vector<const vigil_attack_ref *> tactics() const { return plugin_.tactics(); }
    std::vector<const vigil_attack_ref *> techniques() const { return plugin_.techniques(); }
    std::vector<const vigil_bpf_object *> bpf_objects() const { return plugin_.bpf_objects(); }
    static std::vector<const vigil_bpf_program *> programs(const vigil_bpf_object &object)
    {
        return PluginUnderTest::programs(object);
    }
    static std::vector<std::string> ring_buffers(const vigil_bpf_object &object)
    {
        return PluginUnderTest::ring_buffers(object);
    }

    // ---- options, before start (FakeOptions) -------------------------------

    // Overrides a declared option; the value must have the option's type.
    void set_option(const std::string &key, OptionValue value) { options_.set(key, std::move(value)); }
    void set_option(const std::string &key, const char *value) { options_.set(key, OptionValue(std::string(value))); }
    // Overrides a declared option with a TOML literal, as a configuration file would.
    void set_option_literal(const std::string &key, std::string_view literal) { options_.set_literal(key, literal); }
    const OptionValue &option(const std::string &key) const { return options_.get(key); }

    // ---- tables, clock and node (FakeTables, FakeServices) -----------------

    FakeProcess &add_process(FakeProcess process) { return services_.tables().add_process(std::move(process)); }
    void remove_process(uint32_t tgid) { services_.tables().remove_process(tgid); }
    // A container find_container and events resolve to; its pod fields (ABI 1.7) as the test sets them.
    void add_container(FakeContainer container) { services_.tables().add_container(std::move(container)); }
    void set_now(uint64_t now_ns) { services_.set_now(now_ns); }
    // What host_info() reports; set before start().
    void set_host_facts(HostFacts facts) { services_.set_host_facts(std::move(facts)); }
    // What state_directory() reports (ABI 1.7), created on the plugin's first call; set before start().
    void set_state_directory(std::string directory) { services_.set_state_directory(std::move(directory)); }
    // What records_lost() reports (ABI 1.7); may change at any time.
    void set_records_lost(uint64_t count) { services_.set_records_lost(count); }
    // What the plugin wrote into map @map of its BPF object @object (ABI 1.7 map_update): key bytes -> value bytes.
    const std::map<std::string, std::string> &map_entries(const std::string &object, const std::string &map)
    {
        return services_.map_entries(object, map);
    }

    // ---- lifecycle -------------------------------------------------------

    // Calls init with the options; returns its status. Call once.
    int start()
    {
        if (instance_ != nullptr) {
            throw std::logic_error("FakeHost::start called twice");
        }
        return plugin_.hooks().init(services_.api(), options_.view(), &instance_);
    }
    bool started() const { return instance_ != nullptr; }
    // The instance init made, for handing the plugin to a real delivery thread; nullptr before start.
    void *instance() const { return instance_; }

    // ---- a detector's hooks (DetectorDriver, EventFeed) ---------------------

    // Calls configure_bpf, recording the constants it sets; returns its status (0 if the plugin has none).
    int configure_bpf() { return detector_.configure_bpf(); }
    // "<object>.<variable>" -> the bytes set.
    const std::map<std::string, std::vector<unsigned char>> &constants() const { return detector_.constants(); }
    // "<object>.<program>" -> why configure_bpf left it out on this kernel.
    const std::map<std::string, std::string> &skipped_programs() const { return detector_.skipped_programs(); }
    template <class T> std::optional<T> constant(const std::string &object, const std::string &variable) const
    {
        return detector_.constant<T>(object, variable);
    }

    // A header for a record of @kind and @size bytes from process @tgid, filled
    // from the process table as the kernel side would (zeros for an unknown process).
    vigil_event_header header_for(uint32_t tgid, uint16_t kind, uint32_t size, uint16_t version = 1) const
    {
        return detector_.feed().header_for(tgid, kind, size, version);
    }
    // A zeroed @Record (a struct whose first member is `vigil_event_header header`) with its header filled.
    template <class Record> Record make_record(uint16_t kind, uint32_t tgid, uint16_t version = 1) const
    {
        return detector_.feed().make_record<Record>(kind, tgid, version);
    }

    // Hands raw record bytes (header first) to on_event; returns its status.
    int deliver_bytes(std::span<const unsigned char> bytes) { return detector_.deliver_bytes(bytes); }
    // Hands a record struct (header first) to on_event; returns its status.
    template <class Record> int deliver(const Record &record) { return detector_.deliver(record); }
    // A record of @kind from @tgid: a filled header followed by @payload.
    int deliver_payload(uint16_t kind, uint32_t tgid, std::span<const unsigned char> payload, uint16_t version = 1)
    {
        return detector_.deliver_payload(kind, tgid, payload, version);
    }
    // A Kubernetes audit event, as the sensor hands it on (ABI 1.4).
    int deliver_audit(const vigil_audit_event &audit) { return detector_.deliver_audit(audit); }
    int deliver_audit(const FakeAuditEvent &audit) { return detector_.deliver_audit(audit); }
    // Another detector's alert, as the sensor hands it on (ABI 1.5).
    int deliver_alert(const vigil_raised_alert &alert) { return detector_.deliver_alert(alert); }
    int deliver_alert(const FakeRaisedAlert &alert) { return detector_.deliver_alert(alert); }

    // Sets the clock to @now_ns and calls on_tick.
    void tick(uint64_t now_ns) { detector_.tick(now_ns); }

    // ---- an output's hooks (OutputDriver) ----------------------------------

    // format alone: the request it wrote and how many alerts it took.
    FormattedRequest format(std::span<const vigil_alert *const> alerts) { return output_.format(alerts); }
    FormattedRequest format(std::initializer_list<const vigil_alert *> alerts) { return output_.format(alerts); }
    // send alone, of a request the test wrote or sends again.
    vigil_send_result send(std::string_view request) { return output_.send(request); }
    // format, then send when format succeeded: one pass of a delivery thread.
    OutputDelivery format_and_send(std::span<const vigil_alert *const> alerts)
    {
        return output_.format_and_send(alerts);
    }
    OutputDelivery format_and_send(std::initializer_list<const vigil_alert *> alerts)
    {
        return output_.format_and_send(alerts);
    }

    // ---- what the plugin did (AlertCapture, FakeServices) -------------------

    std::vector<RecordedAlert> &alerts() { return services_.capture().alerts(); }
    const std::vector<RecordedAlert> &alerts() const { return services_.capture().alerts(); }
    void clear_alerts() { services_.capture().clear(); }
    const std::vector<RecordedLog> &logs() const { return services_.logs(); }
    // What the sensor would have accepted but warned about, clamped, cut or dropped in an alert.
    const std::vector<std::string> &lint() const { return services_.capture().lint(); }
    // Misuse of the ABI the host noticed: refused alerts, alert lint, unknown
    // BPF objects, unregistered metrics...; empty for a correct plugin.
    const std::vector<std::string> &problems() const { return services_.problems(); }
    // A counter's value by its full name "<plugin>_<name>"; 0 if never added to.
    uint64_t metric(const std::string &name) const { return services_.metric(name); }

private:
    // Declared in the order they are built; the plugin is unloaded last.
    PluginUnderTest plugin_;
    FakeOptions options_;
    FakeServices services_;
    void *instance_ = nullptr;
    DetectorDriver detector_;
    OutputDriver output_;
};

} // namespace vigil::testing
