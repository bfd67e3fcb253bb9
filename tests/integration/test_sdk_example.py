# SPDX-License-Identifier: Apache-2.0
"""The SDK as a third party uses it: install it, build the sample detector in
sdk/examples/canary against the installed copy only, drop the result into a
plugin directory, and see the real sensor load it and raise its alerts: one
from a stage of the core's open_enter hook, one from its own unlink programs."""

import os
import subprocess
from pathlib import Path

from alerts import Match

SOURCE_DIR = Path(os.environ.get("VIGIL_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def run(command, **options):
    completed = subprocess.run(command, capture_output=True, text=True, **options)
    assert completed.returncode == 0, f"{' '.join(map(str, command))} failed:\n{completed.stdout}\n{completed.stderr}"
    return completed


def test_sample_detector_builds_against_the_installed_sdk_and_alerts(build_dir, sensor_factory, tmp_path):
    prefix = tmp_path / "sdk"
    run(["cmake", "--install", str(build_dir), "--component", "sdk", "--prefix", str(prefix)])
    assert (prefix / "include" / "vigil" / "plugin_abi.h").exists()
    assert (prefix / "include" / "vigil" / "bpf" / "event.h").exists()

    example_build = tmp_path / "canary-build"
    # A bare environment: nothing from the vigil build tree may leak in.
    run(["cmake", "-S", str(SOURCE_DIR / "sdk" / "examples" / "canary"), "-B", str(example_build),
         f"-DCMAKE_PREFIX_PATH={prefix}"])
    run(["cmake", "--build", str(example_build)])
    plugin = example_build / "canary.so"
    assert plugin.exists()

    plugins = tmp_path / "plugins"
    plugins.mkdir(mode=0o755)
    (plugins / "canary.so").write_bytes(plugin.read_bytes())
    (plugins / "canary.so").chmod(0o644)
    (plugins / "jsonl.so").write_bytes((build_dir / "lib" / "vigil" / "plugins" / "jsonl.so").read_bytes())

    sensor = sensor_factory({"plugins": {"canary": {"canary_name": "vigil-canary"}}}, plugin_dir=plugins)
    assert sensor.stderr_lines_with("detector canary 1.0.0 running"), sensor.stderr_tail()

    canary = tmp_path / "vigil-canary"
    canary.write_text("bait")
    # The open_enter stage: writing the canary is not reading it, reading it is.
    sensor.assert_no_alert(Match(rule="example.canary_read"), settle=1.0)
    assert canary.read_text() == "bait"
    read = sensor.wait_for_alert(Match(rule="example.canary_read"))
    assert read["mitre"]["techniques"][0]["id"] == "T1005"
    assert read["evidence"]["path"].endswith("vigil-canary")
    assert read["evidence"]["access"] == "read"
    assert read["plugin"] == "canary"

    canary.unlink()
    alert = sensor.wait_for_alert(Match(rule="example.canary_removed"))
    assert alert["mitre"]["techniques"][0]["id"] == "T1070.004"
    assert alert["evidence"]["path"].endswith("vigil-canary")
    assert alert["plugin"] == "canary"
