// SPDX-License-Identifier: Apache-2.0
#include "workload_key.hpp"

#include <vigil/abi_support.hpp>

namespace vigil_drift {
namespace {

std::string text_of(const char *value)
{
    return value == nullptr ? std::string() : std::string(value);
}

} // namespace

std::optional<WorkloadIdentity> workload_identity(const vigil_container &container, bool settle_for_fallback)
{
    const auto *facts = &container;
    bool has_facts = VIGIL_HAS_FIELD(facts, vigil_container, existed_at_start);
    uint32_t source = has_facts ? container.metadata_source : static_cast<uint32_t>(VIGIL_METADATA_CGROUP);
    if (source == VIGIL_METADATA_PENDING && !settle_for_fallback) {
        return std::nullopt;
    }
    WorkloadIdentity identity;
    if (source == VIGIL_METADATA_API && has_facts && container.workload_name[0] != '\0') {
        identity.key.namespace_name = text_of(container.pod_namespace);
        identity.key.workload_kind = text_of(container.workload_kind);
        identity.key.workload_name = text_of(container.workload_name);
        identity.key.container = text_of(container.name);
        identity.key.source = "api";
    } else {
        identity.key.namespace_name = "";
        identity.key.workload_kind = "Pod";
        identity.key.workload_name = text_of(container.pod_uid);
        identity.key.container = text_of(container.id).substr(0, 12);
        identity.key.source = "cgroup";
    }
    if (has_facts) {
        identity.version = container.template_hash[0] != '\0' ? text_of(container.template_hash)
                           : container.image_id[0] != '\0'    ? text_of(container.image_id)
                                                              : text_of(container.image);
    }
    return identity;
}

} // namespace vigil_drift
