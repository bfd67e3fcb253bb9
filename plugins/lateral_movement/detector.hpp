// SPDX-License-Identifier: Apache-2.0
// The lateral_movement detector: reads the records of the "lateral_events"
// ring, judges them with the settings and the correlation state, and raises
// the alerts (alerts.cpp).
#pragma once

#include <string_view>

#include <vigil/detector.hpp>

#include "correlation.hpp"
#include "lateral_events.h"
#include "settings.hpp"

namespace vigil_lateral_movement {

// The BPF object's name in the descriptor, which configure_bpf addresses.
inline constexpr const char *bpf_object_name = "lateral_movement";

class LateralMovementDetector final : public vigil::Detector {
public:
    LateralMovementDetector(vigil::Host host, const vigil::Config &config);

    void configure_bpf(const vigil::BpfSetup &setup) override;
    void on_event(const vigil::Event &event) override;

private:
    void on_open(const vigil::Event &event, const lateral_open &record);
    void on_connect(const vigil::Event &event, const lateral_connect &record);

    // The path an open names as a token path (normalized), or "" when it is none.
    std::string token_path_of(const lateral_open &record) const;
    bool known_client(const vigil::Event &event) const;
    TreeMember tree_member(const vigil::Event &event) const;
    Sighting sighting(const vigil::Event &event, std::string_view detail) const;

    // alerts.cpp
    void alert_token_read(const vigil::Event &event, const lateral_open &record, const std::string &path);
    void alert_connect(const vigil::Event &event, Rule rule, const Endpoint &endpoint, const WatchedEndpoint &watched);
    void alert_correlated(const vigil::Event &event, const Sighting &read, const Sighting &connect, bool read_first);

    Settings settings_;
    SightingLog token_reads_;
    SightingLog api_connects_;
    vigil::Counter known_client_findings_;
    vigil::Counter malformed_;
};

} // namespace vigil_lateral_movement
