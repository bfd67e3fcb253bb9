// SPDX-License-Identifier: Apache-2.0
// The one-line, human-readable form of an alert, built from the vigil_alert
// view alone (no JSON parsing):
//
//   2026-11-21T17:00:00.123456789Z HIGH injection.ptrace_attach [T1055.008] container 3f2a1b2c3d4e pod <uid> pid 1234
//   /injector: <summary>
#pragma once

#include <string>

#include <vigil/plugin_abi.h>

namespace vigil_stdout {

// Appends the line for @alert to @out, with its newline.
void append_human_line(std::string &out, const vigil_alert &alert);

} // namespace vigil_stdout
