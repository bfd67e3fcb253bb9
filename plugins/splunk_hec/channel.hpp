// SPDX-License-Identifier: Apache-2.0
// The indexer-acknowledgement channel: a random (version 4) UUID per output instance.
#pragma once

#include <string>

namespace vigil_splunk_hec {

std::string random_channel_uuid();

} // namespace vigil_splunk_hec
