// SPDX-License-Identifier: Apache-2.0
// Events as the sensor hands them to on_event, built from what a test states:
// a BPF record gets the header the kernel side would write (from the fake
// process table) and the process and container the sensor would resolve; a
// Kubernetes audit event (ABI 1.4) and another detector's alert (ABI 1.5) come
// as the sensor makes them in user space, with a header that names no process.
// Each vigil_event lives only while the function it is handed to runs, as it
// does in the sensor.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <vigil/bpf/event.h>
#include <vigil/plugin_abi.h>
#include <vigil/testing/fake_services.hpp>

namespace vigil::testing {

class EventFeed {
public:
    explicit EventFeed(FakeServices &services) : services_(services) {}

    // A header for a record of @kind and @size bytes from process @tgid, filled
    // from the process table as the kernel side would (zeros for an unknown process).
    vigil_event_header header_for(uint32_t tgid, uint16_t kind, uint32_t size, uint16_t version = 1) const
    {
        vigil_event_header header{};
        header.size = size;
        header.kind = kind;
        header.version = version;
        header.timestamp_ns = services_.now();
        header.tid = tgid;
        header.tgid = tgid;
        header.ns_tgid = tgid;
        if (const auto *process = services_.tables().process(tgid)) {
            header.parent_tgid = process->parent_tgid;
            header.ns_tgid = process->ns_tgid != 0 ? process->ns_tgid : tgid;
            header.uid = process->uid;
            header.gid = process->gid;
            header.cgroup_id = process->cgroup_id;
            header.mnt_ns = process->mnt_ns;
            header.pid_ns = process->pid_ns;
            header.net_ns = process->net_ns;
            std::string comm = process->comm;
            if (comm.empty()) {
                auto slash = process->exe.rfind('/');
                comm = slash == std::string::npos ? process->exe : process->exe.substr(slash + 1);
            }
            std::memcpy(header.comm, comm.data(), std::min(comm.size(), sizeof(header.comm) - 1));
        }
        return header;
    }

    // A zeroed @Record (a struct whose first member is `vigil_event_header header`) with its header filled.
    template <class Record> Record make_record(uint16_t kind, uint32_t tgid, uint16_t version = 1) const
    {
        static_assert(std::is_trivially_copyable_v<Record> && std::is_standard_layout_v<Record>);
        Record record{};
        record.header = header_for(tgid, kind, static_cast<uint32_t>(sizeof(Record)), version);
        return record;
    }

    // A record of @kind from @tgid: a filled header followed by @payload.
    std::vector<unsigned char> payload_record(uint16_t kind, uint32_t tgid, std::span<const unsigned char> payload,
                                              uint16_t version = 1) const
    {
        std::vector<unsigned char> bytes(sizeof(vigil_event_header) + payload.size());
        auto header = header_for(tgid, kind, static_cast<uint32_t>(bytes.size()), version);
        std::memcpy(bytes.data(), &header, sizeof(header));
        if (!payload.empty()) {
            std::memcpy(bytes.data() + sizeof(header), payload.data(), payload.size());
        }
        return bytes;
    }

    // Hands @hand_over (int(const vigil_event &)) the event of raw record
    // @bytes (header first), with the process and container of its header.
    template <class HandOver> int record(std::span<const unsigned char> bytes, HandOver hand_over)
    {
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
        event.process = services_.tables().find_process(header.tgid);
        event.container = services_.tables().find_container(header.cgroup_id);
        return hand_over(static_cast<const vigil_event &>(event));
    }

    // Hands @hand_over a Kubernetes audit event as the sensor does (ABI 1.4):
    // kind VIGIL_KIND_AUDIT_EVENT, no process or container, the event in
    // vigil_event.audit; struct_size is set here. Unset strings should be ""
    // (the sensor never passes NULL): see FakeAuditEvent.
    template <class HandOver> int audit(vigil_audit_event audit, HandOver hand_over)
    {
        audit.struct_size = sizeof(audit);
        vigil_event event{};
        event.kind = VIGIL_KIND_AUDIT_EVENT;
        event.audit = &audit;
        return without_process(event, hand_over);
    }

    // Hands @hand_over another detector's alert as the sensor does (ABI 1.5):
    // kind VIGIL_KIND_ALERT_RAISED, no process or container, the alert in
    // vigil_event.alert; struct_size is set here.
    template <class HandOver> int raised_alert(vigil_raised_alert alert, HandOver hand_over)
    {
        alert.struct_size = sizeof(alert);
        vigil_event event{};
        event.kind = VIGIL_KIND_ALERT_RAISED;
        event.alert = &alert;
        return without_process(event, hand_over);
    }

private:
    // An event the sensor makes in user space: a header of zeros but for
    // size, kind and time, as the sensor passes it.
    template <class HandOver> int without_process(vigil_event &event, HandOver &hand_over)
    {
        vigil_event_header header{};
        header.size = sizeof(header);
        header.kind = static_cast<uint16_t>(event.kind);
        header.timestamp_ns = services_.now();
        event.struct_size = sizeof(event);
        event.record = &header;
        event.record_size = sizeof(header);
        return hand_over(static_cast<const vigil_event &>(event));
    }

    FakeServices &services_;
};

} // namespace vigil::testing
