// SPDX-License-Identifier: Apache-2.0
// The classes of behaviour a profile learns, and the learning state of each.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace vigil_drift {

// Each class learns on its own: a workload's executables may be stable long
// before its outbound connections are.
enum class BehaviourClass { executables, files, connections, listening, dns };

inline constexpr std::array<BehaviourClass, 5> all_behaviour_classes{BehaviourClass::executables, BehaviourClass::files,
                                                                     BehaviourClass::connections,
                                                                     BehaviourClass::listening, BehaviourClass::dns};
inline constexpr std::size_t behaviour_class_count = all_behaviour_classes.size();

// learning:   collecting entries; nothing drifts.
// stable:     learned; an observation new to the class is drift.
// unstable:   kept growing past the entry cap; never drifts (reported instead).
// relearning: a new version of the workload started from its predecessor's
//             entries; nothing drifts until the relearn window ends.
enum class LearningState { learning, stable, unstable, relearning };

// "executables", "files", "connections", "listening", "dns".
std::string_view behaviour_name(BehaviourClass behaviour);
std::optional<BehaviourClass> parse_behaviour(std::string_view name);

// "learning", "stable", "unstable", "relearning".
std::string_view state_name(LearningState state);
std::optional<LearningState> parse_state(std::string_view name);

// Position in all_behaviour_classes, for per-class arrays.
constexpr std::size_t class_index(BehaviourClass behaviour)
{
    return static_cast<std::size_t>(behaviour);
}

} // namespace vigil_drift
