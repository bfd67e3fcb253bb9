// SPDX-License-Identifier: Apache-2.0
// The collector's three endpoints: events (with the token, and the channel
// when indexer acknowledgement is on), ack polling, and health.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <vigil/http_client.hpp>
#include <vigil/output.hpp>

namespace vigil_splunk_hec {

struct CollectorSettings {
    std::string base_url; // "https://hec.example.com:8088", no trailing slash
    std::string token;    // the secret: only ever in the Authorization header
    bool use_ack = false;
    std::string channel; // a UUID, sent as X-Splunk-Request-Channel when use_ack
    std::chrono::milliseconds ack_timeout{30000};
    std::chrono::milliseconds ack_poll_interval{500};
    vigil::http::Settings http;
};

struct Health {
    bool healthy = false;
    std::string description; // "HTTP 200, code 17: HEC is healthy", or why there was no answer
};

class Collector {
public:
    Collector(vigil::Host host, CollectorSettings settings);

    Health health();

    // Posts one batch; with use_ack, waits for its ackId to be reported
    // indexed before calling it delivered. The result's reason lives until
    // the next call.
    vigil::SendResult send(std::string_view body);

private:
    vigil::SendResult result_from(vigil_send_result &result);
    vigil::SendResult wait_for_ack(int64_t ack_id);

    vigil::Host host_;
    CollectorSettings settings_;
    vigil::http::Client client_;
    std::vector<std::string> event_headers_;
    std::string reason_;
    bool warned_no_ack_id_ = false;
};

} // namespace vigil_splunk_hec
