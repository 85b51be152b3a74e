"""Fee suggestions and eth_feeHistory, computed the way geth does."""

from __future__ import annotations

from .serialization import hex_quantity, priority_fee

# anvil and geth never suggest a tip below 1 gwei on a dev chain.
DEFAULT_PRIORITY_FEE = 10**9
MAX_FEE_HISTORY_BLOCKS = 1024


def block_rewards(block, receipts, percentiles: list[float]) -> list[int]:
    """The tip paid at each gas-weighted percentile of the block's transactions."""
    if not percentiles:
        return []
    if not block.transactions:
        return [0 for _ in percentiles]
    base_fee = block.header.base_fee_per_gas
    previous = 0
    entries = []
    for transaction, receipt in zip(block.transactions, receipts):
        gas_used = receipt.gas_used - previous
        previous = receipt.gas_used
        entries.append((priority_fee(transaction, base_fee), gas_used))
    entries.sort()
    rewards = []
    index = 0
    cumulative = entries[0][1]
    for percentile in percentiles:
        threshold = block.header.gas_used * percentile / 100
        while cumulative < threshold and index < len(entries) - 1:
            index += 1
            cumulative += entries[index][1]
        rewards.append(entries[index][0])
    return rewards


def fee_history_json(blocks, receipts_of, next_base_fee: int, percentiles: list[float] | None) -> dict:
    """`blocks` oldest first; `receipts_of(block)` gives its receipts."""
    result = {
        "oldestBlock": hex_quantity(blocks[0].number if blocks else 0),
        "baseFeePerGas": [hex_quantity(block.header.base_fee_per_gas) for block in blocks]
        + [hex_quantity(next_base_fee)],
        "gasUsedRatio": [block.header.gas_used / block.header.gas_limit for block in blocks],
    }
    if percentiles:
        result["reward"] = [
            [hex_quantity(tip) for tip in block_rewards(block, receipts_of(block), percentiles)]
            for block in blocks
        ]
    return result
