# SPDX-License-Identifier: Apache-2.0
"""Per-program fallback on the real kernel: with the preferred attach types
switched off, the sensor attaches each job's fallback, says so, and still
detects. (On kernels without syscall tracepoints or tracefs the same happens
without being asked.)"""

from alerts import Match
from injector import CONTAINER_OPTIONS, SENSOR_CONFIG, run_behaviour
from sensor import deep_merge


def test_without_tracepoints_the_raw_tracepoint_fallbacks_still_detect(sensor_factory, container_factory,
                                                                         injector_rootfs):
    sensor = sensor_factory(deep_merge(SENSOR_CONFIG, {"sensor": {"disabled_attach_types": ["tp"]}}))

    log = sensor.stderr_text()
    assert "injection/injection: sys_enter_raw (raw_tp/sys_enter) attached" in log, sensor.stderr_tail()
    assert "core/process_lifecycle: exec_btf (tp_btf/sched_process_exec) attached" in log, sensor.stderr_tail()
    assert "attach type tp is disabled in the configuration" in log

    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    run_behaviour(container, "ptrace attach")
    alert = sensor.wait_for_alert(Match(rule="injection.ptrace_attach", container=container))
    assert alert["k8s"]["pod_uid"] == container.pod_uid
    run_behaviour(container, "memfd-exec")
    sensor.wait_for_alert(Match(rule="injection.memfd_exec", container=container))


def test_a_job_with_no_working_hook_is_reported_and_the_rest_runs(sensor_factory, container_factory,
                                                                   injector_rootfs):
    # No tp and no tp_btf: exec has no hook left (raw_tp covers fork and the syscalls).
    sensor = sensor_factory(deep_merge(SENSOR_CONFIG, {"sensor": {"disabled_attach_types": ["tp", "tp_btf"]}}))
    assert sensor.stderr_lines_with("required programs have no working alternative"), sensor.stderr_tail()

    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    run_behaviour(container, "ptrace attach")
    sensor.wait_for_alert(Match(rule="injection.ptrace_attach", container=container))
