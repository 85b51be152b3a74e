"""Fixtures: real devchain processes on free ports, web3 clients, a compiled test contract."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

import pytest
from web3 import Web3

DEVCHAIN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "devchain.py")
READY_PREFIX = "Listening on "

# anvil's well-known dev accounts for the default mnemonic.
ANVIL_ACCOUNTS = [
    ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
    ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
    ("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
    ("0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
    ("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
    ("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"),
    ("0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"),
    ("0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"),
    ("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
    ("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"),
]


@dataclass
class DevchainProcess:
    process: subprocess.Popen
    port: int
    stderr_path: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def web3(self) -> Web3:
        return Web3(Web3.HTTPProvider(self.url, request_kwargs={"timeout": 30}))

    def post(self, body: bytes | str, headers: dict | None = None) -> tuple[int, bytes]:
        """One raw HTTP POST; returns (status, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            payload = body.encode() if isinstance(body, str) else body
            connection.request(
                "POST", "/", body=payload, headers={"Content-Type": "application/json", **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def rpc(self, method: str, *params):
        """The full JSON-RPC response object of one call."""
        status, body = self.post(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}))
        assert status == 200, body
        return json.loads(body)

    def result(self, method: str, *params):
        response = self.rpc(method, *params)
        assert "error" not in response, response
        return response["result"]

    def error(self, method: str, *params) -> dict:
        response = self.rpc(method, *params)
        assert "error" in response, response
        return response["error"]

    def stderr(self) -> str:
        with open(self.stderr_path) as handle:
            return handle.read()

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


class PendingDevchain:
    """A devchain process that was started and whose ready line has not been read yet."""

    def __init__(self, *arguments: str) -> None:
        self._stderr = tempfile.NamedTemporaryFile(prefix="devchain-", suffix=".log", delete=False)
        self._stderr.close()
        with open(self._stderr.name, "w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, DEVCHAIN, "--port", "0", *arguments],
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )

    def wait_ready(self, timeout: float = 90) -> DevchainProcess:
        lines: list[str] = []

        def read_ready_line():
            for line in self.process.stdout:
                lines.append(line)
                if line.startswith(READY_PREFIX):
                    return

        reader = threading.Thread(target=read_ready_line, daemon=True)
        reader.start()
        reader.join(timeout)
        if not lines or not lines[-1].startswith(READY_PREFIX):
            self.process.kill()
            with open(self._stderr.name) as handle:
                raise RuntimeError(f"devchain did not become ready: {lines!r}\n{handle.read()}")
        port = int(lines[-1][len(READY_PREFIX):].strip().rsplit(":", 1)[1])
        return DevchainProcess(self.process, port, self._stderr.name)


def start_devchain(*arguments: str) -> DevchainProcess:
    """Starts devchain.py on a free port and waits for its ready line."""
    return PendingDevchain(*arguments).wait_ready()


# Each server takes seconds to import py-evm; the ones the selected tests need start together
# right after collection (see pytest_collection_finish), and fixtures only wait for them.
_LAUNCH_ARGUMENTS = {
    "devchain": (),
    "custom_chain": ("--chain-id", "1337", "--accounts", "3", "--balance", "5.5", "--mnemonic",
                     "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"),
    "interval_chain": ("--block-time", "1"),
}
_launched: dict[str, PendingDevchain] = {}
_compiling: dict[str, threading.Thread] = {}


def launched(name: str) -> DevchainProcess:
    pending = _launched.pop(name, None) or PendingDevchain(*_LAUNCH_ARGUMENTS[name])
    return pending.wait_ready()


def pytest_collection_finish(session):
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    for name, arguments in _LAUNCH_ARGUMENTS.items():
        if name in needed:
            _launched[name] = PendingDevchain(*arguments)
    if "contract" in needed:
        thread = threading.Thread(target=_compile_contract, daemon=True)
        thread.start()
        _compiling["thread"] = thread


def pytest_sessionfinish(session):
    for pending in _launched.values():  # launched but never used (deselected tests)
        pending.process.kill()
        pending.process.wait()


@pytest.fixture(scope="session")
def devchain():
    """The shared default devchain (automine, chain id 31337, anvil accounts)."""
    node = launched("devchain")
    yield node
    assert node.stop() == 0, node.stderr()
    assert "Traceback" not in node.stderr(), node.stderr()


@pytest.fixture()
def w3(devchain) -> Web3:
    return devchain.web3()


@pytest.fixture()
def isolated(devchain):
    """Runs a test between evm_snapshot and evm_revert and restores automine afterwards."""
    snapshot = devchain.result("evm_snapshot")
    yield devchain
    devchain.result("evm_setAutomine", True)
    assert devchain.result("evm_revert", snapshot) is True


CONTRACT_SOURCE = """
# pragma version ~=0.4.3

event Stored:
    who: indexed(address)
    value: indexed(uint256)
    note: String[32]

event Pinged:
    caller: indexed(address)

value: public(uint256)

@deploy
def __init__(initial: uint256):
    self.value = initial

@external
def store(new_value: uint256, note: String[32]):
    assert new_value != 13, "unlucky number"
    self.value = new_value
    log Stored(who=msg.sender, value=new_value, note=note)

@external
def ping():
    log Pinged(caller=msg.sender)

@external
@view
def chain_id() -> uint256:
    return chain.id

@external
@view
def now() -> uint256:
    return block.timestamp

@external
@view
def fail_plain():
    raise
"""


@dataclass(frozen=True)
class CompiledContract:
    abi: list
    bytecode: bytes


_compiled: list = []


def _compile_contract() -> None:
    import vyper

    output = vyper.compile_code(CONTRACT_SOURCE, output_formats=["abi", "bytecode"])
    _compiled.append(CompiledContract(output["abi"], bytes.fromhex(output["bytecode"].removeprefix("0x"))))


@pytest.fixture(scope="session")
def contract() -> CompiledContract:
    thread = _compiling.pop("thread", None)
    if thread is not None:
        thread.join()
    if not _compiled:
        _compile_contract()
    return _compiled[0]


def wait_until(predicate, timeout: float = 10, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not reached in time")
