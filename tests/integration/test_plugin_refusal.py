# SPDX-License-Identifier: Apache-2.0
"""Plugins the sensor must refuse to load: one built for another ABI major,
and plugins an unprivileged user could have replaced (world-writable file or
directory). A refusal names the file and the reason; the other plugins work."""

import shutil
import tempfile
from pathlib import Path

import pytest

import cgroups

from alerts import Match
from injector import CONTAINER_OPTIONS, SENSOR_CONFIG, run_behaviour
from vigil_binary import default_plugin_dir

# Below /run, whose every parent is root's and not world-writable (unlike
# /tmp), and free of symlinks (the sensor names files by their real path):
# the only untrusted thing about the copies is what a test does on purpose.
PLUGIN_COPIES = cgroups.STATE_DIR / "plugin-dirs"


@pytest.fixture
def plugin_dir(build_dir):
    """A root-owned, mode 0755 copy of the build's plugin directory."""
    source = default_plugin_dir(build_dir)
    plugins = sorted(source.glob("*.so"))
    if not plugins:
        pytest.fail(f"no plugins in {source}: build the plugins first")
    PLUGIN_COPIES.mkdir(parents=True, exist_ok=True)
    PLUGIN_COPIES.chmod(0o755)
    directory = Path(tempfile.mkdtemp(prefix="plugins-", dir=PLUGIN_COPIES))
    directory.chmod(0o755)
    for plugin in plugins:
        shutil.copy2(plugin, directory / plugin.name)
        (directory / plugin.name).chmod(0o755)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def injection_plugin(directory: Path) -> Path:
    candidates = [path for path in directory.glob("*.so") if "injection" in path.name]
    if len(candidates) != 1:
        pytest.fail(f"expected one injection plugin .so in {directory}, found {[p.name for p in candidates]}")
    return candidates[0]


def assert_refused(sensor, *needles):
    lines = sensor.stderr_lines_with(*needles)
    assert lines, (f"no log line with all of {needles} in the sensor's stderr:\n{sensor.stderr_tail()}")


def assert_still_detects(sensor, container_factory, injector_rootfs):
    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    run_behaviour(container, "ptrace attach")
    sensor.wait_for_alert(Match(rule="injection.ptrace_attach", container=container))


def test_plugin_for_another_abi_major_is_refused(build_dir, plugin_dir, sensor_factory,
                                                 container_factory, injector_rootfs):
    wrong_abi = build_dir / "tests" / "fixtures" / "plugins" / "wrong_abi.so"
    if not wrong_abi.is_file():
        pytest.fail(f"{wrong_abi} does not exist: build the test fixtures")
    shutil.copy2(wrong_abi, plugin_dir / "wrong_abi.so")
    (plugin_dir / "wrong_abi.so").chmod(0o755)

    sensor = sensor_factory(SENSOR_CONFIG, plugin_dir=plugin_dir)

    assert_refused(sensor, "wrong_abi.so", "ABI")
    assert_still_detects(sensor, container_factory, injector_rootfs)


def start_with_untrusted(sensor_factory, plugin_dir):
    """Starts the sensor, which may run on with what is left or, if nothing
    is, exit with an error; either is right as long as it says why."""
    sensor = sensor_factory(SENSOR_CONFIG, plugin_dir=plugin_dir, wait_ready=False)
    sensor.wait_ready_or_exit(timeout=30)
    return sensor


def test_world_writable_plugin_is_refused(plugin_dir, sensor_factory):
    plugin = injection_plugin(plugin_dir)
    plugin.chmod(0o757)

    sensor = start_with_untrusted(sensor_factory, plugin_dir)

    assert_refused(sensor, str(plugin), "writable")


def test_world_writable_plugin_directory_refuses_its_plugins(plugin_dir, sensor_factory):
    plugin_dir.chmod(0o757)

    sensor = start_with_untrusted(sensor_factory, plugin_dir)

    assert_refused(sensor, str(plugin_dir), "writable")
