// SPDX-License-Identifier: Apache-2.0
// A fake sensor with the sa_abuse plugin loaded, and audit events as the
// API server reports them for a few typical callers.
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <vigil/testing/fake_host.hpp>

namespace sa_abuse_test {

inline constexpr uint64_t second = 1'000'000'000ull;

using vigil::testing::FakeAuditEvent;

struct Sensor {
    vigil::testing::FakeHost host{SA_ABUSE_PLUGIN_PATH};

    uint64_t now = 1000 * second; // the fake clock, CLOCK_BOOTTIME as the sensor's

    Sensor() { host.set_now(now); }

    void start() { REQUIRE(host.start() == 0); }
    void advance(uint64_t seconds)
    {
        now += seconds * second;
        host.set_now(now);
    }

    void send(const FakeAuditEvent &audit) { REQUIRE(host.deliver_audit(audit) == 0); }

    const std::vector<vigil::testing::RecordedAlert> &alerts()
    {
        CHECK(host.problems().empty());
        return host.alerts();
    }
    std::vector<std::string> rules()
    {
        std::vector<std::string> ids;
        for (const auto &alert : alerts()) {
            ids.push_back(alert.rule);
        }
        return ids;
    }
    const vigil::testing::RecordedAlert &only_alert()
    {
        REQUIRE(alerts().size() == 1);
        return host.alerts().front();
    }
};

// A call by service account @ns:@name, made with the bound token of pod @pod from @address.
inline FakeAuditEvent by_account(const std::string &ns, const std::string &name, const std::string &verb,
                                 const std::string &resource, const std::string &object_namespace,
                                 const std::string &address = "10.244.1.7", const std::string &pod = "web-1",
                                 const std::string &pod_uid = "uid-web-1")
{
    FakeAuditEvent audit;
    audit.username = "system:serviceaccount:" + ns + ":" + name;
    audit.service_account_namespace = ns;
    audit.service_account_name = name;
    audit.pod_name = pod;
    audit.pod_uid = pod_uid;
    audit.verb = verb;
    audit.resource = resource;
    audit.object_namespace = object_namespace;
    audit.source_ips = {address};
    audit.user_agent = "app/1.0";
    audit.request_uri = "/api/v1/namespaces/" + object_namespace + "/" + resource;
    return audit;
}

inline std::vector<std::string> strings(std::initializer_list<const char *> items)
{
    return {items.begin(), items.end()};
}

} // namespace sa_abuse_test
