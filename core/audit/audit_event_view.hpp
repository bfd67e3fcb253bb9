// SPDX-License-Identifier: Apache-2.0
// The ABI view (vigil_audit_event) of an AuditEvent: pointers into the owned
// strings, valid while both live, which is the length of one dispatch.
#pragma once

#include <vector>

#include <vigil/plugin_abi.h>

#include "core/audit/audit_event.hpp"

namespace vigil::audit {

class AuditEventView {
public:
    // Reused across events, so that the pointer arrays' storage is kept.
    const vigil_audit_event &view_of(const AuditEvent &event);

private:
    vigil_audit_event view_{};
    std::vector<const char *> groups_;
    std::vector<const char *> source_ips_;
};

} // namespace vigil::audit
