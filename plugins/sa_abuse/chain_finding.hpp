// SPDX-License-Identifier: Apache-2.0
// The container side of sa_abuse.chain from another detector's alert
// (VIGIL_KIND_ALERT_RAISED): everything the chain alert will need, copied,
// since the raised alert's strings live only while it is handled.
#pragma once

#include <cstdint>
#include <optional>

#include <vigil/plugin_abi.h>

#include "chain.hpp"

namespace vigil_sa_abuse {

// Whether @alert names its pod: a UID, or a namespace and service account.
bool names_a_pod(const vigil_raised_alert &alert);

// The container side made of @alert, which arrived at @now_ns.
Finding container_finding(const vigil_raised_alert &alert, uint64_t now_ns);

// @field copied by its type; nothing for a type newer than this plugin knows.
std::optional<CopiedEvidence> copy_evidence(const vigil_evidence_field &field);

} // namespace vigil_sa_abuse
