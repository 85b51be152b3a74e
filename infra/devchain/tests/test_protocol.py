"""JSON-RPC envelope over raw HTTP: batches, notifications, error codes, keep-alive, blocks."""

from __future__ import annotations

import http.client
import json

import pytest

from conftest import ANVIL_ACCOUNTS


def _json(devchain, payload):
    status, body = devchain.post(json.dumps(payload))
    assert status == 200, (status, body)
    return json.loads(body)


def test_batch_returns_an_array_in_request_order(devchain):
    responses = _json(devchain, [
        {"jsonrpc": "2.0", "id": "a", "method": "eth_chainId", "params": []},
        {"jsonrpc": "2.0", "id": 2, "method": "eth_blockNumber"},
        {"jsonrpc": "2.0", "id": 3, "method": "no_such_method", "params": []},
        {"jsonrpc": "2.0", "id": 4, "method": "eth_getBalance", "params": ["0x12", "latest"]},
    ])
    assert [r["id"] for r in responses] == ["a", 2, 3, 4]
    assert responses[0]["result"] == "0x7a69"
    assert responses[1]["result"].startswith("0x")
    assert responses[2]["error"]["code"] == -32601
    assert responses[3]["error"]["code"] == -32602


def test_notifications_get_no_response(devchain):
    status, body = devchain.post(json.dumps({"jsonrpc": "2.0", "method": "eth_chainId", "params": []}))
    assert (status, body) == (204, b"")
    responses = _json(devchain, [
        {"jsonrpc": "2.0", "method": "eth_chainId"},
        {"jsonrpc": "2.0", "id": 7, "method": "net_version"},
    ])
    assert responses == [{"jsonrpc": "2.0", "id": 7, "result": "31337"}]
    status, body = devchain.post(json.dumps([{"jsonrpc": "2.0", "method": "eth_chainId"}]))
    assert (status, body) == (204, b"")


def test_parse_error(devchain):
    status, body = devchain.post('{"jsonrpc": "2.0", "id": 1,')
    assert status == 200
    response = json.loads(body)
    assert response["id"] is None
    assert response["error"]["code"] == -32700


@pytest.mark.parametrize(
    "payload, detail",
    [
        ([], "empty batch"),
        (42, "expected a JSON object"),
        ({"jsonrpc": "2.0", "id": 1}, "method"),
        ({"jsonrpc": "2.0", "id": 1, "method": 5}, "method"),
        ({"jsonrpc": "1.0", "id": 1, "method": "eth_chainId"}, "jsonrpc"),
        ({"jsonrpc": "2.0", "id": {"x": 1}, "method": "eth_chainId"}, "id"),
    ],
)
def test_invalid_requests(devchain, payload, detail):
    response = _json(devchain, payload)
    assert response["error"]["code"] == -32600
    assert detail in response["error"]["message"]


def test_invalid_request_inside_a_batch_fails_alone(devchain):
    responses = _json(devchain, [1, {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}])
    assert responses[0]["error"]["code"] == -32600
    assert responses[1]["result"] == "0x7a69"


def test_method_not_found_names_the_method(devchain):
    error = devchain.error("eth_frobnicate")
    assert error["code"] == -32601
    assert "eth_frobnicate" in error["message"]


@pytest.mark.parametrize(
    "method, params, detail",
    [
        ("eth_getBalance", ["0x1234", "latest"], "address: expected 20 bytes"),
        ("eth_getBalance", [], "expects 1 to 2 parameters, got 0"),
        ("eth_getBalance", [ANVIL_ACCOUNTS[0][0], "newest"], "block"),
        ("eth_blockNumber", [1], "expects 0 parameters"),
        ("eth_getBlockByNumber", ["0xzz", False], "block"),
        ("eth_getBlockByNumber", ["latest", "yes"], "fullTransactions"),
        ("eth_getTransactionByHash", ["0x12"], "transactionHash: expected 32 bytes"),
        ("eth_call", [{"to": "0x12"}], "transaction.to"),
        ("eth_call", ["not an object"], "transaction"),
        ("eth_getStorageAt", [ANVIL_ACCOUNTS[0][0], "12", "latest"], "slot: expected a hex quantity"),
        ("eth_sendRawTransaction", ["0xabc"], "odd number of digits"),
        ("eth_getLogs", [{"address": 5}], "filter.address"),
        ("eth_getLogs", [{"topics": [5]}], "filter.topics[0]"),
        ("evm_setAutomine", ["on"], "enabled: expected true or false"),
        ("evm_revert", ["x"], "snapshotId"),
    ],
)
def test_invalid_params_name_what_is_wrong(devchain, method, params, detail):
    error = devchain.error(method, *params)
    assert error["code"] == -32602, error
    assert detail in error["message"], error["message"]


def test_params_as_an_object_are_rejected(devchain):
    status, body = devchain.post(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": {}}))
    assert json.loads(body)["error"]["code"] == -32602


def test_state_query_beyond_the_head_is_a_server_error(devchain, w3):
    error = devchain.error("eth_getBalance", ANVIL_ACCOUNTS[0][0], hex(w3.eth.block_number + 100))
    assert error["code"] == -32000
    assert "not found" in error["message"]


def test_keep_alive_serves_many_requests_on_one_connection(devchain):
    connection = http.client.HTTPConnection("127.0.0.1", devchain.port, timeout=10)
    try:
        for request_id in range(5):
            body = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "eth_chainId"})
            connection.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            assert response.getheader("Connection", "keep-alive").lower() != "close"
            assert json.loads(response.read())["id"] == request_id
        first_socket = connection.sock
        connection.request("POST", "/", body='{"jsonrpc":"2.0","id":9,"method":"eth_chainId"}')
        connection.getresponse().read()
        assert connection.sock is first_socket
    finally:
        connection.close()


def test_get_is_not_allowed(devchain):
    connection = http.client.HTTPConnection("127.0.0.1", devchain.port, timeout=10)
    try:
        connection.request("GET", "/")
        assert connection.getresponse().status == 405
    finally:
        connection.close()


def test_block_by_number_and_hash_with_full_and_hashed_transactions(isolated, w3):
    tx_hash = w3.eth.send_transaction({"from": ANVIL_ACCOUNTS[3][0], "to": ANVIL_ACCOUNTS[4][0], "value": 1})
    number = w3.eth.get_transaction_receipt(tx_hash)["blockNumber"]
    hashed = isolated.result("eth_getBlockByNumber", hex(number), False)
    full = isolated.result("eth_getBlockByHash", hashed["hash"], True)
    assert hashed["transactions"] == ["0x" + tx_hash.hex()]
    assert full["transactions"][0]["hash"] == "0x" + tx_hash.hex()
    assert full["transactions"][0]["blockHash"] == hashed["hash"]
    assert {k: v for k, v in full.items() if k != "transactions"} == {
        k: v for k, v in hashed.items() if k != "transactions"
    }
    for key in ("number", "hash", "parentHash", "timestamp", "baseFeePerGas", "gasUsed", "gasLimit",
                "stateRoot", "receiptsRoot", "transactionsRoot", "logsBloom", "miner", "size"):
        assert key in hashed
    assert int(hashed["gasUsed"], 16) == 21000
    previous = isolated.result("eth_getBlockByNumber", hex(number - 1), False)
    assert hashed["parentHash"] == previous["hash"]
    assert int(hashed["timestamp"], 16) > int(previous["timestamp"], 16)
    assert isolated.result("eth_getBlockByNumber", "latest", False)["hash"] == hashed["hash"]
    assert isolated.result("eth_getBlockByNumber", "earliest", False)["number"] == "0x0"
    assert isolated.result("eth_getBlockByHash", "0x" + "42" * 32, False) is None
    # web3's block formatter accepts our shape.
    assert w3.eth.get_block(number, full_transactions=True)["transactions"][0]["hash"] == tx_hash


def test_eip1898_block_hash_parameter(isolated, w3):
    account = ANVIL_ACCOUNTS[5][0]
    block = w3.eth.get_block("latest")
    balance = isolated.result("eth_getBalance", account, {"blockHash": "0x" + block["hash"].hex()})
    assert int(balance, 16) == w3.eth.get_balance(account)
    error = isolated.error("eth_getBalance", account, {"blockHash": "0x" + "42" * 32})
    assert error["code"] == -32000


def test_chunked_request_bodies_are_accepted(devchain):
    import socket

    body = b'{"jsonrpc":"2.0","id":5,"method":"eth_chainId"}'
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:10], body[10:])
    ) + b"0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", devchain.port), timeout=10) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks
        )
        response = b""
        while chunk := connection.recv(4096):
            response += chunk
    head, _, payload = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert json.loads(payload) == {"jsonrpc": "2.0", "id": 5, "result": "0x7a69"}
