// SPDX-License-Identifier: Apache-2.0
// Why an audit event or batch was refused, and how many of each: bad input is
// counted per reason and skipped, so an operator can tell a misconfigured API
// server (wrong kind, wrong version) from a truncating proxy (not JSON).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::audit {

enum class ParseFailureReason : uint8_t {
    not_json,          // does not parse as JSON (truncated, binary, empty)
    too_deep,          // nested deeper than any audit event is: refused before parsing
    not_an_object,     // JSON, but not an object
    wrong_kind,        // "kind" is not Event (or EventList for a webhook batch)
    wrong_api_version, // "apiVersion" is not audit.k8s.io/v1
    missing_field,     // a required field (auditID, stage, verb, requestURI, user) is absent
    bad_field,         // a field of the wrong type, an unknown stage, an unreadable timestamp
    line_too_long,     // a log line longer than the follower keeps
};
inline constexpr std::size_t parse_failure_reason_count = 8;

std::string_view reason_name(ParseFailureReason reason);

struct ParseFailure {
    ParseFailureReason reason;
    std::string detail; // which field, for the log; never the event's content
};

// Counts per reason. Shared by the webhook and log threads, read by the event thread.
class ParseFailureCounts {
public:
    void add(ParseFailureReason reason)
    {
        counts_[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
    }
    uint64_t count(ParseFailureReason reason) const
    {
        return counts_[static_cast<std::size_t>(reason)].load(std::memory_order_relaxed);
    }
    uint64_t total() const;
    // "not_json 2, wrong_kind 1", or "none".
    std::string describe() const;

private:
    std::array<std::atomic<uint64_t>, parse_failure_reason_count> counts_{};
};

} // namespace vigil::audit
