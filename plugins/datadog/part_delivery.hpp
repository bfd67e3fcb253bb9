// SPDX-License-Identifier: Apache-2.0
// Sending a request's parts in order, remembering across retries which parts
// of that same request were already answered, so that "both" mode never sends
// a part twice because another part of its request had to be retried.
//
// Outcome of a request, once every part was answered:
//   every part delivered                 -> OK
//   some delivered, some rejected        -> OK (the alerts reached Datadog by
//                                           one API), and a warning naming the
//                                           rejection, for the caller to log
//   every part rejected                  -> REJECT, with the first reason
// A part to be retried stops the request there: RETRY, and the next send of
// the same request resumes at that part.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <vigil/output.hpp>

#include "request_parts.hpp"

namespace vigil_datadog {

class PartDelivery {
public:
    // Sends one part and says what the receiver answered.
    using Post = std::function<void(const Part &part, vigil_send_result &result)>;

    vigil::SendResult send(std::string_view request, const Post &post);

    // After an OK with rejected parts: what to log; "" otherwise.
    const std::string &warning() const { return warning_; }

private:
    void reset();

    // The request being worked through, recognized by its size and hash.
    std::size_t request_size_ = 0;
    std::size_t request_hash_ = 0;
    std::size_t next_part_ = 0;
    std::size_t delivered_ = 0;
    std::size_t rejected_ = 0;
    std::string first_rejection_;
    std::string reason_; // what the last SendResult points into
    std::string warning_;
};

const char *part_name(PartKind kind);

} // namespace vigil_datadog
