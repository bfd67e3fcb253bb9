// SPDX-License-Identifier: Apache-2.0
// Small helpers for reading size-prefixed ABI structs safely.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

// True when @object (a pointer to a size-prefixed ABI struct) is large enough to hold @field:
// the way to use a field that a newer minor version appended.
#define VIGIL_HAS_FIELD(object, type, field)                                                                           \
    ::vigil::abi_reaches((object), offsetof(type, field) + sizeof(((type *)nullptr)->field))

namespace vigil {

// VIGIL_HAS_FIELD's test: @object is not null and its struct_size reaches @end. A function,
// so that the null test is on a pointer parameter, also when the caller has a reference.
template <class T> constexpr bool abi_reaches(const T *object, std::size_t end)
{
    return object != nullptr && object->struct_size >= end;
}

// The i-th element of an array of size-prefixed structs, stepped by the first element's size.
template <class T> const T *abi_array_at(const T *array, uint32_t index)
{
    auto stride = array->struct_size;
    return reinterpret_cast<const T *>(reinterpret_cast<const unsigned char *>(array) + std::size_t{stride} * index);
}

// A copy of the size-prefixed struct at @source as this side knows it: fields the
// other side did not have (it was built against an older minor) read as zero.
template <class T> T abi_copy(const T *source)
{
    T copy{};
    if (source != nullptr) {
        std::memcpy(&copy, source, std::min<std::size_t>(source->struct_size, sizeof(T)));
    }
    copy.struct_size = sizeof(T);
    return copy;
}

} // namespace vigil
