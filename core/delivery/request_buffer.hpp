// SPDX-License-Identifier: Apache-2.0
// The vigil_buffer an output's format hook writes its request into: a
// std::string the delivery thread owns and reuses from one request to the next.
#pragma once

#include <cstddef>
#include <string>

#include <vigil/plugin_abi.h>

namespace vigil::delivery {

class RequestBuffer {
public:
    // Beyond this, append fails with -E2BIG: a format hook that never stops
    // writing cannot exhaust the sensor's memory.
    static constexpr std::size_t max_request_bytes = 64 * 1024 * 1024;

    RequestBuffer();
    // The ABI struct points at this object.
    RequestBuffer(const RequestBuffer &) = delete;
    RequestBuffer &operator=(const RequestBuffer &) = delete;

    // Empties the buffer for the next request, keeping its capacity.
    void clear() { bytes_.clear(); }
    const vigil_buffer *abi() const { return &abi_; }
    const std::string &bytes() const { return bytes_; }

private:
    static int append(void *context, const void *data, std::size_t size);

    std::string bytes_;
    vigil_buffer abi_{};
};

} // namespace vigil::delivery
