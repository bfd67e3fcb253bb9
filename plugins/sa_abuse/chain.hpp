// SPDX-License-Identifier: Apache-2.0
// The memory of sa_abuse.chain: container-side findings other detectors
// raised in a pod (escape, lateral movement, injection) and audit-side
// findings this plugin raised for a service account's calls, each kept for
// the window, and the pairing of one of each for the same pod or account.
//
// Either side alone is often benign (a client reading its own token, an
// account making a call it never made); both for the same pod within minutes
// is the path from a broken-into container to the cluster, and it takes
// minutes, so a chain is raised as soon as its second side arrives.
//
// No SDK calls: the detector turns alerts into Findings (chain_finding.cpp)
// and a Chain into an alert (chain_alert.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil_sa_abuse {

// An evidence field copied out of an alert, owning its strings: the alert is
// gone when the chain is raised.
struct CopiedEvidence {
    std::string key;
    vigil_evidence_type type = VIGIL_EVIDENCE_STRING;
    std::string text;              // VIGIL_EVIDENCE_STRING
    int64_t integer = 0;           // VIGIL_EVIDENCE_INTEGER, VIGIL_EVIDENCE_BOOL (0 or 1)
    uint64_t unsigned_value = 0;   // VIGIL_EVIDENCE_UNSIGNED
    std::vector<std::string> list; // VIGIL_EVIDENCE_STRING_LIST
};

// One side of a chain.
struct Finding {
    uint64_t at_ns = 0; // arrival at this detector (boot clock), not the alert's own time
    std::string rule;
    std::string plugin;
    std::string summary;
    std::vector<std::string> tactics; // ATT&CK ids
    std::vector<std::string> techniques;
    std::string pod_uid; // "" when unknown
    std::string pod_namespace;
    std::string pod_name;
    std::string account;      // "<namespace>:<name>", "" when unknown
    std::string container_id; // container side only
    std::string exe;          // container side only
    std::string finding_key;  // container side only
    uint32_t pid = 0;         // container side only: the subject process, 0 when none
    std::vector<CopiedEvidence> evidence;
};

struct Chain {
    Finding container;
    Finding audit;
    bool by_pod = false; // joined by pod UID; else by service account
    uint64_t apart_ns = 0;
    // The container side's pod UID, else its account: one pod's chain is one
    // finding (the alert's dedup key), and its rule pairs are raised once.
    std::string key;
};

class ChainJoin {
public:
    ChainJoin(uint64_t window_ns, std::size_t capacity);

    // A side arriving: the chain it makes with a remembered finding of the
    // other side, if any. It is remembered either way, for later findings.
    // The other side is one with the same pod UID, else one with the same
    // account (the account's other pods included: see README.md); the most
    // recent whose (container rule, audit rule) pair has not made a chain for
    // this key within the window. One chain per arriving finding.
    std::optional<Chain> add_container(Finding finding);
    std::optional<Chain> add_audit(Finding finding);

    // Findings dropped to stay within the capacity before their window ended.
    std::size_t forgotten() const { return forgotten_; }

private:
    struct Raised {
        uint64_t at_ns = 0;
        std::string key;
        std::string container_rule;
        std::string audit_rule;
    };

    void expire(uint64_t now_ns);
    void remember(std::deque<Finding> &side, Finding finding);
    bool raised(const std::string &key, const Finding &container, const Finding &audit) const;
    std::optional<Chain> join(const Finding &arriving, const std::deque<Finding> &others, bool arriving_is_container);

    uint64_t window_ns_;
    std::size_t capacity_;
    std::deque<Finding> containers_; // by arrival, oldest first
    std::deque<Finding> audits_;
    std::deque<Raised> raised_;
    std::size_t forgotten_ = 0;
};

} // namespace vigil_sa_abuse
