// SPDX-License-Identifier: Apache-2.0
// The question of a DNS query: the SDK's parser (<vigil/dns_query.hpp>),
// shared with the drift detector's DNS names.
#pragma once

#include <vigil/dns_query.hpp>

namespace vigil_cryptomining {

using vigil::dns_type_name;
using vigil::DnsQuestion;
using vigil::parse_dns_query;

} // namespace vigil_cryptomining
