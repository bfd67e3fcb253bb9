// SPDX-License-Identifier: Apache-2.0
// From a pod object of the API (JSON) to PodMetadata. Pure: no network, so
// owner resolution above the direct owner is left to OwnerResolver.
#pragma once

#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/kubernetes/pod_metadata.hpp"

namespace vigil::kubernetes {

// An error (the reason) for an object that is not a usable pod: not an
// object, no metadata.uid, no metadata.name or namespace.
std::expected<PodMetadata, std::string> parse_pod(const nlohmann::json &pod, std::span<const std::string> label_keys);

// The 64 hex digits of "<runtime>://<id>", or nullopt (empty while a container is still being created).
std::optional<std::string> container_id_from_status(std::string_view container_id);

} // namespace vigil::kubernetes
