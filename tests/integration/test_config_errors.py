# SPDX-License-Identifier: Apache-2.0
"""A bad configuration stops `vigil run` before anything is loaded: exit code
2, and a message that names the file and the line to fix."""

import pytest

import toml_writer
from sensor import READY_MARKER, harness_config
from vigil_binary import run_vigil

CONFIG_ERROR_EXIT_CODE = 2
# Checking a configuration is quick; loading BPF programs is not. A run that
# takes longer than this has gone on to load something.
FAST_EXIT_SECONDS = 5


def write_config_with_line_3(build_dir, directory, line: str, replaces_key: str = None):
    """A complete harness configuration whose line 3 is `line`, in [sensor]."""
    config = harness_config(build_dir, directory)
    if replaces_key:
        del config["sensor"][replaces_key]  # not twice: a duplicate key is another error
    text = toml_writer.dumps(config)
    assert text.startswith("[sensor]\n")
    lines = ["# vigil integration test: line 3 is wrong on purpose", "[sensor]", line,
             *text.splitlines()[1:]]
    path = directory / "bad.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def assert_refused_before_loading(completed, *needles):
    stderr = completed.stderr
    assert completed.returncode == CONFIG_ERROR_EXIT_CODE, \
        f"exit code {completed.returncode}, expected {CONFIG_ERROR_EXIT_CODE}; stderr:\n{stderr}"
    for needle in needles:
        assert needle in stderr, f"{needle!r} is not in stderr:\n{stderr}"
    assert READY_MARKER not in stderr
    assert completed.elapsed < FAST_EXIT_SECONDS, f"took {completed.elapsed:.1f}s to refuse the file"


@pytest.mark.parametrize("line, replaces_key, key", [
    ("no_such_setting = 1", None, "no_such_setting"),
    ('stats_interval_s = "often"', "stats_interval_s", "stats_interval_s"),
], ids=["unknown key", "wrong type"])
def test_bad_setting_names_file_line_and_key(build_dir, tmp_path, line, replaces_key, key):
    path = write_config_with_line_3(build_dir, tmp_path, line, replaces_key)
    completed = run_vigil(build_dir, "run", "-c", path, timeout=2 * FAST_EXIT_SECONDS)
    assert_refused_before_loading(completed, "bad.toml:3", key)


def test_syntax_error_names_file_and_line(build_dir, tmp_path):
    path = write_config_with_line_3(build_dir, tmp_path, 'log_level "debug"', replaces_key="log_level")
    completed = run_vigil(build_dir, "run", "-c", path, timeout=2 * FAST_EXIT_SECONDS)
    assert_refused_before_loading(completed, "bad.toml:3")


def test_missing_file_is_named(build_dir, tmp_path):
    path = tmp_path / "does-not-exist.toml"
    completed = run_vigil(build_dir, "run", "-c", path, timeout=2 * FAST_EXIT_SECONDS)
    assert_refused_before_loading(completed, str(path))
