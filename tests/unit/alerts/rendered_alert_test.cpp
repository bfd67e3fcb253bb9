// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/alerts/rendered_alert.hpp"

using namespace vigil::alerts;
using vigil::alerts::Alert;

TEST_CASE("alerts: the ABI view of a rendered alert points into it")
{
    Alert alert;
    alert.time_unix_ns = 42;
    alert.rule = "injection.ptrace_attach";
    alert.plugin = "injection";
    alert.severity = VIGIL_SEVERITY_HIGH;
    alert.summary = "summary";
    alert.tactics = {{"TA0005", "Defense Evasion"}};
    alert.techniques = {{"T1055.008", "Ptrace"}, {"T1611", "Escape to Host"}};
    alert.process = vigil::alerts::ProcessContext{1234, 1234, 0, 0, "/injector", "", {}};
    alert.container = vigil::alerts::ContainerContext{"abc", "containerd"};
    alert.k8s.node = "node-1";
    alert.k8s.pod_uid = "uid-1";
    alert.repeat = vigil::alerts::Repeat{7, 1, 2};

    RenderedAlert rendered(alert);
    const vigil_alert &view = *rendered.view();
    CHECK(view.struct_size == sizeof(vigil_alert));
    CHECK(std::string_view(view.json, view.json_size) == rendered.json());
    CHECK(rendered.json() == vigil::alerts::to_json(alert));
    CHECK(view.json[view.json_size] == '\0');
    CHECK(std::string_view(view.rule) == "injection.ptrace_attach");
    CHECK(std::string_view(view.plugin) == "injection");
    CHECK(std::string_view(view.summary) == "summary");
    CHECK(view.severity == VIGIL_SEVERITY_HIGH);
    CHECK(view.time_unix_ns == 42);
    REQUIRE(view.tactic_count == 1);
    CHECK(std::string_view(view.tactics[0].id) == "TA0005");
    REQUIRE(view.technique_count == 2);
    CHECK(view.techniques[1].struct_size == sizeof(vigil_attack_ref));
    CHECK(std::string_view(view.techniques[1].id) == "T1611");
    CHECK(view.pid == 1234);
    CHECK(std::string_view(view.exe) == "/injector");
    CHECK(std::string_view(view.container_id) == "abc");
    CHECK(std::string_view(view.pod_uid) == "uid-1");
    CHECK(std::string_view(view.node) == "node-1");
    CHECK(view.repeat_count == 7);
    CHECK(std::string_view(view.finding_key) == "injection.ptrace_attach/abc//injector");

    Alert host;
    host.rule = "r";
    RenderedAlert host_rendered(host);
    CHECK(host_rendered.view()->container_id == nullptr);
    CHECK(host_rendered.view()->pod_uid == nullptr);
    CHECK(host_rendered.view()->pid == 0);
    CHECK(std::string_view(host_rendered.view()->exe).empty());
    CHECK(std::string_view(host_rendered.view()->finding_key) == "r//");
    CHECK(host_rendered.view()->repeat_count == 0);
}

TEST_CASE("alerts: the finding key is the detector's dedup key in its container, or on its node for a host process")
{
    Alert alert;
    alert.rule = "injection.ptrace_attach";
    alert.process = vigil::alerts::ProcessContext{1234, 1234, 0, 0, "/injector", "", {}};
    alert.k8s.node = "node-1";
    alert.dedup_key = "1234->7";
    CHECK(std::string_view(RenderedAlert(alert).view()->finding_key) == "injection.ptrace_attach/node-1/1234->7");
    alert.container = vigil::alerts::ContainerContext{"abc", "containerd"};
    CHECK(std::string_view(RenderedAlert(alert).view()->finding_key) == "injection.ptrace_attach/abc/1234->7");
    alert.dedup_key.clear(); // the detector gave none: the executable stands in
    CHECK(std::string_view(RenderedAlert(alert).view()->finding_key) == "injection.ptrace_attach/abc//injector");
}
