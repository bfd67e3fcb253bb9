// SPDX-License-Identifier: Apache-2.0
// How `vigil check` and the start-up log describe the dispatcher's connect and
// open filters: which calls of each scope run a hook's chain.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include <vigil/bpf/hooks.h>

namespace vigil::probes {

// A struct vigil_connect_address as the bytes vigil_connect_address_filter is keyed by.
using AddressKey = std::array<uint8_t, sizeof(vigil_connect_address)>;

// "ports 53, 3333 and any port of 169.254.169.254 from containers; ports 53 from host tasks", from the
// non-zero entries of vigil_connect_filter and vigil_connect_address_filter (stage positions, VIGIL_STAGE_BITS).
std::string connect_filter_text(const std::map<uint32_t, uint32_t> &ports,
                                const std::map<AddressKey, uint32_t> &addresses);

// "flags 0x3, paths /proc/, relative paths from containers; flags 0x3 from host tasks".
std::string open_filter_text(const vigil_open_filter &filter);

} // namespace vigil::probes
