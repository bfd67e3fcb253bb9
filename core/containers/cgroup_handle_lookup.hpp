// SPDX-License-Identifier: Apache-2.0
// Asking the kernel for the path of a cgroup we only know by id, for cgroups
// that were neither seen at startup nor reported since (the table evicted
// them, or their creation event was lost).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace vigil::containers {

// The path, relative to @mount_point and starting with '/', of the cgroup
// whose id is @cgroup_id in the cgroup v2 hierarchy that @mount_descriptor (an
// open directory of @mount_point) belongs to. On failure, the errno:
// ESTALE means the cgroup no longer exists; EPERM that we lack
// CAP_DAC_READ_SEARCH; EOPNOTSUPP or EINVAL that the kernel cannot do it.
std::expected<std::string, int> lookup_cgroup_path(int mount_descriptor, std::string_view mount_point,
                                                   uint64_t cgroup_id);

} // namespace vigil::containers
