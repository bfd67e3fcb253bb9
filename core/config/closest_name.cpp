// SPDX-License-Identifier: Apache-2.0
#include "core/config/closest_name.hpp"

#include <algorithm>
#include <vector>

namespace vigil::config {

namespace {

constexpr std::size_t farthest_suggestion = 2;

} // namespace

std::size_t edit_distance(std::string_view from, std::string_view to)
{
    // Optimal string alignment: Levenshtein plus transpositions, since swapped
    // neighbours ("drian") are among the most common typos.
    const auto columns = to.size() + 1;
    std::vector<std::size_t> cost((from.size() + 1) * columns);
    auto at = [&](std::size_t row, std::size_t column) -> std::size_t & { return cost[row * columns + column]; };
    for (std::size_t row = 0; row <= from.size(); ++row) {
        at(row, 0) = row;
    }
    for (std::size_t column = 0; column <= to.size(); ++column) {
        at(0, column) = column;
    }
    for (std::size_t row = 1; row <= from.size(); ++row) {
        for (std::size_t column = 1; column <= to.size(); ++column) {
            const std::size_t substitution = from[row - 1] == to[column - 1] ? 0 : 1;
            at(row, column) =
                std::min({at(row - 1, column) + 1, at(row, column - 1) + 1, at(row - 1, column - 1) + substitution});
            if (row > 1 && column > 1 && from[row - 1] == to[column - 2] && from[row - 2] == to[column - 1]) {
                at(row, column) = std::min(at(row, column), at(row - 2, column - 2) + 1);
            }
        }
    }
    return at(from.size(), to.size());
}

std::string did_you_mean(std::string_view wrong, std::span<const std::string_view> candidates)
{
    std::string_view best;
    auto best_distance = farthest_suggestion + 1;
    for (auto candidate : candidates) {
        auto distance = edit_distance(wrong, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    if (best_distance > farthest_suggestion) {
        return {};
    }
    return "; did you mean '" + std::string(best) + "'?";
}

} // namespace vigil::config
