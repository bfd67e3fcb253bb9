// SPDX-License-Identifier: Apache-2.0
// The log lines that say what a loaded BPF object attached: one summary line,
// a line per program that was disabled or failed, and an error when a
// required program has no working alternative.
#pragma once

#include "core/probes/object_loader.hpp"

namespace vigil::probes {

void report_programs(const LoadedObject &object);

} // namespace vigil::probes
