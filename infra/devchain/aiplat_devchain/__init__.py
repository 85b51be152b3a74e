"""aiplat devchain: an Ethereum JSON-RPC dev node over py-evm (eth-tester), anvil-compatible."""
