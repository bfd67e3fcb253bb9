// SPDX-License-Identifier: Apache-2.0
// Reading a kubeconfig file (the YAML kubectl uses): its current context's
// cluster (server, CA) and user (token, token file, or client certificate).
// Credential plugins (exec, auth-provider) are not run: a sensor should not
// start programs named in a file, and in a cluster it uses its service account.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "core/kubernetes/api_settings.hpp"

namespace vigil::kubernetes {

// @directory: where the file is, against which relative paths in it resolve
// (as kubectl resolves them).
std::expected<ApiSettings, std::string> parse_kubeconfig(std::string_view text, const std::string &directory);

std::expected<ApiSettings, std::string> load_kubeconfig(const std::string &path);

} // namespace vigil::kubernetes
