# SPDX-License-Identifier: Apache-2.0
"""Fixtures of the integration tests: root, the build, the container rootfs,
containers and sensors, and cleanup of all of them, also after failures,
Ctrl-C, SIGTERM, and (at the next start) crashes.

The harness does not mount or check tracefs: the sensor mounts it itself when
needed, and that is part of what the tests exercise.
"""

import os
import signal
from pathlib import Path

import pytest

import containers
from containers import Container, Rootfs
from injector import SENSOR_CONFIG
from programs import executable_problem, program_path
from sensor import Sensor
from vigil_binary import build_dir_problem


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config):
    # A SIGTERM (a cancelled CI job, `timeout`) becomes a KeyboardInterrupt,
    # which pytest answers by running every fixture teardown: containers and
    # sensors are cleaned up instead of left running on the node.
    signal.signal(signal.SIGTERM, _interrupt)


@pytest.fixture(scope="session", autouse=True)
def running_as_root():
    # A failure, not a skip: these tests are the only proof that the sensor
    # works on a real kernel, so not running them must not look like success.
    if os.geteuid() != 0:
        pytest.fail("the integration tests load BPF programs and run containers: run them as root")


@pytest.fixture(scope="session", autouse=True)
def clean_test_containers(running_as_root):
    """Sweeps leftovers of a crashed earlier run before the session, and
    everything this session made (whatever a failed test left) after it."""
    problems = containers.sweep()
    if problems:
        pytest.fail("could not clean up after an earlier run: " + "; ".join(problems))
    yield
    problems = containers.sweep()
    if problems:
        pytest.fail("could not clean up the test containers: " + "; ".join(problems))


@pytest.fixture(scope="session")
def build_dir() -> Path:
    value = os.environ.get("VIGIL_BUILD_DIR")
    problem = build_dir_problem(value)
    if problem:
        pytest.fail(problem)
    return Path(value)


@pytest.fixture(scope="session")
def rootfs(tmp_path_factory) -> Rootfs:
    """Busybox only; shared by every container of the session (copied for
    containers with a writable rootfs)."""
    return Rootfs.build(tmp_path_factory.mktemp("rootfs") / "root")


@pytest.fixture(scope="session")
def injector_rootfs(rootfs, build_dir, tmp_path_factory) -> Rootfs:
    """The busybox rootfs plus the static test program as /injector."""
    program = program_path(build_dir, "injector")
    problem = executable_problem(program)
    if problem:
        pytest.fail(problem)
    return rootfs.with_files(tmp_path_factory.mktemp("injector-rootfs") / "root", {"/injector": program})


@pytest.fixture
def container_factory(rootfs, tmp_path):
    """make(rootfs=None, start=True, **Container options) -> Container,
    started (detached) unless start=False; all deleted after the test."""
    shared_rootfs = rootfs
    made = []

    def make(rootfs=None, start=True, **options):
        container = Container(rootfs or shared_rootfs, tmp_path / "containers", **options)
        made.append(container)
        if start:
            container.run()
        return container

    yield make
    problems = []
    for container in reversed(made):
        try:
            container.delete()
        except containers.ContainerError as error:
            problems.append(str(error))
    if problems:
        pytest.fail("container cleanup failed: " + "; ".join(problems))


@pytest.fixture
def sensor_factory(build_dir, tmp_path):
    """make(config_overrides=None, plugin_dir=None, wait_ready=True) -> Sensor,
    started; stopped with SIGTERM after the test."""
    started = []

    def make(config_overrides=None, plugin_dir=None, wait_ready=True):
        sensor = Sensor(build_dir, tmp_path / f"sensor-{len(started)}", config_overrides, plugin_dir)
        started.append(sensor)
        return sensor.start(wait_ready=wait_ready)

    yield make
    problems = []
    for sensor in started:
        try:
            sensor.stop()
        except AssertionError as error:
            problems.append(str(error))
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture(scope="module")
def injection_sensor(build_dir, tmp_path_factory):
    """One sensor with the injection plugin for all the tests of a module:
    starting a sensor (loading and attaching BPF programs) is the slow part."""
    with Sensor(build_dir, tmp_path_factory.mktemp("injection-sensor"), SENSOR_CONFIG) as sensor:
        yield sensor
