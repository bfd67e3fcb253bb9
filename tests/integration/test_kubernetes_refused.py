# SPDX-License-Identifier: Apache-2.0
"""An API server that refuses the sensor's credentials: 401 for a token it
does not take, 403 for one whose account lacks the permissions. The sensor
says so once, as a warning naming the server and the status, not once per
retry; `vigil check` asks the server once and says so too. And `vigil check`
reports a working server, and one that is not configured, without failing.
"""

import re
import secrets
import time

import pytest

import toml_writer
from receivers.kube_api import KubeApiReceiver
from sensor import harness_config
from vigil_binary import run_vigil

NODE = "vigil-refused-node-" + secrets.token_hex(3)
# Refused list requests to wait for: the watcher retries with backoff from 200 ms.
RETRIES = 4


def kubernetes_config(api, token_file):
    return {"sensor": {"node_name": NODE},
            "kubernetes": {"api_server": api.url, "token_file": str(token_file), "ca_file": api.ca_file}}


def refused_lists(api, status):
    return api.count("/api/v1/pods", status)


def run_check(build_dir, tmp_path, overrides):
    config = tmp_path / "check.toml"
    config.write_text(toml_writer.dumps(harness_config(build_dir, tmp_path, overrides)))
    completed = run_vigil(build_dir, "check", "-c", config, timeout=90)
    return completed, kubernetes_section(completed.stdout)


def kubernetes_section(output):
    lines = output.splitlines()
    start = next((index for index, line in enumerate(lines) if line.startswith("Kubernetes API")), None)
    assert start is not None, f"no Kubernetes API section in:\n{output}"
    section = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        section.append(line)
    return "\n".join(section)


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_are_a_warning_once_and_shown_by_check(status, sensor_factory, build_dir, tmp_path):
    with KubeApiReceiver(node_name=NODE) as api:
        if status == 401:
            token_file = api.wrong_token_file()
        else:
            api.deny("pods", "replicasets", "jobs")
            token_file = api.token_file
        overrides = kubernetes_config(api, token_file)
        sensor = sensor_factory(overrides)

        deadline = time.monotonic() + 30
        while refused_lists(api, status) < RETRIES:
            assert sensor.running(), sensor.stderr_tail()
            assert time.monotonic() < deadline, f"{refused_lists(api, status)} refused lists; {api.requests[-5:]}"
            time.sleep(0.05)
        time.sleep(0.2)  # the sensor logs after the answer
        warnings = [line for line in sensor.stderr_lines_with("refused the sensor's credentials")
                    if " warning " in line]
        print(f"\n{refused_lists(api, status)} refused lists -> {len(warnings)} warning(s): {warnings}", flush=True)
        assert len(warnings) == 1, sensor.stderr_tail()
        assert api.url in warnings[0] and f"HTTP {status}" in warnings[0], warnings[0]
        assert not sensor.stderr_lines_with("kubernetes: listed")
        assert api.list_count == 0 and api.watch_count == 0  # refused before the handler counts them

        requests = len(api.requests)
        completed, section = run_check(build_dir, tmp_path, overrides)
        assert completed.returncode != 2, completed.stderr
        assert re.search(rf"refused the credentials: HTTP {status}\b", section), section
        assert api.url in section, section
        checked = [request for request in api.requests[requests:] if request[2].get("limit") == "1"]
        assert checked and checked[0][1] == "/api/v1/pods", api.requests[requests:]
        assert checked[0][2]["fieldSelector"] == f"spec.nodeName={NODE}", checked

        # And the statistics line says so, for whoever reads the log later.
        sensor.stop()
        final = sensor.stderr_lines_with("final statistics")[-1]
        word = "unauthorized" if status == 401 else "forbidden"
        assert f"kubernetes {word} {status} from {api.url}" in final, final


def test_check_lists_one_pod_with_credentials_that_work(build_dir, tmp_path):
    with KubeApiReceiver(node_name=NODE) as api:
        completed, section = run_check(build_dir, tmp_path, kubernetes_config(api, api.token_file))
        assert completed.returncode != 2, completed.stderr
        assert re.search(r"pods of node \S+ +ok\b", section), section
        assert api.url in section, section
        assert [(request[1], request[2].get("limit"), request[3]) for request in api.requests] == \
            [("/api/v1/pods", "1", 200)], api.requests


def test_check_without_an_api_server_says_so_and_passes(build_dir, tmp_path):
    completed, section = run_check(build_dir, tmp_path, {"kubernetes": {"api_server": "none"}})
    assert completed.returncode == 0, f"vigil check failed ({completed.returncode}):\n{completed.stdout}"
    assert "not configured" in section, section
