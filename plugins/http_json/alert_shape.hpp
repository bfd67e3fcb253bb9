// SPDX-License-Identifier: Apache-2.0
// One alert in the common JSON alert shape:
//
//   {"time": "<RFC 3339, nanoseconds, UTC>", "rule": "<rule id>",
//    "priority": "Emergency|Alert|Critical|Error|Warning|Notice|Informational|Debug",
//    "source": "vigil", "hostname": "<node>", "output": "<one human line>",
//    "tags": ["<tactic ids>", "<technique ids>", "<plugin>"],
//    "output_fields": {"evt.time": <ns>, "container.id": ..., "k8s.pod.uid": ..., "proc.pid": ..., ...}}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <vigil/plugin_abi.h>

namespace vigil_http_json {

struct ShapeSettings {
    std::string source = "vigil";
};

// critical Critical, high Error, medium Warning, low Notice, info Informational.
std::string_view priority_name(uint32_t severity);

// "2023-11-14T22:13:20.123456789Z".
void append_rfc3339_ns(std::string &out, uint64_t unix_ns);

// Appends @alert as one JSON object of the shape.
void append_alert(std::string &out, const vigil_alert &alert, const ShapeSettings &settings);

} // namespace vigil_http_json
