// SPDX-License-Identifier: Apache-2.0
// Escaping of the parts that go into entry text (see observation.hpp).
#pragma once

#include <string>
#include <string_view>

namespace vigil_drift {

// Percent-encodes '%', ' ', '*' and control bytes (below 0x20, and 0x7f) as
// "%XX" (upper-case hex). Spaces separate the fields of an entry and '*' is
// the wildcard of collapsed patterns, so after escaping neither can come from
// the observed text itself. Other bytes (UTF-8 included) are kept as they are.
std::string escape_part(std::string_view text);

// The inverse of escape_part; a '%' not followed by two hex digits is kept.
std::string unescape_part(std::string_view text);

} // namespace vigil_drift
