# SPDX-License-Identifier: Apache-2.0
"""Kubernetes audit events into the real sensor: batches POSTed to its HTTPS
webhook (bearer token, client certificate, refusals) and lines of a rotating
audit log, each delivered once to a detector subscribed to audit events. The
audit_echo test fixture raises one alert per event naming its auditID, so the
alerts file shows exactly which events reached the detectors."""

import http.client
import json
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import cgroups
from receivers.tls import make_tls_files
from sensor import Sensor
from vigil_binary import default_plugin_dir

TOKEN = "audit-token-" + uuid.uuid4().hex
PLUGIN_COPIES = cgroups.STATE_DIR / "plugin-dirs"


def event(audit_id, verb="get", username="system:serviceaccount:shop:deployer"):
    return {
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": audit_id,
        "stage": "ResponseComplete", "requestURI": "/api/v1/namespaces/shop/pods", "verb": verb,
        "user": {"username": username, "groups": ["system:serviceaccounts"],
                 "extra": {"authentication.kubernetes.io/pod-name": ["ci-runner-7"],
                           "authentication.kubernetes.io/pod-uid": ["5d1c"]}},
        "sourceIPs": ["10.0.0.7"], "userAgent": "kubectl/v1.29.0",
        "objectRef": {"resource": "pods", "namespace": "shop", "apiVersion": "v1"},
        "responseStatus": {"metadata": {}, "code": 200},
        "requestReceivedTimestamp": "2024-05-01T12:00:00.000000Z", "stageTimestamp": "2024-05-01T12:00:00.001000Z",
    }


def batch(ids):
    return json.dumps({"kind": "EventList", "apiVersion": "audit.k8s.io/v1",
                       "items": [event(audit_id) for audit_id in ids]}).encode()


def new_ids(count, prefix):
    return [f"{prefix}-{uuid.uuid4().hex[:8]}-{index}" for index in range(count)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_client_certificate(tls):
    """A client certificate signed by the test CA (the API server's, in a cluster)."""
    directory = tls.directory
    (directory / "client.ext").write_text("basicConstraints = critical, CA:FALSE\n"
                                          "keyUsage = critical, digitalSignature\nextendedKeyUsage = clientAuth\n")
    key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    subprocess.run(["openssl", "req", *key, "-keyout", "client.key", "-out", "client.csr", "-subj",
                    "/CN=kube-apiserver"], cwd=directory, check=True, capture_output=True)
    subprocess.run(["openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-set_serial", "7", "-days", "1", "-extfile", "client.ext", "-out", "client.pem"],
                   cwd=directory, check=True, capture_output=True)
    return directory / "client.pem", directory / "client.key"


@pytest.fixture(scope="module")
def audit_setup(build_dir, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("audit")
    echo = build_dir / "tests" / "fixtures" / "plugins" / "audit_echo.so"
    if not echo.is_file():
        pytest.fail(f"{echo} does not exist: build the test fixtures")
    # A root-owned 0755 plugin directory with only the audit fixture and the jsonl output.
    PLUGIN_COPIES.mkdir(parents=True, exist_ok=True)
    PLUGIN_COPIES.chmod(0o755)
    plugins = Path(tempfile.mkdtemp(prefix="audit-plugins-", dir=PLUGIN_COPIES))
    plugins.chmod(0o755)
    for source in (echo, default_plugin_dir(build_dir) / "jsonl.so"):
        shutil.copy2(source, plugins / source.name)
        (plugins / source.name).chmod(0o755)
    tls = make_tls_files(workdir / "tls")
    client_cert = make_client_certificate(tls)
    token_file = workdir / "token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)
    port = free_port()
    log_path = workdir / "kube-audit.log"
    config = {
        "alerts": {"dedup_window_s": 0},
        "audit": {"webhook_listen": f"127.0.0.1:{port}", "webhook_cert_file": str(tls.cert_file),
                  "webhook_key_file": str(tls.key_file), "webhook_token_file": str(token_file),
                  "webhook_client_ca_file": str(tls.ca_file), "log_path": str(log_path),
                  "log_start_at": "beginning", "queue_size": 40000},
        "plugins": {"audit_echo": {"enabled": True}},
    }
    with Sensor(build_dir, workdir / "sensor", config, plugin_dir=plugins) as sensor:
        yield {"sensor": sensor, "tls": tls, "port": port, "client_cert": client_cert, "log_path": log_path}
    shutil.rmtree(plugins, ignore_errors=True)


def connect(setup, client_cert=None):
    context = ssl.create_default_context(cafile=str(setup["tls"].ca_file))
    if client_cert:
        context.load_cert_chain(*map(str, client_cert))
    return http.client.HTTPSConnection("127.0.0.1", setup["port"], context=context, timeout=30)


def post(connection, body, token=TOKEN, content_type="application/json", path="/audit"):
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status


def audit_ids_alerted(sensor):
    return [alert["evidence"]["audit_id"] for alert in sensor.alerts() if alert["rule"] == "audit_echo.event"]


def wait_for_ids(sensor, ids, timeout=20.0):
    wanted = set(ids)
    deadline = time.monotonic() + timeout
    while True:
        seen = audit_ids_alerted(sensor)
        if wanted <= set(seen):
            return seen
        assert sensor.running(), sensor.stderr_tail()
        assert time.monotonic() < deadline, f"missing {len(wanted - set(seen))} of {len(wanted)} audit events"
        time.sleep(0.05)


def test_a_batch_with_the_bearer_token_is_delivered(audit_setup):
    sensor = audit_setup["sensor"]
    ids = new_ids(3, "token")
    connection = connect(audit_setup)
    assert post(connection, batch(ids)) == 200
    wait_for_ids(sensor, ids)
    alert = next(a for a in sensor.alerts() if a["evidence"]["audit_id"] == ids[0])
    assert alert["evidence"]["service_account"] == "shop/deployer"
    assert alert["evidence"]["pod_name"] == "ci-runner-7"
    assert audit_ids_alerted(sensor).count(ids[0]) == 1


def test_without_or_with_a_wrong_token_is_401_and_logged_without_the_token(audit_setup):
    sensor = audit_setup["sensor"]
    ids = new_ids(2, "unauth")
    assert post(connect(audit_setup), batch(ids), token=None) == 401
    wrong = "wrong-" + uuid.uuid4().hex
    assert post(connect(audit_setup), batch(ids), token=wrong) == 401
    lines = sensor.stderr_lines_with("audit webhook", "unauthenticated", "127.0.0.1:")
    assert lines, sensor.stderr_tail()
    assert wrong not in sensor.stderr_text() and TOKEN not in sensor.stderr_text()
    sensor.assert_no_alert(lambda a: a.get("evidence", {}).get("audit_id") in ids, settle=1.0)


def test_a_client_certificate_from_the_ca_needs_no_token(audit_setup):
    ids = new_ids(2, "cert")
    assert post(connect(audit_setup, audit_setup["client_cert"]), batch(ids), token=None) == 200
    wait_for_ids(audit_setup["sensor"], ids)


def test_malformed_batches_are_400_and_later_batches_still_arrive(audit_setup):
    sensor = audit_setup["sensor"]
    connection = connect(audit_setup)
    assert post(connection, b"this is not json") == 400
    connection = connect(audit_setup)
    assert post(connection, json.dumps({"kind": "Pod", "apiVersion": "v1"}).encode()) == 400
    connection = connect(audit_setup)
    assert post(connection, b"[" * 100000) == 400
    assert post(connect(audit_setup), batch(["x"]), content_type="text/plain") == 415
    assert post(connect(audit_setup), batch(["x"]), path="/other") == 404
    # One bad item in a good batch: skipped, the others delivered.
    ids = new_ids(2, "after-malformed")
    body = json.loads(batch(ids))
    body["items"].append({"kind": "Event", "apiVersion": "audit.k8s.io/v1"})
    assert post(connect(audit_setup), json.dumps(body).encode()) == 200
    wait_for_ids(sensor, ids)
    assert sensor.stderr_lines_with("malformed batch", "127.0.0.1:", "400")
    assert sensor.running()


def test_a_rotating_log_file_delivers_every_line_once(audit_setup):
    sensor = audit_setup["sensor"]
    log_path = audit_setup["log_path"]
    written = []

    def write(count, path=log_path, partial_last=False):
        ids = new_ids(count, "log")
        with open(path, "a") as log:
            for audit_id in ids:
                log.write(json.dumps(event(audit_id)) + "\n")
        written.extend(ids)
        return ids

    write(20)
    wait_for_ids(sensor, written)
    # A partial line: the rest arrives later, the line is delivered once, whole.
    partial_id = new_ids(1, "partial")[0]
    line = json.dumps(event(partial_id))
    with open(log_path, "a") as log:
        log.write(line[:40])
    time.sleep(0.5)
    with open(log_path, "a") as log:
        log.write(line[40:] + "\n")
    written.append(partial_id)
    # Rename rotation: the writer appends a last line to the moved file, then starts a new one.
    write(10)
    rotated = log_path.with_name(log_path.name + ".1")
    log_path.rename(rotated)
    write(5, path=rotated)
    write(10)
    wait_for_ids(sensor, written)
    # copytruncate, once what is there was read.
    shutil.copy(log_path, log_path.with_name(log_path.name + ".2"))
    with open(log_path, "r+") as log:
        log.truncate(0)
    time.sleep(0.5)
    write(10)
    seen = wait_for_ids(sensor, written)
    time.sleep(1.0)
    seen = audit_ids_alerted(sensor)
    repeated = [audit_id for audit_id in written if seen.count(audit_id) != 1]
    assert not repeated, f"delivered other than once: {repeated[:5]}"


def test_webhook_throughput(audit_setup):
    """50 batches of 400 events from one kept-alive client; printed for the lead."""
    sensor = audit_setup["sensor"]
    batches = [new_ids(400, f"perf{index}") for index in range(50)]
    bodies = [batch(ids) for ids in batches]
    connection = connect(audit_setup)
    started = time.monotonic()
    for body in bodies:
        assert post(connection, body) == 200
    accepted = time.monotonic() - started
    all_ids = [audit_id for ids in batches for audit_id in ids]
    wait_for_ids(sensor, all_ids, timeout=120)
    delivered = time.monotonic() - started
    total = len(all_ids)
    print(f"\naudit webhook: {total} events in 50 batches: accepted in {accepted:.2f} s "
          f"({total / accepted:,.0f} events/s accepted); every alert out after {delivered:.2f} s "
          f"({total / delivered:,.0f} events/s end to end)", flush=True)
