// SPDX-License-Identifier: Apache-2.0
#include "core/audit/parse_failure.hpp"

namespace vigil::audit {

std::string_view reason_name(ParseFailureReason reason)
{
    switch (reason) {
    case ParseFailureReason::not_json:
        return "not_json";
    case ParseFailureReason::too_deep:
        return "too_deep";
    case ParseFailureReason::not_an_object:
        return "not_an_object";
    case ParseFailureReason::wrong_kind:
        return "wrong_kind";
    case ParseFailureReason::wrong_api_version:
        return "wrong_api_version";
    case ParseFailureReason::missing_field:
        return "missing_field";
    case ParseFailureReason::bad_field:
        return "bad_field";
    case ParseFailureReason::line_too_long:
        return "line_too_long";
    }
    return "unknown";
}

uint64_t ParseFailureCounts::total() const
{
    uint64_t sum = 0;
    for (const auto &count : counts_) {
        sum += count.load(std::memory_order_relaxed);
    }
    return sum;
}

std::string ParseFailureCounts::describe() const
{
    std::string text;
    for (std::size_t index = 0; index < counts_.size(); ++index) {
        auto value = counts_[index].load(std::memory_order_relaxed);
        if (value != 0) {
            text += (text.empty() ? "" : ", ") + std::string(reason_name(static_cast<ParseFailureReason>(index))) +
                    " " + std::to_string(value);
        }
    }
    return text.empty() ? "none" : text;
}

} // namespace vigil::audit
