# SPDX-License-Identifier: Apache-2.0
"""The chain alert through the real sensor, with both halves real: a runc
container in the kubelet's cgroup layout reads its service-account token
(lateral_movement raises token_read on the kernel's events), the fake API
server reports the container's pod and its service account, and the API
server's audit log then shows that service account listing secrets in another
namespace (sa_abuse raises unusual_call once its warm-up is over). sa_abuse,
handed lateral_movement's alert by the sensor, joins the two into one
sa_abuse.chain alert."""

import json
import secrets
import time
import uuid

import pytest

from alerts import Match, container_id, describe, technique_ids
from lateral_movement_behaviours import (API_SERVER, TOKEN, make_service_account_volume, run,
                                         service_account_bind)
from receivers.kube_api import KubeApiReceiver, pod_object
from sensor import Sensor

NODE = "vigil-test-node-" + secrets.token_hex(3)
WARMUP_S = 2


@pytest.fixture(scope="module")
def kube_api():
    with KubeApiReceiver(node_name=NODE) as api:
        yield api
        assert not api.errors, "\n".join(api.errors)


@pytest.fixture(scope="module")
def chain_setup(build_dir, tmp_path_factory, kube_api):
    workdir = tmp_path_factory.mktemp("sa-chain")
    log_path = workdir / "kube-audit.log"
    log_path.write_text("")
    config = {
        "sensor": {"node_name": NODE},
        "alerts": {"dedup_window_s": 0},
        "kubernetes": {"api_server": kube_api.url, "token_file": str(kube_api.token_file),
                       "ca_file": kube_api.ca_file},
        "audit": {"log_path": str(log_path), "log_start_at": "beginning"},
        "plugins": {"injection": {"enabled": False},
                    "lateral_movement": {"api_server_endpoints": [API_SERVER]},
                    "sa_abuse": {"warmup_s": WARMUP_S}},
    }
    with Sensor(build_dir, workdir / "sensor", config) as sensor:
        deadline = time.monotonic() + 15
        while not sensor.stderr_lines_with("kubernetes: listed"):
            assert time.monotonic() < deadline, sensor.stderr_tail()
            time.sleep(0.05)
        kube_api.wait_for_watches(1)
        yield {"sensor": sensor, "log_path": log_path}


def audit_line(verb, resource, namespace, account, pod_uid):
    """One audit.k8s.io/v1 Event by service account (namespace, name) with a bound token of pod_uid."""
    return json.dumps({
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": str(uuid.uuid4()),
        "stage": "ResponseComplete", "requestURI": f"/api/v1/namespaces/{namespace}/{resource}", "verb": verb,
        "user": {"username": f"system:serviceaccount:{account[0]}:{account[1]}",
                 "groups": ["system:serviceaccounts", f"system:serviceaccounts:{account[0]}"],
                 "extra": {"authentication.kubernetes.io/pod-name": [f"{account[1]}-pod"],
                           "authentication.kubernetes.io/pod-uid": [pod_uid]}},
        "sourceIPs": ["10.244.1.7"], "userAgent": "curl/8.0",
        "objectRef": {"resource": resource, "namespace": namespace, "apiVersion": "v1"},
        "responseStatus": {"metadata": {}, "code": 200},
        "requestReceivedTimestamp": "2024-05-01T12:00:00.000000Z", "stageTimestamp": "2024-05-01T12:00:00.001000Z",
    }) + "\n"


def append(log_path, *lines):
    with log_path.open("a") as log:
        log.writelines(lines)


@pytest.fixture
def pod_with_token(container_factory, rootfs, tmp_path, kube_api):
    """A started container with a service-account volume, reported by the fake API server."""
    def make(account):
        volume = make_service_account_volume(tmp_path / f"serviceaccount-{secrets.token_hex(3)}")
        container = container_factory(rootfs=rootfs, binds=[service_account_bind(volume)])
        kube_api.add_pod(pod_object(f"{account[1]}-pod", account[0], container.pod_uid, NODE,
                                    container_ids=[container.id], service_account=account[1]))
        return container
    return make


def test_a_token_read_and_a_secret_listing_elsewhere_are_one_chain_alert(chain_setup, pod_with_token):
    sensor, log_path = chain_setup["sensor"], chain_setup["log_path"]
    account = ("shop", f"web-{secrets.token_hex(3)}")
    container = pod_with_token(account)
    # The account's ordinary call starts its warm-up; afterwards, anything new is unusual.
    append(log_path, audit_line("get", "configmaps", "shop", account, container.pod_uid))
    time.sleep(WARMUP_S + 1)

    run(container, f"cat {TOKEN} > /dev/null")
    token_read = sensor.wait_for_alert(Match(rule="lateral_movement.token_read", container=container), timeout=15)
    assert token_read["k8s"]["service_account"] == account[1], describe(token_read)

    append(log_path, audit_line("list", "secrets", "kube-system", account, container.pod_uid))
    chain = sensor.wait_for_alert(lambda a: a["rule"] == "sa_abuse.chain"
                                  and a["evidence"].get("container.container_id") == container.id, timeout=15)
    assert chain["severity"] == "critical", describe(chain)
    techniques = technique_ids(chain)
    assert "T1552.007" in techniques and "T1078.001" in techniques, describe(chain)
    assert chain["evidence"]["container.rule"] == "lateral_movement.token_read", describe(chain)
    assert chain["evidence"]["audit.rule"] == "sa_abuse.unusual_call", describe(chain)
    assert chain["evidence"]["pod_uid"] == container.pod_uid, describe(chain)
    # The chain names the pod like any container alert: its own subject is the token reader.
    assert container_id(chain) == container.id, describe(chain)
    assert chain["k8s"]["pod_uid"] == container.pod_uid, describe(chain)


def test_the_same_halves_for_different_pods_are_not_joined(chain_setup, pod_with_token):
    sensor, log_path = chain_setup["sensor"], chain_setup["log_path"]
    reader_account = ("shop", f"reader-{secrets.token_hex(3)}")
    lister_account = ("shop", f"lister-{secrets.token_hex(3)}")
    reader = pod_with_token(reader_account)
    lister = pod_with_token(lister_account)
    append(log_path, audit_line("get", "configmaps", "shop", lister_account, lister.pod_uid))
    time.sleep(WARMUP_S + 1)

    run(reader, f"cat {TOKEN} > /dev/null")
    sensor.wait_for_alert(Match(rule="lateral_movement.token_read", container=reader), timeout=15)
    append(log_path, audit_line("list", "secrets", "kube-system", lister_account, lister.pod_uid))
    sensor.wait_for_alert(lambda a: a["rule"] == "sa_abuse.unusual_call"
                          and a["evidence"].get("service_account") == f"{lister_account[0]}:{lister_account[1]}",
                          timeout=15)
    sensor.assert_no_alert(lambda a: a["rule"] == "sa_abuse.chain"
                           and a["evidence"].get("pod_uid") in (reader.pod_uid, lister.pod_uid), settle=2.0)
