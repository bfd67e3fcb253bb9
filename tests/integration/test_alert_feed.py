# SPDX-License-Identifier: Apache-2.0
"""Alerts handed on to the detectors that join findings (ABI 1.5,
VIGIL_KIND_ALERT_RAISED), through the real sensor. The audit_echo fixture
raises one alert per line of an audit log; alert_echo and alert_echo_twin
each raise one alert for every alert another detector raised. So the alerts
file shows what was handed on, to whom and how often: each of audit_echo's
alerts once to each echo, never an echo's alert to its raiser, never an
echo's answer to the other echo (they would answer each other for ever), and
never a repeat the dedup window held back."""

import json
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import cgroups
from sensor import Sensor
from vigil_binary import default_plugin_dir

PLUGIN_COPIES = cgroups.STATE_DIR / "plugin-dirs"
FIXTURES = ("audit_echo", "alert_echo", "alert_echo_twin")


def audit_line(audit_id):
    return json.dumps({
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": audit_id,
        "stage": "ResponseComplete", "requestURI": "/api/v1/namespaces/shop/pods", "verb": "list",
        "user": {"username": "system:serviceaccount:shop:web"},
        "objectRef": {"resource": "pods", "namespace": "shop", "apiVersion": "v1"},
        "responseStatus": {"metadata": {}, "code": 200},
    }) + "\n"


@pytest.fixture(scope="module")
def feed_setup(build_dir, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("alert-feed")
    PLUGIN_COPIES.mkdir(parents=True, exist_ok=True)
    PLUGIN_COPIES.chmod(0o755)
    plugins = Path(tempfile.mkdtemp(prefix="feed-plugins-", dir=PLUGIN_COPIES))
    plugins.chmod(0o755)
    fixtures = build_dir / "tests" / "fixtures" / "plugins"
    for source in [fixtures / f"{name}.so" for name in FIXTURES] + [default_plugin_dir(build_dir) / "jsonl.so"]:
        if not source.is_file():
            pytest.fail(f"{source} does not exist: build the test fixtures")
        shutil.copy2(source, plugins / source.name)
        (plugins / source.name).chmod(0o755)
    log_path = workdir / "kube-audit.log"
    log_path.write_text("")
    config = {
        "alerts": {"dedup_window_s": 60},
        "audit": {"log_path": str(log_path), "log_start_at": "beginning"},
        "plugins": {name: {"enabled": True} for name in FIXTURES},
    }
    with Sensor(build_dir, workdir / "sensor", config, plugin_dir=plugins) as sensor:
        yield sensor, log_path
    shutil.rmtree(plugins, ignore_errors=True)


def seen_by(sensor, echo, audit_rule="audit_echo.event"):
    return [alert for alert in sensor.alerts() if alert["rule"] == f"{echo}.seen"
            and alert["evidence"]["rule"] == audit_rule]


def test_each_alert_reaches_every_other_joining_detector_once(feed_setup):
    sensor, log_path = feed_setup
    since = sensor.alert_count()
    audit_id = "feed-" + uuid.uuid4().hex[:8]
    with log_path.open("a") as log:
        log.write(audit_line(audit_id))
    raised = sensor.wait_for_alert(lambda a: a["rule"] == "audit_echo.event"
                                   and a["evidence"]["audit_id"] == audit_id, timeout=15, since=since)
    for echo in ("alert_echo", "alert_echo_twin"):
        seen = sensor.wait_for_alert(lambda a, echo=echo: a["rule"] == f"{echo}.seen"
                                     and a["evidence"]["rule"] == "audit_echo.event", timeout=15, since=since)
        assert seen["evidence"]["plugin"] == "audit_echo"
        assert seen["evidence"]["node"] == raised["k8s"]["node"]
        assert seen["evidence"]["finding_key"] == f"audit_echo.event/{raised['k8s']['node']}/{audit_id}"
        assert seen["evidence"]["evidence_count"] == len(raised["evidence"])
    # Settle: an echo's answer reaching the other echo would show up as a
    # .seen of a .seen, and repeat without end.
    time.sleep(2.0)
    later = sensor.alerts(since=since)
    for echo in ("alert_echo", "alert_echo_twin"):
        assert len([a for a in later if a["rule"] == f"{echo}.seen"]) == 1, [a["rule"] for a in later]
    assert not [a for a in later if a["rule"].endswith(".seen") and a["evidence"]["rule"].endswith(".seen")]


def test_a_repeat_held_back_by_dedup_is_not_handed_on(feed_setup):
    sensor, log_path = feed_setup
    since = sensor.alert_count()
    audit_id = "repeat-" + uuid.uuid4().hex[:8]
    # audit_echo's dedup key is the auditID: the second line is a repeat of the first finding.
    with log_path.open("a") as log:
        log.write(audit_line(audit_id))
        log.write(audit_line(audit_id))
    sensor.wait_for_alert(lambda a: a["rule"] == "alert_echo.seen"
                          and a["evidence"]["finding_key"].endswith("/" + audit_id), timeout=15, since=since)
    time.sleep(2.0)
    echoed = [a for a in sensor.alerts(since=since) if a["rule"] == "alert_echo.seen"
              and a["evidence"]["finding_key"].endswith("/" + audit_id)]
    assert len(echoed) == 1
