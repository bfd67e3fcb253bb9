// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/delivery/request_buffer.hpp"

using namespace vigil::delivery;

TEST_CASE("delivery: the request buffer appends through the ABI and is bounded")
{
    RequestBuffer buffer;
    const vigil_buffer *abi = buffer.abi();
    CHECK(abi->struct_size == sizeof(vigil_buffer));
    CHECK(abi->append(abi->context, "abc", 3) == 0);
    CHECK(abi->append(abi->context, nullptr, 0) == 0);
    CHECK(abi->append(abi->context, "def", 3) == 0);
    CHECK(buffer.bytes() == "abcdef");
    CHECK(abi->append(abi->context, nullptr, 1) == -EINVAL);
    // The size is checked before anything is read.
    CHECK(abi->append(abi->context, "x", RequestBuffer::max_request_bytes) == -E2BIG);
    buffer.clear();
    CHECK(buffer.bytes().empty());
}
