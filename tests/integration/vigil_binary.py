# SPDX-License-Identifier: Apache-2.0
"""Where the built sensor is, and one-shot runs of its command line
(`vigil --version`, `vigil check`, `vigil plugins`, a `vigil run` that must
fail): always with a timeout, so a sensor that hangs fails a test instead of
stalling the suite."""

import os
import subprocess
import time
from pathlib import Path


class VigilError(AssertionError):
    pass


def vigil_path(build_dir: Path) -> Path:
    return Path(build_dir) / "bin" / "vigil"


def default_plugin_dir(build_dir: Path) -> Path:
    return Path(build_dir) / "lib" / "vigil" / "plugins"


def build_dir_problem(build_dir) -> str:
    """None if build_dir holds an executable bin/vigil, else what is wrong."""
    if not build_dir:
        return "VIGIL_BUILD_DIR is not set: point it at the CMake build directory (ctest sets it)"
    binary = vigil_path(build_dir)
    if not binary.is_file() or not os.access(binary, os.X_OK):
        return f"{binary} does not exist or is not executable: build the sensor first"
    return None


def run_vigil(build_dir: Path, *args, timeout: float = 30) -> subprocess.CompletedProcess:
    """Run vigil with args; the result also carries `elapsed` in seconds."""
    command = [str(vigil_path(build_dir)), *map(str, args)]
    started = time.monotonic()
    try:
        completed = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                   stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        raise VigilError(f"`{' '.join(command)}` did not exit within {timeout}s; "
                         f"stderr so far:\n{_text(expired.stderr)}") from None
    completed.elapsed = time.monotonic() - started
    return completed


def _text(output) -> str:
    if output is None:
        return ""
    return output.decode(errors="replace") if isinstance(output, bytes) else output
