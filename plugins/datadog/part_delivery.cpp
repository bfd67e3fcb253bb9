// SPDX-License-Identifier: Apache-2.0
#include "part_delivery.hpp"

#include <string>

namespace vigil_datadog {

const char *part_name(PartKind kind)
{
    return kind == PartKind::event ? "Events API" : "Logs API";
}

void PartDelivery::reset()
{
    request_size_ = 0;
    request_hash_ = 0;
    next_part_ = 0;
    delivered_ = 0;
    rejected_ = 0;
    first_rejection_.clear();
}

vigil::SendResult PartDelivery::send(std::string_view request, const Post &post)
{
    warning_.clear();
    auto parts = split_parts(request);
    if (!parts) {
        reset();
        return vigil::SendResult::reject("not a request this output formatted");
    }
    const auto hash = std::hash<std::string_view>{}(request);
    if (request.size() != request_size_ || hash != request_hash_) {
        reset(); // a new request: the previous one was finished or given up
        request_size_ = request.size();
        request_hash_ = hash;
    }
    for (; next_part_ < parts->size(); ++next_part_) {
        const Part &part = (*parts)[next_part_];
        vigil_send_result result{};
        result.struct_size = sizeof(result);
        post(part, result);
        result.reason[sizeof(result.reason) - 1] = '\0';
        if (result.status == VIGIL_SEND_OK) {
            ++delivered_;
        } else if (result.status == VIGIL_SEND_RETRY) {
            reason_ = std::string(part_name(part.kind)) + ": " + result.reason;
            return vigil::SendResult::retry(reason_, result.retry_after_ms);
        } else {
            ++rejected_;
            if (first_rejection_.empty()) {
                first_rejection_ = std::string(part_name(part.kind)) + ": " + result.reason;
            }
        }
    }
    const auto delivered = delivered_;
    const auto rejected = rejected_;
    reason_ = first_rejection_;
    reset();
    if (rejected == 0) {
        return vigil::SendResult::ok();
    }
    if (delivered == 0) {
        return vigil::SendResult::reject(reason_);
    }
    warning_ = std::to_string(rejected) + " of " + std::to_string(rejected + delivered) +
               " parts of a request were rejected (the alerts reached Datadog through the other API): " + reason_;
    return vigil::SendResult::ok();
}

} // namespace vigil_datadog
