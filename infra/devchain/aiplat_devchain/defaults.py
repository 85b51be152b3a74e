"""anvil's defaults, kept import-light so the command line can use them before py-evm loads."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8545
DEFAULT_CHAIN_ID = 31337
DEFAULT_ACCOUNTS = 10
DEFAULT_BALANCE_ETH = 10000
DEFAULT_MNEMONIC = "test test test test test test test test test test test junk"
