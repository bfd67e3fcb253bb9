// SPDX-License-Identifier: Apache-2.0
// The hook dispatcher on the real kernel: stages chained behind one core
// program, one path read shared by all, scopes, and the fallback when the
// dispatcher cannot run a stage.
#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <doctest/doctest.h>
#include <vigil/bpf/hooks.h>

#include "connect_stage_cases.skel.h"
#include "core/probes/hook_dispatch.hpp"
#include "core/probes/load_time_constants.hpp"
#include "dns_stage_cases.skel.h"
#include "open_stage_cases.skel.h"
#include "probes/kernel_test_support.hpp"
#include "stage_cases.skel.h"

using namespace vigil::probes;

namespace {

constexpr const char *opened_path = "/proc/self/stat";

ObjectSpec stage_cases_spec()
{
    ObjectSpec spec;
    spec.owner = "test";
    spec.name = "stage_cases";
    spec.elf = stage_cases__elf_bytes(&spec.elf_size);
    spec.programs = {
        {"first_stage", "open", 0, false}, {"second_stage", "open", 0, false}, {"open_fallback", "open", 1, false}};
    return spec;
}

// A child process that does @action @times times when told to: the
// dispatcher drops the test's own calls, as the sensor's (it loaded the
// dispatcher). @action returns false on failure.
class Child {
public:
    explicit Child(std::function<bool()> action)
    {
        REQUIRE(pipe(go_) == 0);
        REQUIRE(pipe(done_) == 0);
        pid_ = fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            close(go_[1]);
            close(done_[0]);
            // Each run: the number of calls to make, then whether they all worked; until the parent closes.
            int times = 0;
            while (read(go_[0], &times, sizeof(times)) == sizeof(times)) {
                char worked = 1;
                for (int i = 0; i < times && worked; ++i) {
                    worked = action() ? 1 : 0;
                }
                if (write(done_[1], &worked, 1) != 1) {
                    _exit(1);
                }
            }
            _exit(0);
        }
        close(go_[0]);
        close(done_[1]);
    }
    ~Child()
    {
        close(go_[1]);
        close(done_[0]);
        waitpid(pid_, nullptr, 0);
    }
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;
    uint32_t pid() const { return static_cast<uint32_t>(pid_); }
    void run(int times)
    {
        REQUIRE(write(go_[1], &times, sizeof(times)) == sizeof(times));
        char worked = 0;
        REQUIRE(read(done_[0], &worked, 1) == 1);
        CHECK(worked == 1);
    }

private:
    int go_[2] = {-1, -1};
    int done_[2] = {-1, -1};
    pid_t pid_ = -1;
};

bool open_once()
{
    int fd = open(opened_path, O_RDONLY);
    if (fd < 0) {
        return false;
    }
    close(fd);
    return true;
}

struct Destination {
    const char *address;
    uint16_t port;
};

// A UDP connect to the next of @destinations, in turn: it sends nothing and needs no listener.
std::function<bool()> connect_in_turn(std::vector<Destination> destinations)
{
    return [destinations, next = std::size_t{0}]() mutable {
        const auto &destination = destinations[next++ % destinations.size()];
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in peer{};
        peer.sin_family = AF_INET;
        peer.sin_port = htons(destination.port);
        bool connected = inet_pton(AF_INET, destination.address, &peer.sin_addr) == 1 && fd >= 0 &&
                         connect(fd, reinterpret_cast<sockaddr *>(&peer), sizeof(peer)) == 0;
        close(fd);
        return connected;
    };
}

std::unique_ptr<LoadedObject> load_stages(const LoadSettings &settings, bool watch_host, uint32_t target)
{
    auto loaded = load_object(stage_cases_spec(), settings, [&](bpf_object *object) {
        set_load_time_constant(object, "target_tgid", &target, sizeof(target));
        set_load_time_constant(object, "vigil_watch_host", &watch_host, sizeof(watch_host));
    });
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error()));
    return std::move(*loaded);
}

vigil_connect_address ipv4(const char *text)
{
    vigil_connect_address address{};
    address.family = AF_INET;
    REQUIRE(inet_pton(AF_INET, text, address.address) == 1);
    return address;
}

// The connect counter for @target; @filter: its vigil_connect_* constants, or nullopt for the default.
std::unique_ptr<LoadedObject> load_connect_counter(const LoadSettings &settings, uint32_t target,
                                                   const std::optional<ConnectFilter> &filter)
{
    ObjectSpec spec;
    spec.owner = "test";
    spec.name = "connect_stage_cases";
    spec.elf = connect_stage_cases__elf_bytes(&spec.elf_size);
    spec.programs = {{"connect_counter", "", 0, false}};
    auto loaded = load_object(spec, settings, [&](bpf_object *object) {
        bool watch_host = true;
        set_load_time_constant(object, "target_tgid", &target, sizeof(target));
        set_load_time_constant(object, "vigil_watch_host", &watch_host, sizeof(watch_host));
        if (filter) {
            std::array<uint16_t, VIGIL_MAX_CONNECT_PORTS> ports{};
            std::array<vigil_connect_address, VIGIL_MAX_CONNECT_ADDRESSES> addresses{};
            std::copy(filter->ports.begin(), filter->ports.end(), ports.begin());
            std::copy(filter->addresses.begin(), filter->addresses.end(), addresses.begin());
            auto port_count = static_cast<uint32_t>(filter->ports.size());
            auto address_count = static_cast<uint32_t>(filter->addresses.size());
            set_load_time_constant(object, "vigil_connect_ports", ports.data(), sizeof(ports));
            set_load_time_constant(object, "vigil_connect_port_count", &port_count, sizeof(port_count));
            set_load_time_constant(object, "vigil_connect_addresses", addresses.data(), sizeof(addresses));
            set_load_time_constant(object, "vigil_connect_address_count", &address_count, sizeof(address_count));
        }
    });
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error()));
    return std::move(*loaded);
}

// The open counter for @target; @filter: its vigil_open_* constants, or nullopt for the default.
std::unique_ptr<LoadedObject> load_open_counter(const LoadSettings &settings, uint32_t target,
                                                const std::optional<OpenFilter> &filter)
{
    ObjectSpec spec;
    spec.owner = "test";
    spec.name = "open_stage_cases";
    spec.elf = open_stage_cases__elf_bytes(&spec.elf_size);
    spec.programs = {{"open_counter", "", 0, false}};
    auto loaded = load_object(spec, settings, [&](bpf_object *object) {
        bool watch_host = true;
        set_load_time_constant(object, "target_tgid", &target, sizeof(target));
        set_load_time_constant(object, "vigil_watch_host", &watch_host, sizeof(watch_host));
        if (filter) {
            bool filtered = true;
            char heads[VIGIL_MAX_OPEN_HEADS][VIGIL_OPEN_HEAD_SIZE] = {};
            for (std::size_t i = 0; i < filter->heads.size(); ++i) {
                std::memcpy(heads[i], filter->heads[i].data(), filter->heads[i].size());
            }
            auto count = static_cast<uint32_t>(filter->heads.size());
            set_load_time_constant(object, "vigil_open_filtered", &filtered, sizeof(filtered));
            set_load_time_constant(object, "vigil_open_flags", &filter->flags, sizeof(filter->flags));
            set_load_time_constant(object, "vigil_open_odd_paths", &filter->odd_paths, sizeof(filter->odd_paths));
            set_load_time_constant(object, "vigil_open_heads", heads, sizeof(heads));
            set_load_time_constant(object, "vigil_open_head_count", &count, sizeof(count));
        }
    });
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error()));
    return std::move(*loaded);
}

// Opens, in turn: a read of /etc/hostname, a read under /proc, a write in /tmp, a relative read.
std::function<bool()> open_in_turn()
{
    return [next = 0]() mutable {
        // Paths copied into memory the child wrote: a string constant's page may not be mapped in the
        // forked child yet, and the dispatcher, before the open faults it in, could not read the path.
        std::string path;
        int fd = -1;
        switch (next++ % 4) {
        case 0:
            path = "/etc/hostname";
            fd = open(path.c_str(), O_RDONLY);
            break;
        case 1:
            path = "/proc/self/stat";
            fd = open(path.c_str(), O_RDONLY);
            break;
        case 2:
            path = "/tmp/vigil-open-filter-test";
            fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            break;
        default:
            path = "etc/hostname";
            fd = openat(open("/", O_RDONLY | O_DIRECTORY), path.c_str(), O_RDONLY);
            break;
        }
        if (fd < 0) {
            return false;
        }
        close(fd);
        return true;
    };
}

ProgramState state_of(const LoadedObject &object, std::string_view name)
{
    for (const auto &program : object.programs()) {
        if (program.name == name) {
            return program.state;
        }
    }
    FAIL("no program named " << name);
    return ProgramState::load_failed;
}

std::array<uint64_t, 5> seen(const LoadedObject &object)
{
    std::array<uint64_t, 5> values{};
    int fd = bpf_map__fd(bpf_object__find_map_by_name(object.object(), "seen"));
    for (uint32_t index = 0; index < values.size(); ++index) {
        bpf_map_lookup_elem(fd, &index, &values[index]);
    }
    return values;
}

HookReport hook_named(const HookDispatch &dispatch, std::string_view name)
{
    for (auto &hook : dispatch.hooks()) {
        if (hook.name == name) {
            return hook;
        }
    }
    FAIL("no hook named " << name);
    return {};
}

std::unique_ptr<HookDispatch> load_dispatch(const LoadSettings &settings)
{
    // The test's own namespaces are the host's: it runs as a host task.
    auto dispatch = HookDispatch::load(settings, discover_host_namespaces("/proc"));
    REQUIRE_MESSAGE(dispatch.has_value(), (dispatch ? "" : dispatch.error()));
    return std::move(*dispatch);
}

} // namespace

TEST_CASE("hook dispatch: stages run in order from the core's program and share one path read")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    CHECK_FALSE(hook_named(*dispatch, "open_enter").attached); // nothing subscribed: nothing on open

    LoadSettings settings;
    settings.stages = dispatch.get();
    Child opener(open_once);
    auto stages = load_stages(settings, true, opener.pid());
    CHECK(state_of(*stages, "first_stage") == ProgramState::attached);
    CHECK(state_of(*stages, "second_stage") == ProgramState::attached);
    CHECK(state_of(*stages, "open_fallback") == ProgramState::standby);
    auto hook = hook_named(*dispatch, "open_enter");
    CHECK(hook.attached);
    CHECK(hook.container_stages ==
          std::vector<std::string>{"test/stage_cases:first_stage", "test/stage_cases:second_stage"});
    CHECK(hook.host_stages == hook.container_stages);

    opener.run(10);
    auto counts = seen(*stages);
    CHECK(counts[0] >= 10);
    CHECK(counts[1] == counts[0]); // the second stage ran after the first, every time
    CHECK(counts[2] == counts[1]); // and found the path already read
    CHECK(counts[3] == 0);         // the fallback never ran
    CHECK(counts[4] == std::strlen(opened_path) + 1);

    // The last stage leaving takes the core's program off the tracepoint.
    stages.reset();
    CHECK_FALSE(hook_named(*dispatch, "open_enter").attached);
}

TEST_CASE("hook dispatch: container-only stages do not run for a host task")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    LoadSettings settings;
    settings.stages = dispatch.get();
    Child opener(open_once);
    auto stages = load_stages(settings, false, opener.pid());
    auto hook = hook_named(*dispatch, "open_enter");
    CHECK(hook.container_stages.size() == 2);
    CHECK(hook.host_stages.empty());
    opener.run(10);
    CHECK(seen(*stages)[0] == 0);
}

TEST_CASE("hook dispatch: where the dispatcher cannot run a stage, the group falls back")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    SUBCASE("no dispatcher loaded")
    {
        Child opener(open_once);
        auto stages = load_stages({}, true, opener.pid());
        CHECK(state_of(*stages, "first_stage") == ProgramState::attach_failed);
        CHECK(state_of(*stages, "open_fallback") == ProgramState::attached);
        opener.run(10);
        auto counts = seen(*stages);
        CHECK(counts[3] >= 10);
        CHECK(counts[0] == counts[3]); // the fallback ran the first stage's body
    }
    SUBCASE("tracepoints disabled in the configuration")
    {
        LoadSettings settings;
        settings.disabled_types = {AttachType::tracepoint};
        auto dispatch = load_dispatch(settings);
        settings.stages = dispatch.get();
        auto stages = load_stages(settings, true, 0);
        CHECK(state_of(*stages, "first_stage") == ProgramState::disabled);
        CHECK(state_of(*stages, "open_fallback") == ProgramState::attached);
        CHECK_FALSE(hook_named(*dispatch, "open_enter").attached);
    }
}

TEST_CASE("hook dispatch: a stage of an unknown hook is refused by name")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    auto refused = dispatch->subscribe("close_enter", {}, -1, "test");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().find("close_enter") != std::string::npos);
    CHECK(refused.error().find("open_enter") != std::string::npos);
}

TEST_CASE("hook dispatch: a connect reaches the chain only when some stage wants it")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    LoadSettings settings;
    settings.stages = dispatch.get();
    auto filter_text = [&] { return hook_named(*dispatch, "connect_enter").filter; };

    SUBCASE("a stage that lists its ports sees those connects only")
    {
        Child connecter(connect_in_turn({{"127.0.0.1", 9}, {"127.0.0.1", 9}, {"127.0.0.1", 5555}}));
        auto counter = load_connect_counter(settings, connecter.pid(), ConnectFilter{{5555, 6666}, {}});
        CHECK(filter_text() == "ports 5555, 6666 from containers; ports 5555, 6666 from host tasks");
        connecter.run(30);
        auto counts = seen(*counter);
        CHECK(counts[0] == 10);
        CHECK(counts[1] == 5555);
    }
    SUBCASE("a stage that lists an address sees its connects on any port")
    {
        Child connecter(connect_in_turn({{"127.0.0.1", 9}, {"127.0.0.2", 9}, {"127.0.0.2", 7}}));
        auto counter = load_connect_counter(settings, connecter.pid(), ConnectFilter{{5555}, {ipv4("127.0.0.2")}});
        CHECK(filter_text() == "ports 5555 and any port of 127.0.0.2 from containers; ports 5555 and any port of "
                               "127.0.0.2 from host tasks");
        connecter.run(30);
        CHECK(seen(*counter)[0] == 20);
    }
    SUBCASE("a stage that says nothing sees every connect, and its neighbour still only its own")
    {
        Child connecter(connect_in_turn({{"127.0.0.1", 9}, {"127.0.0.1", 9}, {"127.0.0.1", 5555}}));
        auto listing = load_connect_counter(settings, connecter.pid(), ConnectFilter{{5555}, {}});
        auto silent = load_connect_counter(settings, connecter.pid(), std::nullopt);
        CHECK(filter_text() == "every connect from containers; every connect from host tasks");
        connecter.run(30);
        CHECK(seen(*silent)[0] == 30);
        CHECK(seen(*listing)[0] == 10); // the chain ran, but passed over the stage that did not ask
        // The silent stage leaving narrows the filter again.
        silent.reset();
        CHECK(filter_text() == "ports 5555 from containers; ports 5555 from host tasks");
    }
    SUBCASE("each stage of a chain sees what it asked for, also once an earlier stage left")
    {
        Child connecter(connect_in_turn({{"127.0.0.1", 9}, {"127.0.0.2", 7}, {"127.0.0.1", 5555}}));
        auto first = load_connect_counter(settings, connecter.pid(), ConnectFilter{{9}, {}});
        auto second = load_connect_counter(settings, connecter.pid(), ConnectFilter{{}, {ipv4("127.0.0.2")}});
        auto third = load_connect_counter(settings, connecter.pid(), ConnectFilter{{5555, 9}, {}});
        connecter.run(30);
        CHECK(seen(*first)[0] == 10);
        CHECK(seen(*second)[0] == 10);
        CHECK(seen(*third)[0] == 20);
        // The first leaves: the others move up a place, and the filter follows them.
        first.reset();
        connecter.run(30);
        CHECK(seen(*second)[0] == 20);
        CHECK(seen(*third)[0] == 40);
    }
    SUBCASE("a stage that wants no connect never runs")
    {
        Child connecter(connect_in_turn({{"127.0.0.1", 9}, {"127.0.0.1", 5555}}));
        auto counter = load_connect_counter(settings, connecter.pid(), ConnectFilter{});
        CHECK(filter_text() == "no connect");
        connecter.run(10);
        CHECK(seen(*counter)[0] == 0);
    }
}

TEST_CASE("hook dispatch: an open reaches the chain only when some stage wants it")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    LoadSettings settings;
    settings.stages = dispatch.get();
    auto filter_text = [&] { return hook_named(*dispatch, "open_enter").filter; };
    // Each round of 4: /etc/hostname read, /proc/self/stat read, /tmp write, relative read (and its "/" dir open).

    SUBCASE("write-opens only")
    {
        Child opener(open_in_turn());
        auto counter = load_open_counter(settings, opener.pid(), OpenFilter{O_WRONLY | O_RDWR, {}, false});
        CHECK(filter_text() == "flags 0x3 from containers; flags 0x3 from host tasks");
        opener.run(40);
        CHECK(seen(*counter)[0] == 10);
    }
    SUBCASE("a head, and odd paths")
    {
        Child opener(open_in_turn());
        auto counter = load_open_counter(settings, opener.pid(), OpenFilter{0, {"/proc/"}, true});
        CHECK(filter_text() == "paths /proc/, relative paths from containers; paths /proc/, relative paths from host "
                               "tasks");
        opener.run(40);
        CHECK(seen(*counter)[0] == 20); // /proc/self/stat and etc/hostname; not /etc, /tmp or "/"
    }
    SUBCASE("a stage that says nothing opens the chain to every open, and only its own stage")
    {
        Child opener(open_in_turn());
        auto filtered = load_open_counter(settings, opener.pid(), OpenFilter{O_WRONLY | O_RDWR, {}, false});
        auto silent = load_open_counter(settings, opener.pid(), std::nullopt);
        CHECK(filter_text() == "every open from containers; every open from host tasks");
        opener.run(40);
        CHECK(seen(*silent)[0] == 50); // the "/" directory of each relative open too
        CHECK(seen(*filtered)[0] == 10);
        silent.reset();
        CHECK(filter_text() == "flags 0x3 from containers; flags 0x3 from host tasks");
    }
    SUBCASE("an open runs the stages that asked for it, and passes over the others")
    {
        Child opener(open_in_turn());
        auto proc = load_open_counter(settings, opener.pid(), OpenFilter{0, {"/proc/"}, false});
        auto writes = load_open_counter(settings, opener.pid(), OpenFilter{O_WRONLY | O_RDWR, {}, false});
        auto etc = load_open_counter(settings, opener.pid(), OpenFilter{0, {"/etc/"}, true});
        opener.run(40);
        CHECK(seen(*proc)[0] == 10);
        CHECK(seen(*writes)[0] == 10);
        CHECK(seen(*etc)[0] == 20); // /etc/hostname, and etc/hostname as an odd path
        // The first leaves: the others move up a place, and the filter follows them.
        proc.reset();
        opener.run(40);
        CHECK(seen(*writes)[0] == 20);
        CHECK(seen(*etc)[0] == 40);
    }
    SUBCASE("a stage that wants no open never runs")
    {
        Child opener(open_in_turn());
        auto counter = load_open_counter(settings, opener.pid(), OpenFilter{});
        CHECK(filter_text() == "no open");
        opener.run(8);
        CHECK(seen(*counter)[0] == 0);
    }
}

namespace {

// UDP sends of 20 bytes, in turn: sendto 127.0.0.1:53, sendto 127.0.0.1:9, send on a socket connected
// to 127.0.0.1:53, send on one connected to :9, sendmsg to 127.0.0.1:53. Nothing listens: UDP does
// not care, and the stages see the calls' entries. Failures are not the test's business.
std::function<bool()> send_in_turn()
{
    return [next = 0]() mutable {
        char message[20] = {};
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        auto peer = [](uint16_t port) {
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(port);
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            return address;
        };
        auto dns = peer(53);
        auto discard = peer(9);
        switch (next++ % 5) {
        case 0:
            sendto(fd, message, sizeof(message), 0, reinterpret_cast<sockaddr *>(&dns), sizeof(dns));
            break;
        case 1:
            sendto(fd, message, sizeof(message), 0, reinterpret_cast<sockaddr *>(&discard), sizeof(discard));
            break;
        case 2:
            connect(fd, reinterpret_cast<sockaddr *>(&dns), sizeof(dns));
            send(fd, message, sizeof(message), 0);
            break;
        case 3:
            connect(fd, reinterpret_cast<sockaddr *>(&discard), sizeof(discard));
            send(fd, message, sizeof(message), 0);
            break;
        default: {
            iovec part{message, 12};
            msghdr header{};
            header.msg_name = &dns;
            header.msg_namelen = sizeof(dns);
            header.msg_iov = &part;
            header.msg_iovlen = 1;
            sendmsg(fd, &header, 0);
            break;
        }
        }
        close(fd);
        return true;
    };
}

std::unique_ptr<LoadedObject> load_dns_counter(const LoadSettings &settings, uint32_t target)
{
    ObjectSpec spec;
    spec.owner = "test";
    spec.name = "dns_stage_cases";
    spec.elf = dns_stage_cases__elf_bytes(&spec.elf_size);
    spec.programs = {{"dns_counter", "", 0, false}};
    auto loaded = load_object(spec, settings, [&](bpf_object *object) {
        bool watch_host = true;
        set_load_time_constant(object, "target_tgid", &target, sizeof(target));
        set_load_time_constant(object, "vigil_watch_host", &watch_host, sizeof(watch_host));
    });
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error()));
    return std::move(*loaded);
}

} // namespace

TEST_CASE("hook dispatch: dns_send runs only for sends to port 53, connected sockets included")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    LoadSettings settings;
    settings.stages = dispatch.get();
    Child sender(send_in_turn());
    auto counter = load_dns_counter(settings, sender.pid());
    sender.run(50);
    auto counts = seen(*counter);
    // Of every five: the sendto, the send on the socket connected to :53, the sendmsg.
    CHECK(counts[0] == 30);
    CHECK(counts[1] == 10); // the connected socket's, remembered from its connect
    CHECK(counts[2] == 53);
    CHECK(counts[3] == 12); // the sendmsg's first iovec came last
}
