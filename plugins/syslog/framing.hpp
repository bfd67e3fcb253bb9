// SPDX-License-Identifier: Apache-2.0
// RFC 6587 octet counting ("<length> <message>"): the wire form on TCP, and
// the form of every request, so that the datagram transports can split a
// batch back into its messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil_syslog {

// Appends "<size of @message> @message".
void append_frame(std::string &out, std::string_view message);

// The messages of a request made with append_frame; nullopt if it is not one.
std::optional<std::vector<std::string_view>> split_frames(std::string_view request);

} // namespace vigil_syslog
