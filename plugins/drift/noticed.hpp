// SPDX-License-Identifier: Apache-2.0
// What a record says a container did, as a profile observation and the rule
// its novelty would raise. Records come from any process in any container:
// every size is checked, every string bounded.
#pragma once

#include <optional>
#include <string>

#include <vigil/host.hpp>

#include "profile/observation.hpp"
#include "rules.hpp"

namespace vigil_drift {

struct Noticed {
    Observation observation;
    Rule rule;           // raised if the observation is new to a stable class
    std::string subject; // what was new, for the summary: a path, "10.0.0.5:443", "tcp port 8080"
};

// An executable entry's parent when the parent is not in the container: the runtime entering it.
inline constexpr const char *outside_parent = "(outside the container)";

// From the core's VIGIL_KIND_PROCESS_EXEC, with the parent's executable as the sensor knows it
// (outside_parent for one in another cgroup).
std::optional<Noticed> notice_exec(const vigil::Event &event, const vigil::Host &host);
// From the plugin's own DRIFT_KIND_OPEN, DRIFT_KIND_CONNECT, DRIFT_KIND_LISTEN; nothing for a
// read outside the sensitive prefixes (the kernel side's heads are coarser) or a short record.
std::optional<Noticed> notice_open(const vigil::Event &event);
std::optional<Noticed> notice_connect(const vigil::Event &event);
std::optional<Noticed> notice_listen(const vigil::Event &event);
// From DRIFT_KIND_DNS: the question's name; nothing for a message that is no well-formed query.
std::optional<Noticed> notice_dns(const vigil::Event &event);

} // namespace vigil_drift
