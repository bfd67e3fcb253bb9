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
    sensor = subprocess.Popen([str(vigil_path(build_dir)), "run", "-c", str(SOURCE_DIR / "conf" / "vigil.toml")],
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
