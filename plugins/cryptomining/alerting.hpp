// SPDX-License-Identifier: Apache-2.0
// What every alert of the plugin starts with: its rule, severity and ATT&CK ids.
#pragma once

#include <vigil/alert.hpp>

#include "rules.hpp"

namespace cryptomining_plugin {

inline void add_attack(vigil::Alert &alert)
{
    for (const auto &tactic : all_tactics()) {
        alert.tactic(tactic);
    }
    for (const auto &technique : all_techniques()) {
        alert.technique(technique);
    }
}

} // namespace cryptomining_plugin
