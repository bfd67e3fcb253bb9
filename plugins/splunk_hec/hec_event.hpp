// SPDX-License-Identifier: Apache-2.0
// Alerts as HTTP Event Collector events: one JSON object each, a batch being
// several of them concatenated (no array, no commas) within a byte limit.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include <vigil/plugin_abi.h>

namespace vigil_splunk_hec {

struct EventSettings {
    std::string sourcetype = "vigil:alert";
    std::string index;                        // "" leaves it to the token's default index
    std::size_t max_batch_bytes = 512 * 1024; // the whole request body
};

// Appends one alert as an event object:
// {"time":<s.mmm>,"host","source":"vigil","sourcetype","index","event":<alert>,"fields":{...}}
void append_event(std::string &out, const vigil_alert &alert, const EventSettings &settings);

// Appends the first alerts as concatenated events while the body stays within
// max_batch_bytes (the first is always taken, whatever its size); returns how many.
std::size_t append_batch(std::string &out, std::span<const vigil_alert *const> alerts, const EventSettings &settings);

} // namespace vigil_splunk_hec
