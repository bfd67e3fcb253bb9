# SPDX-License-Identifier: Apache-2.0
"""The one-shot commands: `vigil --version`, `vigil check`, `vigil plugins`,
and a clean stop of `vigil run` on SIGTERM."""

import re

import toml_writer
from sensor import harness_config
from vigil_binary import run_vigil

# What `vigil check` must report on the reference test VM (Debian 12, kernel
# 6.18), and how to read it: one place to adjust for another machine or
# another wording. attach type -> (names it may be printed as, available).
EXPECTED_ATTACH_SUPPORT = {
    "tracepoint": (("tracepoint", "tp"), True),
    "tp_btf": (("tp_btf",), True),
    "raw_tp": (("raw_tp", "raw_tracepoint"), True),
    "fentry": (("fentry",), False),
    "lsm": (("lsm",), False),
    "kprobe": (("kprobe",), False),
}
# A name as a word of its own, plural allowed: "tp" is not part of "tp_btf".
NAME_AS_WORD = r"(?<![\w-])(?:{names})s?(?![\w-])"
# Checked first, since "not available" contains "available".
NOT_AVAILABLE = re.compile(r"\b(no|not available|unavailable|unsupported|missing)\b", re.IGNORECASE)
AVAILABLE = re.compile(r"\b(yes|available|supported|ok)\b", re.IGNORECASE)
VERSION = re.compile(r"\b\d+\.\d+\.\d+\b")


def attach_types_section(output: str) -> list:
    """The lines of the "Attach types" section: the programs listed further
    down name attach types too, with verdicts of their own."""
    lines = output.splitlines()
    start = next((index for index, line in enumerate(lines) if line.strip().lower() == "attach types"), None)
    assert start is not None, f"no attach types section in:\n{output}"
    section = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        section.append(line)
    return section


def availability(output: str, names) -> bool:
    """Whether the attach-types lines naming the attach type say it is available."""
    pattern = re.compile(NAME_AS_WORD.format(names="|".join(map(re.escape, names))), re.IGNORECASE)
    verdicts = set()
    for line in attach_types_section(output):
        if not pattern.search(line):
            continue
        if NOT_AVAILABLE.search(line):
            verdicts.add(False)
        elif AVAILABLE.search(line):
            verdicts.add(True)
    assert len(verdicts) == 1, f"no single verdict about {names} in:\n{output}"
    return verdicts.pop()


def test_version(build_dir):
    completed = run_vigil(build_dir, "--version", timeout=10)
    assert completed.returncode == 0, completed.stderr
    assert VERSION.search(completed.stdout), f"no version in {completed.stdout!r}"


def test_check_reports_attach_types(build_dir):
    completed = run_vigil(build_dir, "check", timeout=60)
    assert completed.returncode == 0, f"vigil check failed ({completed.returncode}):\n{completed.stderr}"
    reported = {attach_type: availability(completed.stdout, names)
                for attach_type, (names, _) in EXPECTED_ATTACH_SUPPORT.items()}
    expected = {attach_type: available for attach_type, (_, available) in EXPECTED_ATTACH_SUPPORT.items()}
    assert reported == expected, f"vigil check said:\n{completed.stdout}"


def test_plugins_lists_injection_with_version_and_techniques(build_dir, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(toml_writer.dumps(harness_config(build_dir, tmp_path)))
    completed = run_vigil(build_dir, "plugins", "-c", config, timeout=30)
    assert completed.returncode == 0, f"vigil plugins failed ({completed.returncode}):\n{completed.stderr}"
    injection = [line for line in completed.stdout.splitlines() if re.search(r"\binjection\b", line)]
    assert any(VERSION.search(line) for line in injection), \
        f"no line with injection and its version in:\n{completed.stdout}"
    assert "T1055.008" in completed.stdout


def test_run_stops_cleanly_on_sigterm(sensor_factory):
    sensor = sensor_factory({"plugins": {"injection": {}}})
    assert sensor.stop() == 0, f"exit code {sensor.exit_code}; stderr:\n{sensor.stderr_tail()}"
