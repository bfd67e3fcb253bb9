# SPDX-License-Identifier: Apache-2.0
"""Without the privileges to load BPF programs the sensor does not start
blind: it exits at once with status 1 and says what it needs."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import toml_writer
from vigil_binary import default_plugin_dir, vigil_path

NOBODY = 65534


def test_an_unprivileged_sensor_refuses_to_start_and_says_why(build_dir):
    # Everything the unprivileged user runs must be readable by it, wherever the checkout is.
    place = Path(tempfile.mkdtemp(prefix="vigil-test-unprivileged-"))
    try:
        place.chmod(0o755)
        shutil.copy(vigil_path(build_dir), place / "vigil")
        shutil.copytree(default_plugin_dir(build_dir), place / "plugins")
        config = place / "vigil.toml"
        config.write_text(toml_writer.dumps({"sensor": {"plugin_dir": str(place / "plugins")}}))
        config.chmod(0o644)
        completed = subprocess.run([str(place / "vigil"), "run", "-c", str(config)], capture_output=True,
                                   text=True, timeout=30, preexec_fn=lambda: (os.setgid(NOBODY), os.setuid(NOBODY)))
    finally:
        shutil.rmtree(place, ignore_errors=True)
    assert completed.returncode == 1, completed.stderr
    assert "must run as root" in completed.stderr, completed.stderr
    assert "sensor ready" not in completed.stderr
