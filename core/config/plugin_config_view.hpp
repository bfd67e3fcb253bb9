// SPDX-License-Identifier: Apache-2.0
// The C function table through which a plugin reads its options.
#pragma once

#include <vigil/plugin_abi.h>

#include "core/config/plugin_option_store.hpp"

namespace vigil::config {

// A view reading @store, which must outlive every use of the view.
vigil_config_view make_config_view(const OptionStore &store);

} // namespace vigil::config
