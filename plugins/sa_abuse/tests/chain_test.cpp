// SPDX-License-Identifier: Apache-2.0
// sa_abuse.chain: another detector's finding in a pod and an audit-side
// finding for that pod's service account, within the window, as one alert.
#include <array>

#include "chain.hpp"
#include "chain_finding.hpp"
#include "test_support.hpp"

using namespace sa_abuse_test;
using vigil::testing::FakeRaisedAlert;

namespace {

constexpr uint32_t reader_pid = 4242;
const std::string web_uid = "uid-web-1";

// A sensor where shop:web has made its first call, so (warmup_s = 0) its next new call is unusual_call.
struct ChainSensor : Sensor {
    explicit ChainSensor(std::initializer_list<std::pair<const char *, vigil::testing::OptionValue>> options = {})
    {
        host.set_option("warmup_s", vigil::testing::OptionValue(int64_t{0})); // not the const char * overload
        for (const auto &[key, value] : options) {
            host.set_option(key, value);
        }
        start();
        send(by_account("shop", "web", "get", "configmaps", "shop"));
        REQUIRE(alerts().empty());
    }
    void raise(const FakeRaisedAlert &alert) { REQUIRE(host.deliver_alert(alert) == 0); }
    // The token reader as the sensor knows it: pid reader_pid in container @id.
    void reader_in(const std::string &id, uint64_t cgroup = 7001)
    {
        vigil::testing::FakeContainer container;
        container.cgroup_id = cgroup;
        container.id = id;
        container.pod_uid = web_uid;
        host.add_container(container);
        vigil::testing::FakeProcess process;
        process.tgid = reader_pid;
        process.parent_tgid = 1;
        process.cgroup_id = cgroup;
        process.exe = "/usr/bin/curl";
        process.cmdline = "curl";
        host.add_process(process);
    }
    // unusual_call (medium: secrets in another namespace), made with pod @pod_uid's token.
    void unusual_call(const std::string &pod_uid = web_uid)
    {
        send(by_account("shop", "web", "list", "secrets", "billing", "10.244.1.7", pod_uid.empty() ? "" : "web-1",
                        pod_uid));
    }
};

// lateral_movement.token_read in pod shop/web-1, as the sensor hands it on after enrichment.
FakeRaisedAlert token_read(const std::string &pod_uid = web_uid)
{
    FakeRaisedAlert alert;
    alert.plugin = "lateral_movement";
    alert.rule = "lateral_movement.token_read";
    alert.severity = VIGIL_SEVERITY_MEDIUM;
    alert.summary = "/usr/bin/curl read the service account token";
    alert.tactics = {{"TA0006", "Credential Access"}};
    alert.techniques = {{"T1552.007", "Unsecured Credentials: Container API"}};
    alert.pid = reader_pid;
    alert.exe = "/usr/bin/curl";
    alert.container_id = std::string(64, 'c');
    alert.pod_uid = pod_uid;
    alert.pod_namespace = "shop";
    alert.pod_name = "web-1";
    alert.service_account = "web";
    alert.evidence = {{"token_path", "/var/run/secrets/kubernetes.io/serviceaccount/token"}, {"syscall", "openat"}};
    alert.finding_key = "lateral_movement.token_read|ccc|/usr/bin/curl";
    return alert;
}

// escape.release_agent_write in the same pod, with no subject process left.
FakeRaisedAlert release_agent_write()
{
    FakeRaisedAlert alert = token_read();
    alert.plugin = "escape";
    alert.rule = "escape.release_agent_write";
    alert.severity = VIGIL_SEVERITY_CRITICAL;
    alert.summary = "/bin/sh wrote a cgroup release_agent";
    alert.tactics = {{"TA0004", "Privilege Escalation"}};
    alert.techniques = {{"T1611", "Escape to Host"}};
    alert.pid = 0;
    alert.evidence = {{"path", "/sys/fs/cgroup/rdma/release_agent"}};
    return alert;
}

} // namespace

TEST_CASE("chain: a token read in the pod, then its account's unusual call: one critical alert with both sides")
{
    ChainSensor sensor;
    sensor.reader_in(std::string(64, 'c'));
    sensor.raise(token_read());
    CHECK(sensor.alerts().empty()); // a container-side finding alone raises nothing here
    sensor.advance(120);
    sensor.unusual_call();
    REQUIRE(sensor.rules() == strings({"sa_abuse.unusual_call", "sa_abuse.chain"}));
    const auto &chain = sensor.alerts()[1];
    CHECK(chain.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(chain.summary == "Chain on pod shop/web-1: lateral_movement.token_read (/usr/bin/curl read the service "
                           "account token) and service account shop:web sa_abuse.unusual_call within 120 s");
    // The union, container side first, each once.
    CHECK(chain.tactics == strings({"TA0006", "TA0004", "TA0007"}));
    CHECK(chain.techniques == strings({"T1552.007", "T1078.001", "T1613"}));
    CHECK(chain.evidence.at("pod_uid") == web_uid);
    CHECK(chain.evidence.at("service_account") == "shop:web");
    CHECK(chain.evidence.at("seconds_apart") == "120");
    CHECK(chain.evidence.at("joined_by") == "pod_uid");
    CHECK(chain.evidence.at("container.rule") == "lateral_movement.token_read");
    CHECK(chain.evidence.at("container.summary") == "/usr/bin/curl read the service account token");
    CHECK(chain.evidence.at("container.plugin") == "lateral_movement");
    CHECK(chain.evidence.at("container.container_id") == std::string(64, 'c'));
    CHECK(chain.evidence.at("container.finding_key") == "lateral_movement.token_read|ccc|/usr/bin/curl");
    CHECK(chain.evidence.at("container.token_path") == "/var/run/secrets/kubernetes.io/serviceaccount/token");
    CHECK(chain.evidence.at("container.syscall") == "openat");
    CHECK(chain.evidence.at("audit.rule") == "sa_abuse.unusual_call");
    CHECK(chain.evidence.at("audit.summary") == sensor.alerts()[0].summary);
    CHECK(chain.evidence.at("audit.call") == "list secrets -n billing");
    CHECK(chain.evidence.at("audit.verb") == "list");
    CHECK(chain.evidence.at("audit.token_pod_uid") == web_uid);
    CHECK(chain.evidence_lists.at("audit.source_ips") == strings({"10.244.1.7"}));
    CHECK(chain.evidence.at("audit.response_code") == "200");
    CHECK(chain.evidence_types.at("audit.response_code") == VIGIL_EVIDENCE_INTEGER);
    CHECK(chain.dedup_key == web_uid);
    // Raised from the audit event, it names the token reader: the sensor finds its container and pod.
    CHECK_FALSE(chain.has_event);
    CHECK(chain.subject_tgid == reader_pid);
}

TEST_CASE("chain: the audit side first, completed by an escape in the pod")
{
    ChainSensor sensor;
    sensor.unusual_call();
    CHECK(sensor.rules() == strings({"sa_abuse.unusual_call"})); // an audit-side finding alone: no chain
    sensor.advance(300);
    sensor.raise(release_agent_write());
    REQUIRE(sensor.rules() == strings({"sa_abuse.unusual_call", "sa_abuse.chain"}));
    const auto &chain = sensor.alerts()[1];
    CHECK(chain.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(chain.summary.starts_with("Chain on pod shop/web-1: escape.release_agent_write (/bin/sh wrote a cgroup "
                                    "release_agent) and service account shop:web sa_abuse.unusual_call"));
    CHECK(chain.tactics == strings({"TA0004", "TA0007"})); // TA0004 on both sides, once
    CHECK(chain.techniques == strings({"T1611", "T1078.001", "T1613"}));
    CHECK(chain.evidence.at("seconds_apart") == "300");
    CHECK(chain.evidence.at("container.path") == "/sys/fs/cgroup/rdma/release_agent");
    CHECK(chain.evidence.at("audit.rule") == "sa_abuse.unusual_call");
    // No subject process: raised with the raised alert being handled.
    CHECK(chain.has_event);
    CHECK(chain.event_kind == VIGIL_KIND_ALERT_RAISED);
}

TEST_CASE("chain: the container side's process is the subject only while the sensor knows it as that container's")
{
    SUBCASE("the process is gone")
    {
        ChainSensor sensor;
        sensor.raise(token_read());
        sensor.advance(120);
        sensor.unusual_call();
        REQUIRE(sensor.rules() == strings({"sa_abuse.unusual_call", "sa_abuse.chain"}));
        const auto &chain = sensor.alerts()[1];
        CHECK(chain.has_event); // the audit event: no process, no container
        CHECK(chain.event_kind == VIGIL_KIND_AUDIT_EVENT);
        CHECK(chain.subject_tgid == 0);
        CHECK(chain.evidence.at("container.container_id") == std::string(64, 'c')); // still in the evidence
        CHECK(chain.evidence.at("container.pid") == "4242");
    }
    SUBCASE("its pid now belongs to another container's process")
    {
        ChainSensor sensor;
        sensor.reader_in(std::string(64, 'd'));
        sensor.raise(token_read());
        sensor.unusual_call();
        REQUIRE(sensor.rules() == strings({"sa_abuse.unusual_call", "sa_abuse.chain"}));
        CHECK(sensor.alerts()[1].has_event);
        CHECK(sensor.alerts()[1].subject_tgid == 0);
    }
}

TEST_CASE("chain: joined by service account when the call's token names no pod")
{
    ChainSensor sensor;
    sensor.raise(token_read());
    sensor.advance(10);
    sensor.unusual_call(""); // a legacy secret token: no pod claims
    REQUIRE(sensor.rules() == strings({"sa_abuse.unusual_call", "sa_abuse.chain"}));
    const auto &chain = sensor.alerts()[1];
    CHECK(chain.evidence.at("joined_by") == "service_account");
    CHECK(chain.evidence.at("pod_uid") == web_uid); // from the container side
    CHECK(chain.evidence.at("service_account") == "shop:web");
    CHECK_FALSE(chain.has_evidence("audit.token_pod_uid"));
    CHECK(chain.dedup_key == web_uid);
}

TEST_CASE("chain: each rule pair once per pod within the window; another pair raises again")
{
    ChainSensor sensor;
    sensor.raise(token_read());
    sensor.unusual_call();
    CHECK(sensor.rules() == strings({"sa_abuse.unusual_call", "sa_abuse.chain"}));
    sensor.send(by_account("shop", "web", "delete", "deployments", "shop")); // another unusual_call
    sensor.raise(token_read());                                              // the token read again
    CHECK(sensor.rules() == strings({"sa_abuse.unusual_call", "sa_abuse.chain", "sa_abuse.unusual_call"}));
    sensor.raise(release_agent_write()); // escape + unusual_call: a new pair
    REQUIRE(sensor.rules() ==
            strings({"sa_abuse.unusual_call", "sa_abuse.chain", "sa_abuse.unusual_call", "sa_abuse.chain"}));
    CHECK(sensor.alerts()[3].evidence.at("container.rule") == "escape.release_agent_write");
    CHECK(sensor.alerts()[3].evidence.at("audit.summary") == sensor.alerts()[2].summary); // the latest
    CHECK(sensor.alerts()[3].dedup_key == web_uid); // the same finding for the sensor's dedup
    // After the window, the same pair forms a new chain from new findings.
    sensor.advance(901);
    sensor.raise(token_read());
    sensor.send(by_account("shop", "web", "create", "pods", "shop"));
    CHECK(sensor.rules().back() == "sa_abuse.chain");
    CHECK(sensor.alerts().back().evidence.at("seconds_apart") == "0");
}

TEST_CASE("chain: benign pairs stay single findings")
{
    SUBCASE("outside the window")
    {
        ChainSensor sensor;
        sensor.raise(token_read());
        sensor.advance(901);
        sensor.unusual_call();
        CHECK(sensor.rules() == strings({"sa_abuse.unusual_call"}));
    }
    SUBCASE("outside a shorter window")
    {
        ChainSensor sensor({{"chain_window_s", int64_t{60}}});
        sensor.unusual_call();
        sensor.advance(61);
        sensor.raise(token_read());
        CHECK(sensor.rules() == strings({"sa_abuse.unusual_call"}));
    }
    SUBCASE("another pod of another account")
    {
        ChainSensor sensor;
        auto other = token_read("uid-api-1");
        other.pod_namespace = "billing";
        other.pod_name = "api-1";
        other.service_account = "api";
        sensor.raise(other);
        sensor.unusual_call();
        CHECK(sensor.rules() == strings({"sa_abuse.unusual_call"}));
    }
    SUBCASE("a detector that is not a container side")
    {
        ChainSensor sensor;
        auto miner = token_read();
        miner.plugin = "cryptomining";
        miner.rule = "cryptomining.miner_exec";
        miner.tactics = {{"TA0040", "Impact"}};
        miner.techniques = {{"T1496", "Resource Hijacking"}};
        sensor.raise(miner);
        sensor.unusual_call();
        CHECK(sensor.rules() == strings({"sa_abuse.unusual_call"}));
    }
    SUBCASE("a host process's finding, with no pod")
    {
        ChainSensor sensor;
        auto host_process = token_read("");
        host_process.pod_namespace = "";
        host_process.pod_name = "";
        host_process.service_account = "";
        host_process.container_id = "";
        sensor.raise(host_process);
        sensor.unusual_call();
        CHECK(sensor.rules() == strings({"sa_abuse.unusual_call"}));
    }
    SUBCASE("a person's exec is not an account's call")
    {
        ChainSensor sensor;
        sensor.raise(token_read());
        FakeAuditEvent exec;
        exec.username = "alice";
        exec.verb = "create";
        exec.resource = "pods";
        exec.subresource = "exec";
        exec.object_namespace = "shop";
        exec.object_name = "web-1";
        sensor.send(exec);
        CHECK(sensor.rules() == strings({"sa_abuse.pods_exec"}));
    }
    SUBCASE("findings of one side only")
    {
        ChainSensor sensor;
        sensor.raise(token_read());
        sensor.raise(release_agent_write());
        CHECK(sensor.alerts().empty());
    }
}

TEST_CASE("chain: other audit-side rules chain too; the container plugins are configurable")
{
    ChainSensor sensor({{"chain_container_plugins", strings({"cryptomining"})}});
    sensor.raise(token_read()); // lateral_movement is no longer a container side
    auto miner = token_read();
    miner.plugin = "cryptomining";
    miner.rule = "cryptomining.miner_exec";
    miner.tactics = {{"TA0040", "Impact"}}; // not among the descriptor's: left out of the chain
    miner.techniques = {{"T1496", "Resource Hijacking"}};
    sensor.raise(miner);
    for (const char *ns : {"billing", "payments", "auth", "monitoring", "default", "kube-public"}) {
        sensor.send(by_account("shop", "web", "get", "secrets", ns));
    }
    std::vector<vigil::testing::RecordedAlert> chains;
    for (const auto &alert : sensor.alerts()) {
        if (alert.rule == "sa_abuse.chain") {
            chains.push_back(alert);
        }
    }
    // The first secret read elsewhere is unusual_call (and so are the next, the
    // same pair); the sixth is also secret_enumeration: a second pair.
    REQUIRE(chains.size() == 2);
    CHECK(chains[0].evidence.at("container.rule") == "cryptomining.miner_exec");
    CHECK(chains[0].evidence.at("audit.rule") == "sa_abuse.unusual_call");
    CHECK(chains[0].tactics == strings({"TA0004", "TA0007"}));
    CHECK(chains[0].techniques == strings({"T1078.001", "T1613"}));
    CHECK(chains[1].evidence.at("audit.rule") == "sa_abuse.secret_enumeration");
    CHECK(chains[1].tactics == strings({"TA0007"}));
    CHECK(chains[1].techniques == strings({"T1613"}));
    CHECK(chains[1].evidence_lists.at("audit.namespaces").size() == 6);
}

TEST_CASE("chain: container-side evidence is copied by type")
{
    ChainSensor sensor;
    auto fake = token_read();
    auto raised = fake.view();
    const std::array<const char *, 2> addresses{"10.96.0.1", "10.96.0.2"};
    std::array<vigil_evidence_field, 5> fields{};
    for (auto &field : fields) {
        field.struct_size = sizeof(field);
    }
    fields[0].key = "port";
    fields[0].type = VIGIL_EVIDENCE_UNSIGNED;
    fields[0].unsigned_value = 443;
    fields[1].key = "offset";
    fields[1].type = VIGIL_EVIDENCE_INTEGER;
    fields[1].integer_value = -5;
    fields[2].key = "relative";
    fields[2].type = VIGIL_EVIDENCE_BOOL;
    fields[2].integer_value = 1;
    fields[3].key = "endpoints";
    fields[3].type = VIGIL_EVIDENCE_STRING_LIST;
    fields[3].list_values = addresses.data();
    fields[3].list_count = 2;
    fields[4].key = "rule"; // would repeat container.rule: the join's own stays
    fields[4].type = VIGIL_EVIDENCE_STRING;
    fields[4].string_value = "something else";
    raised.evidence = fields.data();
    raised.evidence_count = static_cast<uint32_t>(fields.size());
    REQUIRE(sensor.host.deliver_alert(raised) == 0);
    sensor.unusual_call();
    REQUIRE(sensor.rules() == strings({"sa_abuse.unusual_call", "sa_abuse.chain"}));
    const auto &chain = sensor.alerts()[1];
    CHECK(chain.evidence.at("container.port") == "443");
    CHECK(chain.evidence_types.at("container.port") == VIGIL_EVIDENCE_UNSIGNED);
    CHECK(chain.evidence.at("container.offset") == "-5");
    CHECK(chain.evidence_types.at("container.offset") == VIGIL_EVIDENCE_INTEGER);
    CHECK(chain.evidence.at("container.relative") == "true");
    CHECK(chain.evidence_types.at("container.relative") == VIGIL_EVIDENCE_BOOL);
    CHECK(chain.evidence_lists.at("container.endpoints") == strings({"10.96.0.1", "10.96.0.2"}));
    CHECK(chain.evidence.at("container.rule") == "lateral_movement.token_read");
}

TEST_CASE("chain: disabled_rules switches it off; bad options are refused")
{
    ChainSensor sensor({{"disabled_rules", strings({"sa_abuse.chain"})}});
    sensor.raise(token_read());
    sensor.unusual_call();
    CHECK(sensor.rules() == strings({"sa_abuse.unusual_call"}));

    auto refused = [](const char *key, vigil::testing::OptionValue value) {
        vigil::testing::FakeHost host(SA_ABUSE_PLUGIN_PATH);
        host.set_option(key, std::move(value));
        return host.start() != 0;
    };
    CHECK(refused("chain_window_s", int64_t{0}));
    CHECK(refused("chain_window_s", int64_t{86401}));
    CHECK(refused("chain_container_plugins", strings({"escape", "sa_abuse"})));
    CHECK(refused("chain_container_plugins", strings({""})));
    CHECK(refused("disabled_rules", strings({"sa_abuse.chains"})));
    CHECK_FALSE(refused("chain_container_plugins", strings({})));
}

TEST_CASE("ChainJoin: the pod UID before the account, the window, and the bound")
{
    using namespace vigil_sa_abuse;
    auto finding = [](uint64_t at, const char *rule, const char *pod_uid, const char *account) {
        Finding made;
        made.at_ns = at * second;
        made.rule = rule;
        made.pod_uid = pod_uid;
        made.account = account;
        return made;
    };
    ChainJoin join(100 * second, 2);
    CHECK_FALSE(join.add_container(finding(0, "c.one", "u1", "shop:web")));
    CHECK_FALSE(join.add_container(finding(1, "c.two", "u2", "shop:web"))); // the account's other pod
    // u1 by pod UID, though u2 is more recent for the account.
    auto chain = join.add_audit(finding(2, "a.one", "u1", "shop:web"));
    REQUIRE(chain);
    CHECK(chain->by_pod);
    CHECK(chain->container.rule == "c.one");
    CHECK(chain->key == "u1");
    CHECK(chain->apart_ns == 2 * second);
    // No pod UID: the account's most recent.
    chain = join.add_audit(finding(3, "a.one", "", "shop:web"));
    REQUIRE(chain);
    CHECK_FALSE(chain->by_pod);
    CHECK(chain->container.rule == "c.two");
    // c.one + a.one and c.two + a.one are taken; a different audit rule is a new pair.
    CHECK_FALSE(join.add_audit(finding(4, "a.one", "", "shop:web")));
    CHECK(join.add_audit(finding(5, "a.two", "u2", "shop:web")));
    // The bound: a third container finding pushes out the oldest (as the
    // third and fourth audit-side ones did theirs).
    CHECK_FALSE(join.add_container(finding(6, "c.three", "u3", "other:x")));
    CHECK(join.forgotten() == 3);
    CHECK_FALSE(join.add_audit(finding(7, "a.three", "u1", "")));
    // The window, by arrival: c.two (at 1 s) is gone at 102 s, c.three (at 6 s) is not.
    CHECK_FALSE(join.add_audit(finding(102, "a.four", "u2", "")));
    CHECK(join.add_audit(finding(102, "a.four", "u3", "")));
}

TEST_CASE("container_finding: the pod's account, ATT&CK ids and evidence copied")
{
    auto fake = token_read();
    auto raised = fake.view();
    CHECK(vigil_sa_abuse::names_a_pod(raised));
    auto finding = vigil_sa_abuse::container_finding(raised, 7);
    CHECK(finding.at_ns == 7);
    CHECK(finding.account == "shop:web");
    CHECK(finding.pod_uid == web_uid);
    CHECK(finding.pid == reader_pid);
    CHECK(finding.tactics == strings({"TA0006"}));
    CHECK(finding.techniques == strings({"T1552.007"}));
    REQUIRE(finding.evidence.size() == 2);
    CHECK(finding.evidence[1].key == "syscall");
    CHECK(finding.evidence[1].text == "openat");
    fake.pod_uid = "";
    CHECK(vigil_sa_abuse::names_a_pod(fake.view())); // namespace and account still name it
    fake.service_account = "";
    CHECK_FALSE(vigil_sa_abuse::names_a_pod(fake.view()));
    vigil_evidence_field unknown{};
    unknown.struct_size = sizeof(unknown);
    unknown.key = "future";
    unknown.type = 99;
    CHECK_FALSE(vigil_sa_abuse::copy_evidence(unknown));
}
