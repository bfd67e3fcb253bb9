# SPDX-License-Identifier: Apache-2.0
"""The sa_abuse detector in the real sensor: Kubernetes audit events POSTed as
EventList batches to the real audit webhook, the alerts read back from the
jsonl output. Each test uses service accounts of its own, because the sensor
(and the plugin's per-account state) is shared by the module."""

import http.client
import json
import shutil
import socket
import ssl
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import cgroups
from receivers.tls import make_tls_files
from sensor import Sensor
from vigil_binary import default_plugin_dir

TOKEN = "sa-abuse-token-" + uuid.uuid4().hex
PLUGIN_COPIES = cgroups.STATE_DIR / "plugin-dirs"
WARMUP_S = 2


def event(verb, resource, namespace="", username=None, account=None, subresource="", name="",
          api_group="", stage="ResponseComplete", source_ip="10.244.1.7", request_object=None):
    """One audit.k8s.io/v1 Event; account is (namespace, name) of a service account caller."""
    audit_id = str(uuid.uuid4())
    user = {"username": username or "alice", "groups": ["system:authenticated"]}
    if account:
        user = {"username": f"system:serviceaccount:{account[0]}:{account[1]}",
                "groups": ["system:serviceaccounts", f"system:serviceaccounts:{account[0]}"],
                "extra": {"authentication.kubernetes.io/pod-name": [f"{account[1]}-pod"],
                          "authentication.kubernetes.io/pod-uid": [f"uid-{account[0]}-{account[1]}"]}}
    path = f"/api/v1/namespaces/{namespace}/{resource}" + (f"/{name}" if name else "") + \
        (f"/{subresource}" if subresource else "")
    if subresource == "exec":
        path += "?command=sh&command=-c&command=id&stdin=true"
    object_ref = {"resource": resource, "namespace": namespace, "name": name, "apiVersion": "v1",
                  "subresource": subresource, "apiGroup": api_group}
    item = {
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Request" if request_object else "Metadata",
        "auditID": audit_id, "stage": stage, "requestURI": path, "verb": verb, "user": user,
        "sourceIPs": [source_ip], "userAgent": "kubectl/v1.29.0",
        "objectRef": {key: value for key, value in object_ref.items() if value},
        "requestReceivedTimestamp": "2024-05-01T12:00:00.000000Z", "stageTimestamp": "2024-05-01T12:00:00.001000Z",
    }
    if stage != "RequestReceived":
        item["responseStatus"] = {"metadata": {}, "code": 201 if verb == "create" else 200}
    if request_object:
        item["requestObject"] = request_object
    return item


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def setup(build_dir, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("sa_abuse")
    PLUGIN_COPIES.mkdir(parents=True, exist_ok=True)
    PLUGIN_COPIES.chmod(0o755)
    plugins = Path(tempfile.mkdtemp(prefix="sa-abuse-plugins-", dir=PLUGIN_COPIES))
    plugins.chmod(0o755)
    for name in ("sa_abuse.so", "jsonl.so"):
        shutil.copy2(default_plugin_dir(build_dir) / name, plugins / name)
        (plugins / name).chmod(0o755)
    tls = make_tls_files(workdir / "tls")
    token_file = workdir / "token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)
    port = free_port()
    config = {
        "alerts": {"dedup_window_s": 0},
        "audit": {"webhook_listen": f"127.0.0.1:{port}", "webhook_cert_file": str(tls.cert_file),
                  "webhook_key_file": str(tls.key_file), "webhook_token_file": str(token_file)},
        "plugins": {"sa_abuse": {"enabled": True, "warmup_s": WARMUP_S}},
    }
    with Sensor(build_dir, workdir / "sensor", config, plugin_dir=plugins) as sensor:
        yield {"sensor": sensor, "tls": tls, "port": port}
    shutil.rmtree(plugins, ignore_errors=True)


def post(setup, items):
    context = ssl.create_default_context(cafile=str(setup["tls"].ca_file))
    connection = http.client.HTTPSConnection("127.0.0.1", setup["port"], context=context, timeout=30)
    body = json.dumps({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": items}).encode()
    connection.request("POST", "/audit", body=body,
                       headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    response = connection.getresponse()
    response.read()
    assert response.status == 200


def account(prefix):
    return ("shop", f"{prefix}-{uuid.uuid4().hex[:6]}")


def about(account_or_user):
    """A predicate for alerts about one service account (or user name)."""
    if isinstance(account_or_user, tuple):
        wanted = f"{account_or_user[0]}:{account_or_user[1]}"
        return lambda alert: alert.get("evidence", {}).get("service_account") == wanted
    return lambda alert: alert.get("evidence", {}).get("user") == account_or_user


def test_pods_exec_alerts_with_the_command(setup):
    sensor = setup["sensor"]
    user = f"mallory-{uuid.uuid4().hex[:6]}"
    post(setup, [event("create", "pods", "shop", username=user, subresource="exec", name="web-1")])
    alert = sensor.wait_for_alert(lambda a: a["rule"] == "sa_abuse.pods_exec" and about(user)(a))
    assert alert["severity"] == "medium", alert
    assert alert["mitre"]["techniques"][0]["id"] == "T1609"
    assert "command=id" in alert["evidence"]["request_uri"]
    assert alert["evidence"]["object_name"] == "web-1"


def test_rbac_change_by_a_service_account(setup):
    sensor = setup["sensor"]
    caller = account("deployer")
    binding = {"kind": "ClusterRoleBinding", "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                                                          "kind": "ClusterRole", "name": "cluster-admin"}}
    post(setup, [event("create", "rolebindings", "shop", account=caller, name="edit",
                       api_group="rbac.authorization.k8s.io"),
                 event("create", "clusterrolebindings", account=caller, name="pwn",
                       api_group="rbac.authorization.k8s.io", request_object=binding)])
    sensor.wait_for_alert(lambda a: a["rule"] == "sa_abuse.rbac_change" and about(caller)(a)
                          and a["evidence"]["resource"] == "rolebindings")
    critical = sensor.wait_for_alert(lambda a: a["rule"] == "sa_abuse.rbac_change" and about(caller)(a)
                                     and a["evidence"]["resource"] == "clusterrolebindings")
    assert critical["severity"] == "critical" and critical["evidence"]["grants_cluster_admin"] is True, critical


def test_unusual_call_after_warm_up(setup):
    sensor = setup["sensor"]
    caller = account("frontend")
    post(setup, [event("get", "configmaps", "shop", account=caller), event("list", "services", "shop", account=caller)])
    time.sleep(WARMUP_S + 1)
    post(setup, [event("get", "configmaps", "shop", account=caller), event("list", "secrets", "billing", account=caller)])
    alert = sensor.wait_for_alert(lambda a: a["rule"] == "sa_abuse.unusual_call" and about(caller)(a))
    assert alert["evidence"]["call"] == "list secrets -n billing"
    sensor.assert_no_alert(lambda a: about(caller)(a) and a["evidence"].get("resource") == "configmaps", settle=1.0)


def test_benign_batches_raise_nothing(setup):
    sensor = setup["sensor"]
    app = account("quiet-app")
    controller = ("kube-system", f"replicaset-controller-{uuid.uuid4().hex[:6]}")
    early_user = f"early-{uuid.uuid4().hex[:6]}"
    usual = [event("get", "configmaps", "shop", account=app), event("get", "secrets", "shop", account=app)]
    controller_calls = [event("list", "pods", account=controller), event("watch", "pods", account=controller),
                        event("update", "clusterroles", account=controller, api_group="rbac.authorization.k8s.io")]
    post(setup, usual + controller_calls)
    time.sleep(WARMUP_S + 1)
    # The same calls after warm-up, and an exec seen only at RequestReceived.
    post(setup, usual * 5 + controller_calls * 5 + [
        event("list", "secrets", "billing", account=controller),
        event("create", "pods", "shop", username=early_user, subresource="exec", name="web-1",
              stage="RequestReceived")])
    sensor.assert_no_alert(lambda a: about(app)(a) or about(controller)(a) or about(early_user)(a), settle=2.0)
