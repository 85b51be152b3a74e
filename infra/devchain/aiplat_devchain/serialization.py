"""py-evm objects to the JSON shapes geth and anvil return (hex quantities, 0x data)."""

from __future__ import annotations

from dataclasses import dataclass

import rlp
from eth.vm.forks.berlin.transactions import TypedTransaction

from eth_tester.utils.address import generate_contract_address

LEGACY_TYPE = 0
ACCESS_LIST_TYPE = 1
DYNAMIC_FEE_TYPE = 2


def hex_quantity(value: int) -> str:
    return hex(value)


def hex_data(value: bytes) -> str:
    return "0x" + value.hex()


def hex_address(value: bytes) -> str:
    # geth marshals addresses as lowercase hex; clients checksum them themselves.
    return "0x" + value.hex()


def hex_hash(value: bytes) -> str:
    return "0x" + value.hex()


def hex_topic(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


def transaction_type(transaction) -> int:
    if isinstance(transaction, TypedTransaction):
        return transaction.type_id
    return LEGACY_TYPE


def effective_gas_price(transaction, base_fee: int) -> int:
    if transaction_type(transaction) >= DYNAMIC_FEE_TYPE:
        return min(
            transaction.max_fee_per_gas, transaction.max_priority_fee_per_gas + base_fee
        )
    return transaction.gas_price


def fee_cap(transaction) -> int:
    """What the sender pays per gas at most (gasPrice or maxFeePerGas)."""
    if transaction_type(transaction) >= DYNAMIC_FEE_TYPE:
        return transaction.max_fee_per_gas
    return transaction.gas_price


def priority_fee(transaction, base_fee: int) -> int:
    return effective_gas_price(transaction, base_fee) - base_fee


def access_list_json(entries) -> list:
    return [
        {
            "address": hex_address(entry_address),
            "storageKeys": ["0x" + key.to_bytes(32, "big").hex() for key in keys],
        }
        for entry_address, keys in entries
    ]


@dataclass(frozen=True)
class Inclusion:
    """Where a transaction sits in a mined block."""

    block_hash: bytes
    block_number: int
    index: int
    base_fee: int


def transaction_json(transaction, inclusion: Inclusion | None) -> dict:
    tx_type = transaction_type(transaction)
    result = {
        "hash": hex_hash(transaction.hash),
        "type": hex_quantity(tx_type),
        "blockHash": hex_hash(inclusion.block_hash) if inclusion else None,
        "blockNumber": hex_quantity(inclusion.block_number) if inclusion else None,
        "transactionIndex": hex_quantity(inclusion.index) if inclusion else None,
        "from": hex_address(transaction.sender),
        "to": hex_address(transaction.to) if transaction.to else None,
        "nonce": hex_quantity(transaction.nonce),
        "gas": hex_quantity(transaction.gas),
        "value": hex_quantity(transaction.value),
        "input": hex_data(transaction.data),
    }
    if tx_type >= DYNAMIC_FEE_TYPE:
        result["maxFeePerGas"] = hex_quantity(transaction.max_fee_per_gas)
        result["maxPriorityFeePerGas"] = hex_quantity(transaction.max_priority_fee_per_gas)
        # geth reports the price actually paid once mined, the fee cap while pending.
        price = (
            effective_gas_price(transaction, inclusion.base_fee)
            if inclusion
            else transaction.max_fee_per_gas
        )
        result["gasPrice"] = hex_quantity(price)
    else:
        result["gasPrice"] = hex_quantity(transaction.gas_price)
    if tx_type == LEGACY_TYPE:
        if transaction.chain_id is not None:
            result["chainId"] = hex_quantity(transaction.chain_id)
        result["v"] = hex_quantity(transaction.v)
    else:
        result["chainId"] = hex_quantity(transaction.chain_id)
        result["accessList"] = access_list_json(transaction.access_list)
        result["v"] = hex_quantity(transaction.y_parity)
        result["yParity"] = hex_quantity(transaction.y_parity)
    result["r"] = hex_quantity(transaction.r)
    result["s"] = hex_quantity(transaction.s)
    return result


def logs_json(block, receipts) -> list:
    """All logs of a block, with block-wide logIndex as geth numbers them."""
    logs = []
    log_index = 0
    block_hash = hex_hash(block.hash)
    block_number = hex_quantity(block.number)
    timestamp = hex_quantity(block.header.timestamp)
    for tx_index, (transaction, receipt) in enumerate(zip(block.transactions, receipts)):
        tx_hash = hex_hash(transaction.hash)
        for log in receipt.logs:
            logs.append(
                {
                    "address": hex_address(log.address),
                    "topics": [hex_topic(topic) for topic in log.topics],
                    "data": hex_data(log.data),
                    "blockHash": block_hash,
                    "blockNumber": block_number,
                    "blockTimestamp": timestamp,
                    "transactionHash": tx_hash,
                    "transactionIndex": hex_quantity(tx_index),
                    "logIndex": hex_quantity(log_index),
                    "removed": False,
                }
            )
            log_index += 1
    return logs


def receipt_json(block, receipts, block_logs: list, index: int) -> dict:
    transaction = block.transactions[index]
    receipt = receipts[index]
    previous_cumulative = receipts[index - 1].gas_used if index > 0 else 0
    first_log = sum(len(r.logs) for r in receipts[:index])
    base_fee = block.header.base_fee_per_gas
    contract_address = None
    if not transaction.to:
        contract_address = hex_address(
            generate_contract_address(transaction.sender, transaction.nonce)
        )
    return {
        "transactionHash": hex_hash(transaction.hash),
        "transactionIndex": hex_quantity(index),
        "blockHash": hex_hash(block.hash),
        "blockNumber": hex_quantity(block.number),
        "from": hex_address(transaction.sender),
        "to": hex_address(transaction.to) if transaction.to else None,
        "cumulativeGasUsed": hex_quantity(receipt.gas_used),
        "gasUsed": hex_quantity(receipt.gas_used - previous_cumulative),
        "contractAddress": contract_address,
        "logs": block_logs[first_log : first_log + len(receipt.logs)],
        "logsBloom": hex_data(receipt.bloom.to_bytes(256, "big")),
        "type": hex_quantity(transaction_type(transaction)),
        # Post-Byzantium receipts carry the status byte where the state root used to be.
        "status": hex_quantity(int.from_bytes(receipt.state_root, "big")),
        "effectiveGasPrice": hex_quantity(effective_gas_price(transaction, base_fee)),
    }


def block_json(block, full_transactions: bool) -> dict:
    header = block.header
    if full_transactions:
        transactions = [
            transaction_json(
                transaction,
                Inclusion(block.hash, block.number, index, header.base_fee_per_gas),
            )
            for index, transaction in enumerate(block.transactions)
        ]
    else:
        transactions = [hex_hash(transaction.hash) for transaction in block.transactions]
    result = {
        "number": hex_quantity(header.block_number),
        "hash": hex_hash(header.hash),
        "parentHash": hex_hash(header.parent_hash),
        "nonce": hex_data(header.nonce),
        "sha3Uncles": hex_hash(header.uncles_hash),
        "logsBloom": hex_data(header.bloom.to_bytes(256, "big")),
        "transactionsRoot": hex_hash(header.transaction_root),
        "stateRoot": hex_hash(header.state_root),
        "receiptsRoot": hex_hash(header.receipt_root),
        "miner": hex_address(header.coinbase),
        "difficulty": hex_quantity(header.difficulty),
        "totalDifficulty": hex_quantity(header.difficulty),
        "extraData": hex_data(header.extra_data),
        "size": hex_quantity(len(rlp.encode(block))),
        "gasLimit": hex_quantity(header.gas_limit),
        "gasUsed": hex_quantity(header.gas_used),
        "timestamp": hex_quantity(header.timestamp),
        "mixHash": hex_hash(header.mix_hash),
        "baseFeePerGas": hex_quantity(header.base_fee_per_gas),
        "transactions": transactions,
        "uncles": [hex_hash(uncle.hash) for uncle in block.uncles],
    }
    if hasattr(header, "withdrawals_root"):
        result["withdrawalsRoot"] = hex_hash(header.withdrawals_root)
        result["withdrawals"] = [
            {
                "index": hex_quantity(w.index),
                "validatorIndex": hex_quantity(w.validator_index),
                "address": hex_address(w.address),
                "amount": hex_quantity(w.amount),
            }
            for w in block.withdrawals
        ]
    if hasattr(header, "blob_gas_used"):
        result["blobGasUsed"] = hex_quantity(header.blob_gas_used)
        result["excessBlobGas"] = hex_quantity(header.excess_blob_gas)
        result["parentBeaconBlockRoot"] = hex_hash(header.parent_beacon_block_root)
    if hasattr(header, "requests_hash"):
        result["requestsHash"] = hex_hash(header.requests_hash)
    return result
