"""Who holds a lease, and whether that holder is known to be gone.

An import job is processed under a lease that its worker renews with every batch; when the
worker dies another one takes the job over once the lease runs out. Waiting out the lease is
the only safe choice when the holder ran on another machine (it may be alive and merely
slow or cut off), but a server restarted after a crash would wait minutes for a job whose
holder it can prove dead: a process of this same machine that no longer exists.

A lease owner therefore names its process: `pid.start.machine.nonce`, where `start` is the
process's start time in clock ticks since boot (a pid reused by a later process has another
start time) and `machine` is a digest of the kernel's boot id and the pid namespace (a pid
means the same process only within one namespace of one boot; containers on one host share
the boot id but not the namespace). A claimer judges only owners of its own machine tag; any
other owner, or one it cannot read, counts as alive until its lease runs out. Several
workers stay safe because the takeover is a compare-and-swap on the owner string: of two
workers that both find the holder dead, only one replaces it.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from functools import cache
from pathlib import Path

PROC = Path("/proc")


def _start_ticks(pid: int) -> str | None:
    """The process's start time since boot (field 22 of /proc/PID/stat), or None if gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in {"Z", "X"}:
        return None  # killed and not yet reaped by its parent: it will never renew a lease
    return fields[19]


@cache
def _machine_tag() -> str | None:
    """This boot and pid namespace, as 12 hex digits; None where /proc cannot say."""
    try:
        boot_id = (PROC / "sys" / "kernel" / "random" / "boot_id").read_text().strip()
        namespace = os.readlink(PROC / "self" / "ns" / "pid")
    except OSError:
        return None
    return hashlib.sha256(f"{boot_id}/{namespace}".encode()).hexdigest()[:12]


def new_lease_owner() -> str:
    """A fresh owner string for one claim by this process (at most 64 characters)."""
    nonce = uuid.uuid4().hex[:16]
    pid = os.getpid()
    start, machine = _start_ticks(pid), _machine_tag()
    if start is None or machine is None:
        return nonce  # no way to prove this process dead later: others wait out the lease
    return f"{pid}.{start}.{machine}.{nonce}"


def holder_is_gone(owner: str) -> bool:
    """True only when the owner was a process of this machine that no longer runs."""
    parts = owner.split(".")
    if len(parts) != 4 or not parts[0].isdigit():
        return False
    pid, start, machine, _nonce = parts
    if machine != _machine_tag():
        return False
    return _start_ticks(int(pid)) != start
