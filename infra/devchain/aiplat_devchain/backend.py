"""eth-tester's py-evm backend with a configurable chain id and anvil's genesis.

eth-tester builds its chain class inside `setup_tester_chain` with a hard-coded
`chain_id = 131277322940537`. py-evm reads the chain id from the chain *class*
(`Chain.get_vm` builds `ChainContext(self.chain_id)`, which feeds the CHAINID opcode),
so the supported way to change it is a chain class of our own; this backend subclass
builds one in `reset_to_genesis` and otherwise keeps eth-tester's genesis helpers.
"""

from __future__ import annotations

from eth.chains.base import MiningChain
from eth.db import get_db_backend
from eth.vm.forks import PragueVM
from eth_utils.toolz import assoc

from eth_tester.backends.pyevm.main import PyEVMBackend

from .accounts import DevAccount

# anvil's default block gas limit.
DEFAULT_GAS_LIMIT = 30_000_000


class DevchainMiningChain(MiningChain):
    """A post-merge (Prague) chain whose gas limit stays constant, as on anvil."""

    vm_configuration = ((0, PragueVM),)
    chain_id = 31337

    def create_header_from_parent(self, parent_header, **header_params):
        return super().create_header_from_parent(
            parent_header, **assoc(header_params, "gas_limit", parent_header.gas_limit)
        )


def chain_class_for(chain_id: int) -> type[DevchainMiningChain]:
    return type("DevchainMiningChain", (DevchainMiningChain,), {"chain_id": chain_id})


class DevchainBackend(PyEVMBackend):
    """PyEVMBackend whose chain runs under `chain_id`, funding `accounts` at genesis."""

    def __init__(
        self,
        chain_id: int,
        accounts: tuple[DevAccount, ...],
        balance_wei: int,
        gas_limit: int = DEFAULT_GAS_LIMIT,
    ) -> None:
        self._chain_id = chain_id
        self._dev_accounts = accounts
        genesis_state = {
            account.address: {"balance": balance_wei, "nonce": 0, "code": b"", "storage": {}}
            for account in accounts
        }
        genesis_params = self.generate_genesis_params(overrides={"gas_limit": gas_limit})
        super().__init__(genesis_parameters=genesis_params, genesis_state=genesis_state)

    def reset_to_genesis(
        self,
        genesis_params=None,
        genesis_state=None,
        num_accounts=None,
        vm_configuration=None,
        mnemonic=None,
        hd_path=None,
    ):
        chain_class = chain_class_for(self._chain_id)
        self.chain = chain_class.from_genesis(get_db_backend(), genesis_params, genesis_state or {})
        self.account_keys = tuple(account.private_key for account in self._dev_accounts)
