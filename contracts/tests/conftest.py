"""Shared fixtures: an in-process py-evm chain (eth-tester) driven through web3.

The chain is snapshotted before each test and reverted after it, so a test's
transactions never leak into the next one; contracts deployed by module-scoped
fixtures are created before the first snapshot and stay.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_tester import EthereumTester, PyEVMBackend
from web3 import EthereumTesterProvider, Web3

from contract_test_support import REVERT_ERRORS, calldata_of, error_string_payload, load_artifact

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def tester() -> EthereumTester:
    return EthereumTester(PyEVMBackend())


@pytest.fixture(scope="session")
def w3(tester: EthereumTester) -> Web3:
    return Web3(EthereumTesterProvider(tester))


@pytest.fixture(autouse=True)
def clean_chain(tester: EthereumTester):
    snapshot = tester.take_snapshot()
    yield
    tester.revert_to_snapshot(snapshot)


@pytest.fixture(scope="session")
def accounts(w3: Web3) -> list[str]:
    return w3.eth.accounts


@pytest.fixture(scope="session")
def deploy(w3: Web3, accounts: list[str]):
    """deploy(name, *args, sender=accounts[0]) -> contract, from contracts/build/<name>.json."""

    def deploy_artifact(name: str, *args, sender: str | None = None):
        artifact = load_artifact(name)
        return deploy_code(w3, artifact["abi"], artifact["bytecode"], args, sender or accounts[0])

    return deploy_artifact


@pytest.fixture(scope="session")
def deploy_fixture(w3: Web3, accounts: list[str]):
    """Compiles and deploys a test-only contract from contracts/tests/fixtures/<name>.vy."""
    import vyper

    compiled: dict[str, dict] = {}

    def deploy_source(name: str, *args, sender: str | None = None):
        if name not in compiled:
            path = FIXTURE_DIR / f"{name}.vy"
            compiled[name] = vyper.compile_code(
                path.read_text(encoding="utf-8"),
                contract_path=path.name,
                output_formats=["abi", "bytecode"],
            )
        output = compiled[name]
        return deploy_code(w3, output["abi"], output["bytecode"], args, sender or accounts[0])

    return deploy_source


def deploy_code(w3: Web3, abi: list, bytecode: str, args: tuple, sender: str):
    factory = w3.eth.contract(abi=abi, bytecode=bytecode)
    receipt = w3.eth.wait_for_transaction_receipt(
        factory.constructor(*args).transact({"from": sender})
    )
    assert receipt.status == 1
    assert len(w3.eth.get_code(receipt.contractAddress)) > 0
    return w3.eth.contract(address=receipt.contractAddress, abi=abi)


@pytest.fixture(scope="session")
def send(w3: Web3):
    """send(contract_function, sender) -> receipt of a mined, successful transaction."""

    def send_transaction(function, sender: str):
        # an explicit gas limit skips eth_estimateGas, which halves the time per transaction
        receipt = w3.eth.wait_for_transaction_receipt(
            function.transact({"from": sender, "gas": 1_000_000})
        )
        assert receipt.status == 1
        return receipt

    return send_transaction


@pytest.fixture(scope="session")
def revert_data(tester: EthereumTester):
    """revert_data(contract_function, sender) -> the exact bytes the call reverted with.

    web3 and eth-tester turn revert data into messages and drop the raw bytes
    of Error(string) and custom errors; the bytes are the thing under test, so
    this runs the call on the py-evm state directly (private eth-tester helpers,
    pinned with eth-tester in infra/requirements.txt). Fails the test when the
    call succeeds.
    """
    from eth_tester.backends.pyevm.main import (
        EVMSpoofTransaction,
        _execute_and_revert_transaction,
    )

    def run(function, sender: str) -> bytes:
        backend = tester.backend
        raw = tester.normalizer.normalize_inbound_transaction(
            {"from": sender, "to": function.address, "data": calldata_of(function)}
        )
        raw.setdefault("gas", backend._max_available_gas())
        unsigned = backend._get_normalized_and_unsigned_evm_transaction(raw, "latest")
        computation = _execute_and_revert_transaction(
            backend.chain, EVMSpoofTransaction(unsigned, from_=raw["from"]), "latest"
        )
        assert computation.is_error, "expected the call to revert, but it succeeded"
        return bytes(computation.output)

    return run


@pytest.fixture(scope="session")
def expect_revert(revert_data):
    """expect_revert(function, sender, reason): the call reverts with exactly
    Error(reason), and sending it as a transaction is refused with that reason."""

    def check(function, sender: str, reason: str) -> None:
        assert revert_data(function, sender) == error_string_payload(reason)
        with pytest.raises(REVERT_ERRORS) as refused:
            function.transact({"from": sender})
        assert reason in str(refused.value)

    return check
