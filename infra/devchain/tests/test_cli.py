"""The command line: flag validation, the ready line, clean shutdown on signals."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import pytest

from conftest import DEVCHAIN, start_devchain


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--port", "70000"], "--port: must be at most 65535"),
        (["--chain-id", "zero"], "--chain-id: expected an integer"),
        (["--accounts", "-1"], "--accounts: must be at least 0"),
        (["--balance", "lots"], "--balance: expected an amount of ETH"),
        (["--block-time", "0"], "--block-time: must be positive"),
        (["--mnemonic", "not a real mnemonic at all"], "invalid mnemonic"),
    ],
)
def test_bad_flags_exit_with_one_clear_line(arguments, message):
    result = subprocess.run(
        [sys.executable, DEVCHAIN, *arguments], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_port_in_use_is_reported(devchain):
    result = subprocess.run(
        [sys.executable, DEVCHAIN, "--port", str(devchain.port)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{devchain.port}" in result.stderr
    assert result.stdout == ""


def test_ready_line_is_the_only_stdout_and_sigint_exits_cleanly():
    node = start_devchain("--accounts", "1")
    try:
        with socket.create_connection(("127.0.0.1", node.port), timeout=5):
            pass
        assert node.result("eth_accounts") == ["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"]
    finally:
        assert node.stop(signal.SIGINT) == 0
    assert node.process.stdout.read() == ""
    assert "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" in node.stderr()


def test_exits_when_its_watched_parent_is_killed():
    """`aiplat serve --dev` may die by kill -9; its devchain must not keep the port forever."""
    import os
    import signal as _signal
    import subprocess as _subprocess
    import sys as _sys
    import time as _time

    # The middle process starts the devchain watching it, prints the child's pid, then idles.
    middle_code = (
        "import os, subprocess, sys, time\n"
        "env = dict(os.environ, AIPLAT_DEVCHAIN_PARENT_PID=str(os.getpid()))\n"
        f"child = subprocess.Popen([sys.executable, {DEVCHAIN!r}, '--port', '0', '--accounts', '1'],"
        " env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)\n"
        "line = child.stdout.readline()\n"
        "print(child.pid, line.strip(), flush=True)\n"
        "time.sleep(600)\n"
    )
    middle = _subprocess.Popen([_sys.executable, "-c", middle_code], stdout=_subprocess.PIPE, text=True)
    try:
        first = middle.stdout.readline().split()
        child_pid = int(first[0])
        assert " ".join(first[1:]).startswith("Listening on ")
        middle.send_signal(_signal.SIGKILL)
        middle.wait(timeout=10)
        deadline = _time.monotonic() + 15
        while _time.monotonic() < deadline:
            try:
                os.kill(child_pid, 0)
            except ProcessLookupError:
                break
            # A zombie re-parented to init is reaped by it; keep polling.
            _time.sleep(0.2)
        else:
            os.kill(child_pid, _signal.SIGKILL)
            raise AssertionError("devchain kept running after its watched parent was killed")
    finally:
        if middle.poll() is None:
            middle.kill()
