# SPDX-License-Identifier: Apache-2.0
"""What the lateral_movement integration tests run in their containers: a
fake service-account volume laid out as the kubelet lays it out, the rootfs
with the `prober` test program (also installed as a "known API client"), and
the sensor configuration.

Never a real token: the volume is a directory the test creates, holding
made-up text, bind-mounted where Kubernetes mounts the real one.
"""

from pathlib import Path

from containers import Bind

SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN = f"{SERVICE_ACCOUNT_DIR}/token"
PROBER = "/prober"
KNOWN_CLIENT = "/usr/local/bin/kube-client"

# What the sensor watches as the API server; the containers have a network
# namespace of their own with no route anywhere, so a connect fails at once,
# and the attempt is what the sensor sees.
API_SERVER = "10.96.0.1:443"
API_ADDRESS, API_PORT = API_SERVER.split(":")

# The API server address and otherwise the plugin's defaults; every alert sent
# (deduplication off), because each test looks for its own alert even when an
# earlier test had one alike. The injection detector is not under test here.
SENSOR_CONFIG = {
    "plugins": {
        "injection": {"enabled": False},
        "lateral_movement": {"api_server_endpoints": [API_SERVER]},
    },
    "alerts": {"dedup_window_s": 0},
}

# The same, with the prober's second name as a known API client.
KNOWN_CLIENT_CONFIG = {
    **SENSOR_CONFIG,
    "plugins": {
        "injection": {"enabled": False},
        "lateral_movement": {"api_server_endpoints": [API_SERVER], "known_api_clients": [KNOWN_CLIENT]},
    },
}


def make_service_account_volume(root: Path) -> Path:
    """The kubelet's atomic-writer layout: the files live in a timestamped
    directory, `..data` points at it, and each visible name points into
    `..data`. Returns the directory to bind-mount."""
    volume = Path(root)
    stamped = volume / "..2024_05_01_10_00_00.123456789"
    stamped.mkdir(parents=True)
    (stamped / "token").write_text("vigil-test-not-a-real-token\n")
    (stamped / "ca.crt").write_text("-----BEGIN CERTIFICATE-----\nvigil test\n-----END CERTIFICATE-----\n")
    (stamped / "namespace").write_text("default\n")
    (volume / "..data").symlink_to(stamped.name)
    for name in ("token", "ca.crt", "namespace"):
        (volume / name).symlink_to(f"..data/{name}")
    return volume


def service_account_bind(volume: Path) -> Bind:
    return Bind(str(volume), SERVICE_ACCOUNT_DIR)


def shell(command: str) -> list:
    """`sh -c` that stays the parent of what it runs: busybox execs the last
    command in place, so `; exit $?` keeps the shell in the ancestry."""
    return ["/bin/sh", "-c", f"{command}; exit $?"]


def run(container, command: str, timeout: float = 30):
    completed = container.exec(shell(command), timeout=timeout)
    if completed.returncode != 0:
        raise AssertionError(f"`{command}` exited with {completed.returncode} in {container.name}:\n"
                             f"stdout: {completed.stdout}\nstderr: {completed.stderr}")
    return completed
