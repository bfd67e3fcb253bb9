// SPDX-License-Identifier: Apache-2.0
// "No container" (plugin_abi.h): the host passes NULL in vigil_alert and
// vigil_event, "" in vigil_raised_alert; the SDK reads both as none.
#include <doctest/doctest.h>

#include <string>

#include <vigil/output.hpp>

TEST_CASE("abi no container: an output's alert, NULL as the host passes it, or empty")
{
    vigil_alert alert{};
    alert.struct_size = sizeof(alert);
    CHECK_FALSE(vigil::in_container(alert));
    CHECK(vigil::container_id(alert).empty());

    alert.container_id = "";
    CHECK_FALSE(vigil::in_container(alert));
    CHECK(vigil::container_id(alert).empty());

    std::string id(64, 'c');
    alert.container_id = id.c_str();
    CHECK(vigil::in_container(alert));
    CHECK(vigil::container_id(alert) == id);
}

TEST_CASE("abi no container: another detector's alert, empty as the host passes it, or NULL")
{
    vigil_raised_alert alert{};
    alert.struct_size = sizeof(alert);
    alert.container_id = "";
    CHECK_FALSE(vigil::in_container(alert));
    CHECK(vigil::container_id(alert).empty());

    alert.container_id = nullptr;
    CHECK_FALSE(vigil::in_container(alert));
    CHECK(vigil::container_id(alert).empty());

    alert.container_id = "abc";
    CHECK(vigil::in_container(alert));
    CHECK(vigil::container_id(alert) == "abc");
}

TEST_CASE("abi no container: an event's container, absent as the host passes it, or with an empty id")
{
    vigil_event_header header{};
    header.size = sizeof(header);
    vigil_event raw{};
    raw.struct_size = sizeof(raw);
    raw.record = &header;
    raw.record_size = sizeof(header);
    vigil::Event event(&raw);
    CHECK_FALSE(event.in_container());
    CHECK(event.container() == nullptr);

    vigil_container container{};
    container.struct_size = sizeof(container);
    container.id = "";
    raw.container = &container;
    CHECK_FALSE(event.in_container());
    CHECK(event.container() == nullptr);
    CHECK_FALSE(vigil::in_container(&container));

    std::string id(64, 'a');
    container.id = id.c_str();
    CHECK(event.in_container());
    CHECK(event.container() == &container);
    CHECK(vigil::in_container(&container));
    CHECK_FALSE(vigil::in_container(static_cast<const vigil_container *>(nullptr)));
}
