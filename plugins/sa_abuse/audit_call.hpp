// SPDX-License-Identifier: Apache-2.0
// What the rules ask of one Kubernetes audit event: does it count, who made
// it, and what kind of call it was.
#pragma once

#include <string>
#include <string_view>

#include <vigil/plugin_abi.h>

namespace vigil_sa_abuse {

// ResponseComplete and Panic only: the API server also reports a request at
// RequestReceived (and, for watches, ResponseStarted), and counting every
// stage would count one call two or three times.
bool is_final_stage(const vigil_audit_event &audit);

// "<namespace>:<name>" of a service-account caller, "" for any other user.
std::string account_of(const vigil_audit_event &audit);

// The address the API server's connection came from: the last of sourceIPs.
// The earlier ones come from X-Forwarded-For, which the caller chooses.
std::string_view connection_address(const vigil_audit_event &audit);

// The shape of a call, as baselines and evidence compare it.
struct CallShape {
    std::string verb;
    std::string resource;
    std::string subresource;
    std::string object_namespace; // "" for cluster-scoped resources and cluster-wide lists
    bool operator==(const CallShape &) const = default;
};
CallShape shape_of(const vigil_audit_event &audit);
// "list secrets -n shop", "create pods/exec -n shop", for summaries and dedup keys.
std::string describe(const CallShape &shape);

// A read (get, list, watch) of secrets or configmaps outside @account_namespace.
bool reads_config_elsewhere(const CallShape &shape, std::string_view account_namespace);

} // namespace vigil_sa_abuse
