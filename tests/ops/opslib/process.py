"""What opslib's child processes share: each runs in its own session (start_new_session=True),
so stopping it signals its whole process group."""
import os
import signal
import subprocess


def _signal_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:  # already gone
        pass


def stop_group(proc, timeout=10):
    """SIGTERM to the group of `proc`, SIGKILL if it has not exited after `timeout` seconds;
    returns once it has exited (at once when it had already)."""
    if proc.poll() is not None:
        return
    _signal_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _signal_group(proc.pid, signal.SIGKILL)
        proc.wait()
