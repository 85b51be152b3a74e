"""Command line: anvil's flags, a banner on stderr, the ready line on stdout, clean signals."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from decimal import Decimal, InvalidOperation

from .defaults import (
    DEFAULT_ACCOUNTS,
    DEFAULT_BALANCE_ETH,
    DEFAULT_CHAIN_ID,
    DEFAULT_HOST,
    DEFAULT_MNEMONIC,
    DEFAULT_PORT,
)

# py-evm and friends take seconds to import: main checks the flags before importing them.
WEI_PER_ETH = 10**18


def _positive_int(text: str, name: str, minimum: int) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: expected an integer, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{name}: must be at least {minimum}, got {value}")
    return value


def _port(text: str) -> int:
    value = _positive_int(text, "--port", 0)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"--port: must be at most 65535, got {value}")
    return value


def _chain_id(text: str) -> int:
    value = _positive_int(text, "--chain-id", 1)
    if value >= 2**63:
        raise argparse.ArgumentTypeError(f"--chain-id: {value} is too large")
    return value


def _accounts(text: str) -> int:
    return _positive_int(text, "--accounts", 0)


def _balance(text: str) -> int:
    try:
        eth = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"--balance: expected an amount of ETH, got {text!r}") from None
    if not eth.is_finite() or eth < 0:
        raise argparse.ArgumentTypeError(f"--balance: expected a non-negative amount, got {text!r}")
    return int(eth * WEI_PER_ETH)


def _block_time(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--block-time: expected seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"--block-time: must be positive, got {text!r}")
    return value


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="devchain",
        description="Ethereum JSON-RPC dev node over py-evm, with anvil's defaults and flags.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument(
        "-p", "--port", type=_port, default=DEFAULT_PORT,
        help=f"port; 0 picks a free one (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--chain-id", type=_chain_id, default=DEFAULT_CHAIN_ID, help=f"chain id (default {DEFAULT_CHAIN_ID})"
    )
    parser.add_argument(
        "-b", "--block-time", type=_block_time, default=None, metavar="SECONDS",
        help="mine a block every SECONDS (default: mine one block per transaction)",
    )
    parser.add_argument(
        "-a", "--accounts", type=_accounts, default=DEFAULT_ACCOUNTS,
        help=f"dev accounts (default {DEFAULT_ACCOUNTS})",
    )
    parser.add_argument(
        "--balance", type=_balance, default=DEFAULT_BALANCE_ETH * WEI_PER_ETH,
        help=f"ETH per account (default {DEFAULT_BALANCE_ETH})",
    )
    parser.add_argument("-m", "--mnemonic", default=DEFAULT_MNEMONIC, help="BIP-39 mnemonic of the dev accounts")
    return parser.parse_args(argv)


def _print_banner(devchain, options: argparse.Namespace) -> None:
    lines = ["aiplat devchain (py-evm)", "", "Available accounts / private keys"]
    for index, account in enumerate(devchain.accounts):
        lines.append(f"({index}) {account.checksum_address} {account.private_key.to_hex()}")
    mode = f"every {options.block_time:g}s" if options.block_time else "automine"
    lines += ["", f"Chain id {devchain.chain_id}, mining: {mode}", ""]
    print("\n".join(lines), file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)

    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())

    # Bind before the slow imports so a busy port fails fast.
    from .server import RpcHTTPServer

    try:
        server = RpcHTTPServer((options.host, options.port))
    except OSError as error:
        print(f"devchain: cannot listen on {options.host}:{options.port}: {error}", file=sys.stderr)
        return 1
    try:
        return _run(options, server, stop)
    finally:
        server.server_close()


def _run(options: argparse.Namespace, server, stop: threading.Event) -> int:
    from .accounts import MnemonicError, derive_accounts
    from .chain import ChainConfig, Devchain
    from .dispatch import Dispatcher
    from .methods import RpcMethods

    try:
        accounts = derive_accounts(options.mnemonic, options.accounts)
    except MnemonicError as error:
        print(f"devchain: {error}", file=sys.stderr)
        return 2
    devchain = Devchain(
        ChainConfig(
            chain_id=options.chain_id,
            accounts=accounts,
            balance_wei=options.balance,
            block_time=options.block_time,
        )
    )
    try:
        server.dispatcher = Dispatcher(RpcMethods(devchain))
        if stop.is_set():  # stopped while starting up
            return 0
        _print_banner(devchain, options)
        host = f"[{options.host}]" if ":" in options.host else options.host
        print(f"Listening on {host}:{server.bound_port}", flush=True)

        serving = threading.Thread(target=server.serve_forever, name="http", daemon=True)
        serving.start()
        # A parent that sets AIPLAT_DEVCHAIN_PARENT_PID (aiplat serve --dev) may die by kill -9 without
        # stopping us; exit once we are re-parented so the port is free for its next start.
        parent = os.environ.get("AIPLAT_DEVCHAIN_PARENT_PID")
        watched_parent = int(parent) if parent and parent.isdigit() else None
        # Wake up now and then: Event.wait without a timeout can defer signal handlers.
        while not stop.wait(0.5):
            if watched_parent is not None and os.getppid() != watched_parent:
                print("devchain: parent process exited; stopping", file=sys.stderr, flush=True)
                break
        server.shutdown()
        return 0
    finally:
        devchain.shutdown()
