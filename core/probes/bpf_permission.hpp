// SPDX-License-Identifier: Apache-2.0
// Whether this process may load BPF programs at all. Checked before anything
// else is loaded, so that running without the privileges fails at once with
// an answer instead of a page of per-program refusals.
#pragma once

#include <optional>
#include <string>

namespace vigil::probes {

// nullopt if a trivial tracepoint program loads; else what to tell the user.
std::optional<std::string> bpf_permission_problem();

} // namespace vigil::probes
