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
