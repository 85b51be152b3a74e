"""Dev accounts derived from a BIP-39 mnemonic along m/44'/60'/0'/0/i, as anvil and Hardhat do."""

from __future__ import annotations

from dataclasses import dataclass

from eth_keys import keys

from eth_tester.backends.pyevm.main import get_account_keys_from_mnemonic

from .defaults import DEFAULT_MNEMONIC  # noqa: F401 - re-exported for library users
# eth-tester appends "/i" to this prefix; anvil and Hardhat use m/44'/60'/0'/0/i.
ANVIL_HD_PATH_PREFIX = "m/44'/60'/0'/0"


@dataclass(frozen=True)
class DevAccount:
    """An unlocked account the devchain signs for (eth_sendTransaction)."""

    private_key: keys.PrivateKey

    @property
    def address(self) -> bytes:
        return self.private_key.public_key.to_canonical_address()

    @property
    def checksum_address(self) -> str:
        return self.private_key.public_key.to_checksum_address()


class MnemonicError(ValueError):
    pass


def derive_accounts(mnemonic: str, count: int) -> tuple[DevAccount, ...]:
    """The first `count` accounts of `mnemonic`; raises MnemonicError for an invalid phrase."""
    if count < 0:
        raise MnemonicError(f"account count must not be negative, got {count}")
    if count == 0:
        return ()
    try:
        private_keys = get_account_keys_from_mnemonic(
            mnemonic, quantity=count, hd_path=ANVIL_HD_PATH_PREFIX
        )
    except Exception as error:  # eth-account raises its own ValidationError for bad words
        raise MnemonicError(f"invalid mnemonic: {error}") from error
    return tuple(DevAccount(private_key) for private_key in private_keys)
