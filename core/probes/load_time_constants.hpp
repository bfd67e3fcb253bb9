// SPDX-License-Identifier: Apache-2.0
// Setting (and reading) a BPF object's `const volatile` globals before it is loaded, by name.
//
// The verifier then sees them as constants and prunes the branches they rule
// out, which is how a load-time option costs nothing at run time. Skeletons do
// this through generated structs; the sensor loads objects it knows nothing
// about, so it finds each variable in the object's BTF instead.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

struct bpf_object;

namespace vigil::probes {

enum class ConstantStatus { set, no_such_variable, size_mismatch, object_already_loaded };

// Writes @size bytes of @value into the read-only data of @object (opened, not loaded yet).
ConstantStatus set_load_time_constant(bpf_object *object, std::string_view variable, const void *value,
                                      std::size_t size);

// Reads a `const volatile` global of @object (opened, not loaded yet) into @value, @size bytes.
ConstantStatus get_load_time_constant(bpf_object *object, std::string_view variable, void *value, std::size_t size);

std::string_view constant_status_text(ConstantStatus status);

} // namespace vigil::probes
