"""lecture_lib.grading.memory: cgroups made for a server or a sandbox do not outlive it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lecture_lib.grading import memory


def test_a_cgroup_whose_process_still_runs_is_emptied_and_removed():
    """The classroom's stop removes each student's cgroup right after killing the server: a
    process still charged there (or one a moment from exiting) must not leave the cgroup behind."""
    prefix = f"lecture-test-removal-{id(object())}"
    m = memory.meter(256, prefix=prefix)
    if not isinstance(m, memory.CgroupMeter):
        m.close()
        pytest.skip("no memory cgroup can be made here (not root, no delegated subtree)")
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        (m.path / "cgroup.procs").write_text(str(child.pid))
        assert str(child.pid) in (m.path / "cgroup.procs").read_text().split()
        assert memory.remove_cgroups(prefix) == 1
        assert not m.path.exists()
        assert child.wait(timeout=10) < 0  # ended by a signal, not left running
    finally:
        child.kill()
        child.wait()
        m.close()


def test_removing_cgroups_that_do_not_exist_removes_nothing():
    assert memory.remove_cgroups("lecture-test-no-such-cgroup-", wait_s=0.1) == 0
