# SPDX-License-Identifier: Apache-2.0
"""One sensor with every detector at its shipped defaults (only the API
server's address configured, as a cluster's operator would) sees, in real
runc containers, the four behaviours an attacker strings together: a cgroup
release_agent write, an nsenter into a host process's mount namespace from a
host-PID container, a miner started with a pool URL, and a service-account
token read followed by a connect to the API server. Each raises its alert
with the right technique, container and pod, and nothing else of theirs is
lost or merged on the way."""

import secrets

import pytest

from alerts import Match, container_id, describe, pod_uid, technique_ids
from containers import Bind
from escape_behaviours import HostSleeper
from lateral_movement_behaviours import make_service_account_volume
from programs import executable_problem, program_path
from sensor import Sensor

API_SERVER = ("10.96.0.1", 443)
XMRIG = "/usr/local/bin/xmrig"
PROBER = "/prober"
TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"


def shell(command: str) -> list:
    # `; exit $?` keeps the shell as the parent of what it runs.
    return ["/bin/sh", "-c", f"{command}; exit $?"]


def run(container, command: str):
    completed = container.exec(shell(command), timeout=30)
    assert completed.returncode == 0, f"`{command}` failed in {container.name}: {completed.stderr}"


def release_agent_write() -> str:
    """A cgroup v1 hierarchy of the test's own (a named one, with no
    controller), so that the write changes nothing of the host's: the agent
    never runs (notify_on_release stays 0) and unmounting destroys it."""
    name = f"vigiltest{secrets.token_hex(4)}"
    return (f"set -e; d=/tmp/{name}; mkdir -p $d; mount -t cgroup -o none,name={name} cgroup $d; "
            f"echo /vigil-test-agent > $d/release_agent; umount $d")


@pytest.fixture(scope="module")
def attack_rootfs(rootfs, build_dir, tmp_path_factory):
    files = {}
    for name, destination in (("miner_sim", XMRIG), ("prober", PROBER)):
        program = program_path(build_dir, name)
        problem = executable_problem(program)
        if problem:
            pytest.fail(problem)
        files[destination] = program
    return rootfs.with_files(tmp_path_factory.mktemp("attack-rootfs") / "root", files)


def test_the_four_behaviours_each_raise_their_alert(build_dir, tmp_path, container_factory, attack_rootfs):
    address, port = API_SERVER
    overrides = {"plugins": {"lateral_movement": {"api_server_endpoints": [f"{address}:{port}"]}}}
    sleeper = HostSleeper()
    try:
        with Sensor(build_dir, tmp_path / "sensor", overrides) as sensor:
            writer = container_factory(rootfs=attack_rootfs, privileged=True)
            run(writer, release_agent_write())

            joiner = container_factory(rootfs=attack_rootfs, privileged=True, host_pid=True)
            run(joiner, f"nsenter -t {sleeper.pid} -m -- /bin/true")

            miner = container_factory(rootfs=attack_rootfs)
            run(miner, f"{XMRIG} -o stratum+tcp://pool.example.net:3333 -u 4Awallet")

            volume = make_service_account_volume(tmp_path / "serviceaccount")
            pod = container_factory(rootfs=attack_rootfs,
                                    binds=[Bind(str(volume), "/var/run/secrets/kubernetes.io/serviceaccount")])
            run(pod, f"cat {TOKEN} > /dev/null && {PROBER} connect {address} {port}")

            expected = [
                (writer, "escape.release_agent_write", {"T1611"}),
                (joiner, "escape.join_host_namespace", {"T1611"}),
                (miner, "cryptomining.miner_exec", {"T1496", "T1496.001"}),
                (pod, "lateral_movement.token_then_api_connect", {"T1552.007", "T1613"}),
            ]
            for container, rule, techniques in expected:
                alert = sensor.wait_for_alert(Match(rule=rule, container=container))
                assert techniques <= technique_ids(alert), describe(alert)
                assert container_id(alert) == container.id, describe(alert)
                assert pod_uid(alert) == container.pod_uid, describe(alert)
    finally:
        sleeper.stop()
