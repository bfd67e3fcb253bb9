// SPDX-License-Identifier: Apache-2.0
#include "profile/behaviour.hpp"

namespace vigil_drift {

namespace {

constexpr std::array<std::string_view, behaviour_class_count> behaviour_names{"executables", "files", "connections",
                                                                              "listening", "dns"};
constexpr std::array<std::string_view, 4> state_names{"learning", "stable", "unstable", "relearning"};

} // namespace

std::string_view behaviour_name(BehaviourClass behaviour)
{
    return behaviour_names.at(class_index(behaviour));
}

std::optional<BehaviourClass> parse_behaviour(std::string_view name)
{
    for (auto behaviour : all_behaviour_classes) {
        if (behaviour_name(behaviour) == name) {
            return behaviour;
        }
    }
    return std::nullopt;
}

std::string_view state_name(LearningState state)
{
    return state_names.at(static_cast<std::size_t>(state));
}

std::optional<LearningState> parse_state(std::string_view name)
{
    for (std::size_t index = 0; index < state_names.size(); ++index) {
        if (state_names[index] == name) {
            return static_cast<LearningState>(index);
        }
    }
    return std::nullopt;
}

} // namespace vigil_drift
