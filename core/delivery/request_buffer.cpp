// SPDX-License-Identifier: Apache-2.0
#include "core/delivery/request_buffer.hpp"

#include <cerrno>
#include <new>

namespace vigil::delivery {

RequestBuffer::RequestBuffer()
{
    abi_.struct_size = sizeof(abi_);
    abi_.context = this;
    abi_.append = &RequestBuffer::append;
}

// Called by the plugin: reports failure as an errno, never throws across the ABI.
int RequestBuffer::append(void *context, const void *data, std::size_t size)
{
    auto *self = static_cast<RequestBuffer *>(context);
    if (size == 0) {
        return 0;
    }
    if (data == nullptr) {
        return -EINVAL;
    }
    if (size > max_request_bytes - self->bytes_.size()) {
        return -E2BIG;
    }
    try {
        self->bytes_.append(static_cast<const char *>(data), size);
    } catch (const std::bad_alloc &) {
        return -ENOMEM;
    }
    return 0;
}

} // namespace vigil::delivery
