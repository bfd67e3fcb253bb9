// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "profile/behaviour.hpp"

using namespace vigil_drift;

TEST_CASE("behaviour classes and learning states round-trip through their names")
{
    const char *classes[] = {"executables", "files", "connections", "listening", "dns"};
    for (std::size_t index = 0; index < behaviour_class_count; ++index) {
        CHECK(behaviour_name(all_behaviour_classes[index]) == classes[index]);
        CHECK(parse_behaviour(classes[index]) == all_behaviour_classes[index]);
    }
    for (auto state :
         {LearningState::learning, LearningState::stable, LearningState::unstable, LearningState::relearning}) {
        CHECK(parse_state(state_name(state)) == state);
    }
    CHECK(state_name(LearningState::relearning) == "relearning");
    CHECK_FALSE(parse_behaviour("Files"));
    CHECK_FALSE(parse_state(""));
}
