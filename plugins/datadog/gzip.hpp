// SPDX-License-Identifier: Apache-2.0
// gzip for the Logs API's optional Content-Encoding: gzip (zlib, level 6).
#pragma once

#include <string>
#include <string_view>

namespace vigil_datadog {

// @data compressed in the gzip format; throws std::runtime_error if zlib fails.
std::string gzip(std::string_view data);

} // namespace vigil_datadog
