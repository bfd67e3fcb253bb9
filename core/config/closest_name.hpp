// SPDX-License-Identifier: Apache-2.0
// "Did you mean ...?" for misspelt keys and names.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace vigil::config {

// Edits (insertions, deletions, substitutions, swaps of neighbours) that turn @from into @to.
std::size_t edit_distance(std::string_view from, std::string_view to);

// "; did you mean 'drain_interval_ms'?" naming the candidate nearest to @wrong, or ""
// when none is within two edits: a far-fetched guess misleads more than it helps.
std::string did_you_mean(std::string_view wrong, std::span<const std::string_view> candidates);

} // namespace vigil::config
