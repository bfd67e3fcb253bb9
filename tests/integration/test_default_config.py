# SPDX-License-Identifier: Apache-2.0
"""The README's run command uses conf/vigil.toml as shipped: it must start the
real sensor with the real plugins (every plugin option in it valid), print
alerts on stdout, and stop cleanly."""

import os
import signal
import subprocess
import time
from pathlib import Path

from vigil_binary import vigil_path

SOURCE_DIR = Path(os.environ.get("VIGIL_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def test_the_shipped_configuration_runs_and_alerts_on_stdout(build_dir, tmp_path):
    injector = build_dir / "tests" / "programs" / "injector"
    # The shipped file with two changes: the spool and the state directory live in
    # the test's directory, so that the test leaves nothing on the host and two
    # runs do not share them.
    shipped = (SOURCE_DIR / "conf" / "vigil.toml").read_text()
    assert 'spool_path = "/var/lib/vigil/spool.db"' in shipped
    assert 'state_directory = "/var/lib/vigil"' in shipped
    config = tmp_path / "vigil.toml"
    config.write_text(shipped.replace('spool_path = "/var/lib/vigil/spool.db"', f'spool_path = "{tmp_path}/spool.db"')
                      .replace('state_directory = "/var/lib/vigil"', f'state_directory = "{tmp_path}/state"'))
    sensor = subprocess.Popen([str(vigil_path(build_dir)), "run", "-c", str(config)],
                              stdout=subprocess.PIPE, stderr=open(tmp_path / "stderr", "w"), text=True)
    try:
        deadline = time.monotonic() + 30
        while "sensor ready" not in (tmp_path / "stderr").read_text():
            assert sensor.poll() is None, (tmp_path / "stderr").read_text()
            assert time.monotonic() < deadline, "not ready within 30 s"
            time.sleep(0.05)
        subprocess.run([str(injector), "ptrace", "attach"], check=True, stdout=subprocess.DEVNULL)
    finally:
        sensor.send_signal(signal.SIGTERM)
        output, _ = sensor.communicate(timeout=15)
    assert sensor.returncode == 0, (tmp_path / "stderr").read_text()
    lines = [line for line in output.splitlines() if "injection.ptrace_attach" in line]
    assert lines, f"no ptrace alert on stdout:\n{output}"
    assert "HIGH" in lines[0] and "T1055.008" in lines[0], lines[0]


def _declared_options(build_dir) -> dict:
    """{plugin: {option: default}} as `vigil plugins` prints them."""
    import re
    import tomllib
    listing = subprocess.run([str(vigil_path(build_dir)), "plugins"], check=True, capture_output=True,
                             text=True).stdout
    declared, plugin = {}, None
    for line in listing.splitlines():
        header = re.match(r"^(\w+) \S+ \((detector|output), ABI", line)
        if header:
            plugin = header.group(1)
            declared[plugin] = {}
            continue
        option = re.match(r"^  option (\w+) \([^,]+(?:,[^,]+)?, default (.*)\): ", line)
        if option and plugin:
            # The default is printed as a TOML literal: parse it as one.
            declared[plugin][option.group(1)] = tomllib.loads(f"value = {option.group(2)}")["value"]
    return declared


def test_the_shipped_configuration_documents_every_plugin_option_at_its_default(build_dir):
    import tomllib
    shipped = tomllib.loads((SOURCE_DIR / "conf" / "vigil.toml").read_text())
    declared = _declared_options(build_dir)
    assert {"cryptomining", "escape", "injection", "lateral_movement"} <= declared.keys(), declared.keys()
    problems = []
    for plugin, options in declared.items():
        table = shipped.get("plugins", {}).get(plugin) or shipped.get("outputs", {}).get(plugin)
        if table is None:
            problems.append(f"no [plugins.{plugin}] or [outputs.{plugin}] table")
            continue
        for key, default in options.items():
            if key not in table:
                problems.append(f"{plugin}.{key} is not documented")
            elif table[key] != default:
                problems.append(f"{plugin}.{key} = {table[key]!r} in the file, but the default is {default!r}")
    assert not problems, "\n".join(problems)
