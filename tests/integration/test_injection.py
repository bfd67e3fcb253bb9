# SPDX-License-Identifier: Apache-2.0
"""Each process-injection behaviour, done by a shell in a kubelet-style
container, raises its alert, attributed to that container and pod."""

import pytest

from alerts import Match, ancestry_exes, describe, pod_uid, technique_ids
from injector import CONTAINER_OPTIONS, run_behaviour

# (injector subcommand, rule, MITRE ATT&CK technique)
BEHAVIOURS = [
    ("ptrace attach", "injection.ptrace_attach", "T1055.008"),
    ("ptrace seize", "injection.ptrace_attach", "T1055.008"),
    ("ptrace pokedata", "injection.ptrace_write", "T1055.008"),
    ("ptrace poketext", "injection.ptrace_write", "T1055.008"),
    ("ptrace pokeuser", "injection.ptrace_write", "T1055.008"),
    ("ptrace setregs", "injection.ptrace_write", "T1055.008"),
    ("vm-writev", "injection.process_vm_writev", "T1055"),
    ("proc-mem", "injection.proc_mem_write", "T1055.009"),
    ("memfd-exec", "injection.memfd_exec", "T1620"),
    ("shm-exec", "injection.shm_exec", "T1620"),
    ("ld-preload-env", "injection.ld_preload_env", "T1574.006"),
    ("ld-so-preload", "injection.ld_so_preload_write", "T1574.006"),
]


@pytest.mark.parametrize("subcommand, rule, technique", BEHAVIOURS,
                         ids=[subcommand.replace(" ", "-") for subcommand, _, _ in BEHAVIOURS])
def test_behaviour_raises_its_alert(injection_sensor, injector_rootfs, container_factory,
                                    subcommand, rule, technique):
    # A container of its own: its id tells this test's alert from every other's.
    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    run_behaviour(container, subcommand)

    alert = injection_sensor.wait_for_alert(Match(rule=rule, container=container))

    assert technique in technique_ids(alert), f"expected {technique}: {describe(alert)}"
    assert pod_uid(alert) == container.pod_uid, describe(alert)
    assert any(exe.endswith("sh") for exe in ancestry_exes(alert)), \
        f"no shell in the ancestry: {describe(alert)}"
