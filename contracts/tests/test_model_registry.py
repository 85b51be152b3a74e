"""ModelRegistry.vy on py-evm: named and per-registrant versions, digest anchors, owner rules,
events, reverts."""

import hashlib

import pytest
from eth_abi import decode
from eth_utils import keccak
from web3.logs import DISCARD

from contract_test_support import REVERT_ERRORS

NAME = "org/sentiment"
OTHER_NAME = "org/sentiment-small"
ZERO_ADDRESS = "0x" + "00" * 20
ZERO_DIGEST = b"\x00" * 32

NOT_OWNER = "ModelRegistry: caller is not the name's owner"
DUPLICATE = "ModelRegistry: digest already registered under this name"
NOT_ANCHORED = "ModelRegistry: model digest is not anchored"
NO_VERSION = "ModelRegistry: no such version"
UNKNOWN_NAME = "ModelRegistry: unknown name"
DUPLICATE_FOR_REGISTRANT = "ModelRegistry: digest already registered by this registrant"
NO_REGISTRANT_VERSIONS = "ModelRegistry: registrant has no versions"
ZERO_MODEL_DIGEST = "ModelRegistry: zero model digest"

# The issue's ABI: register(modelDigest, metadataDigest, uri); the name is a trailing default
# argument, so Vyper also emits the 4-argument entry.
REGISTER_OWN = "register(bytes32,bytes32,string)"
REGISTER_NAMED = "register(bytes32,bytes32,string,string)"
# ModelRegistered's name topic for a version of the registrant's own list
EMPTY_NAME_TOPIC = keccak(text="")

MODEL_REGISTERED = "ModelRegistered(string,bytes32,address,uint256,bytes32,string)"
NAME_TRANSFERRED = "NameTransferred(string,address,address)"


def digest(label: str) -> bytes:
    """A sha256 digest, as the registry's manifests are addressed (`sha256:<hex>`)."""
    return hashlib.sha256(label.encode()).digest()


MANIFEST_1, MANIFEST_2, MANIFEST_3 = digest("manifest 1"), digest("manifest 2"), digest("manifest 3")
CONFIG_1, CONFIG_2 = digest("config 1"), digest("config 2")
URI_1 = "oci://registry.local/org/sentiment@sha256:" + MANIFEST_1.hex()
URI_2 = "oci://registry.local/org/sentiment@sha256:" + MANIFEST_2.hex()


@pytest.fixture(scope="module")
def registry(deploy, accounts):
    return deploy("ModelRegistry", sender=accounts[0])


def events(contract, name, receipt):
    return [dict(e.args) for e in contract.events[name]().process_receipt(receipt, errors=DISCARD)]


def register(registry, send, sender, name=NAME, model=MANIFEST_1, metadata=CONFIG_1, uri=URI_1):
    """The 4-argument form: a version of `name`."""
    return send(registry.functions.register(model, metadata, uri, name), sender)


def register_own(registry, send, sender, model=MANIFEST_1, metadata=CONFIG_1, uri=URI_1):
    """The 3-argument form: a version of the sender's own list."""
    return send(registry.get_function_by_signature(REGISTER_OWN)(model, metadata, uri), sender)


def address_topic(account: str) -> bytes:
    return bytes(12) + bytes.fromhex(account[2:])


def block_of(w3, receipt):
    block = w3.eth.get_block(receipt.blockNumber)
    return block.number, block.timestamp


def test_abi_has_every_function_and_event(registry):
    signatures = {
        f"{entry['name']}({','.join(i['type'] for i in entry['inputs'])})"
        for entry in registry.abi
        if entry["type"] in ("function", "event")
    }
    assert signatures >= {
        REGISTER_OWN,
        REGISTER_NAMED,
        "transferName(string,address)",
        "isAnchored(bytes32)",
        "anchorOf(bytes32)",
        "anchorDetails(bytes32)",
        "nameOwner(string)",
        "nameOf(bytes32)",
        "versionCount(string)",
        "versionAt(string,uint256)",
        "latest(string)",
        "versionOf(string,bytes32)",
        "registrantVersionCount(address)",
        "registrantVersionAt(address,uint256)",
        "registrantLatest(address)",
        "registrantVersionOf(address,bytes32)",
        "anchorCount()",
        MODEL_REGISTERED,
        NAME_TRANSFERRED,
    }


def test_register_selectors_are_the_issues_abi(registry):
    """keccak("register(bytes32,bytes32,string)")[:4] is what a caller of the issue's ABI sends."""
    selectors = {
        keccak(text=f"{e['name']}({','.join(i['type'] for i in e['inputs'])})")[:4]
        for e in registry.abi
        if e["type"] == "function" and e["name"] == "register"
    }
    assert selectors == {keccak(text=REGISTER_OWN)[:4], keccak(text=REGISTER_NAMED)[:4]}
    assert keccak(text=REGISTER_OWN)[:4].hex() == "0e5ceb47"
    assert keccak(text=REGISTER_NAMED)[:4].hex() == "3f589c9d"
    # no entry for the old argument order remains
    assert keccak(text="register(string,bytes32,bytes32,string)")[:4] not in selectors
    # web3 picks the overload by argument count
    assert registry.functions.register(MANIFEST_1, CONFIG_1, URI_1).signature == REGISTER_OWN
    assert registry.functions.register(MANIFEST_1, CONFIG_1, URI_1, NAME).signature == REGISTER_NAMED


def test_a_fresh_registry_knows_nothing(registry, accounts, revert_data):
    assert registry.functions.anchorCount().call() == 0
    assert registry.functions.isAnchored(MANIFEST_1).call() is False
    assert registry.functions.versionCount(NAME).call() == 0
    assert registry.functions.versionOf(NAME, MANIFEST_1).call() == 0
    assert registry.functions.nameOwner(NAME).call() == ZERO_ADDRESS
    assert registry.functions.nameOf(keccak(text=NAME)).call() == ""
    assert registry.functions.registrantVersionCount(accounts[1]).call() == 0
    assert registry.functions.registrantVersionOf(accounts[1], MANIFEST_1).call() == 0


def test_first_registration_claims_the_name_and_anchors_the_digest(registry, accounts, send, w3):
    assert registry.functions.register(MANIFEST_1, CONFIG_1, URI_1, NAME).call(
        {"from": accounts[1]}
    ) == 1
    receipt = register(registry, send, accounts[1])
    number, timestamp = block_of(w3, receipt)

    assert events(registry, "NameTransferred", receipt) == [
        {"name": keccak(text=NAME), "previous_owner": ZERO_ADDRESS, "new_owner": accounts[1]}
    ]
    assert events(registry, "ModelRegistered", receipt) == [
        {
            "name": keccak(text=NAME),
            "model_digest": MANIFEST_1,
            "owner": accounts[1],
            "version": 1,
            "metadata_digest": CONFIG_1,
            "uri": URI_1,
        }
    ]
    assert registry.functions.nameOwner(NAME).call() == accounts[1]
    assert registry.functions.nameOf(keccak(text=NAME)).call() == NAME
    assert registry.functions.versionCount(NAME).call() == 1
    assert registry.functions.versionOf(NAME, MANIFEST_1).call() == 1
    assert registry.functions.versionAt(NAME, 1).call() == (
        MANIFEST_1, CONFIG_1, URI_1, accounts[1], number, timestamp
    )
    assert registry.functions.latest(NAME).call() == registry.functions.versionAt(NAME, 1).call()

    assert registry.functions.isAnchored(MANIFEST_1).call() is True
    assert registry.functions.anchorOf(MANIFEST_1).call() == [accounts[1], number, CONFIG_1, URI_1]
    assert registry.functions.anchorDetails(MANIFEST_1).call() == [NAME, 1, timestamp]
    assert registry.functions.anchorCount().call() == 1
    # a named version is not in the registrant's own list
    assert registry.functions.registrantVersionCount(accounts[1]).call() == 0


def test_model_registered_log_layout(registry, accounts, send):
    """Topics are what an indexer filters on: keccak(name), the digest, the owner."""
    receipt = register(registry, send, accounts[1])
    (claimed, registered) = receipt.logs
    assert claimed.topics[0] == keccak(text=NAME_TRANSFERRED)
    assert registered.topics[0] == keccak(text=MODEL_REGISTERED)
    assert registered.topics[1:] == [keccak(text=NAME), MANIFEST_1, address_topic(accounts[1])]
    assert decode(["uint256", "bytes32", "string"], registered.data) == (1, CONFIG_1, URI_1)


def test_versions_append_in_order(registry, accounts, send, w3):
    first = register(registry, send, accounts[1])
    second = register(registry, send, accounts[1], model=MANIFEST_2, metadata=CONFIG_2, uri=URI_2)
    third = register(registry, send, accounts[1], model=MANIFEST_3, metadata=ZERO_DIGEST, uri="")

    assert [events(registry, "ModelRegistered", r)[0]["version"] for r in (first, second, third)] == [1, 2, 3]
    # only the first registration of a name transfers it
    assert events(registry, "NameTransferred", second) == []
    assert registry.functions.versionCount(NAME).call() == 3
    assert [registry.functions.versionAt(NAME, v).call()[0] for v in (1, 2, 3)] == [
        MANIFEST_1, MANIFEST_2, MANIFEST_3
    ]
    number, timestamp = block_of(w3, second)
    assert registry.functions.versionAt(NAME, 2).call() == (
        MANIFEST_2, CONFIG_2, URI_2, accounts[1], number, timestamp
    )
    assert registry.functions.latest(NAME).call()[:3] == (MANIFEST_3, ZERO_DIGEST, "")
    assert registry.functions.versionOf(NAME, MANIFEST_2).call() == 2
    assert registry.functions.anchorCount().call() == 3
    assert all(registry.functions.isAnchored(d).call() for d in (MANIFEST_1, MANIFEST_2, MANIFEST_3))


def test_register_returns_the_next_version(registry, accounts, send):
    register(registry, send, accounts[1])
    assert registry.functions.register(MANIFEST_2, CONFIG_2, URI_2, NAME).call(
        {"from": accounts[1]}
    ) == 2


def test_only_the_names_owner_appends(registry, accounts, send, expect_revert):
    register(registry, send, accounts[1])
    expect_revert(
        registry.functions.register(MANIFEST_2, CONFIG_2, URI_2, NAME), accounts[2], NOT_OWNER
    )
    assert registry.functions.versionCount(NAME).call() == 1
    assert registry.functions.isAnchored(MANIFEST_2).call() is False


def test_names_are_exact_strings(registry, accounts, send):
    register(registry, send, accounts[1])
    # another spelling is another name, claimable by someone else
    register(registry, send, accounts[2], name="Org/Sentiment", model=MANIFEST_2)
    assert registry.functions.nameOwner("Org/Sentiment").call() == accounts[2]
    assert registry.functions.nameOwner(NAME).call() == accounts[1]


def test_the_same_digest_twice_under_one_name_reverts(registry, accounts, send, expect_revert):
    register(registry, send, accounts[1])
    register(registry, send, accounts[1], model=MANIFEST_2)
    for metadata, uri in ((CONFIG_1, URI_1), (CONFIG_2, "ipfs://elsewhere")):
        expect_revert(
            registry.functions.register(MANIFEST_1, metadata, uri, NAME), accounts[1], DUPLICATE
        )
    assert registry.functions.versionCount(NAME).call() == 2


def test_a_digest_under_a_second_name_keeps_its_first_anchor(registry, accounts, send, w3):
    first = register(registry, send, accounts[1])
    again = register(
        registry, send, accounts[2], name=OTHER_NAME, metadata=CONFIG_2, uri="ipfs://copy"
    )
    number, _ = block_of(w3, first)

    assert events(registry, "ModelRegistered", again)[0]["owner"] == accounts[2]
    assert registry.functions.versionOf(OTHER_NAME, MANIFEST_1).call() == 1
    assert registry.functions.versionAt(OTHER_NAME, 1).call()[:4] == (
        MANIFEST_1, CONFIG_2, "ipfs://copy", accounts[2]
    )
    # the anchor still names the first registration
    assert registry.functions.anchorOf(MANIFEST_1).call() == [accounts[1], number, CONFIG_1, URI_1]
    assert registry.functions.anchorDetails(MANIFEST_1).call()[:2] == [NAME, 1]
    assert registry.functions.anchorCount().call() == 1


def test_unknown_digests_and_versions_revert(registry, accounts, send, expect_revert):
    expect_revert(registry.functions.anchorOf(MANIFEST_1), accounts[0], NOT_ANCHORED)
    expect_revert(registry.functions.anchorDetails(MANIFEST_1), accounts[0], NOT_ANCHORED)
    expect_revert(registry.functions.latest(NAME), accounts[0], UNKNOWN_NAME)
    expect_revert(registry.functions.versionAt(NAME, 1), accounts[0], NO_VERSION)
    register(registry, send, accounts[1])
    for version in (0, 2, 2**256 - 1):
        expect_revert(registry.functions.versionAt(NAME, version), accounts[0], NO_VERSION)


@pytest.mark.parametrize("name", [None, "", NAME], ids=["3 arguments", "empty name", "named"])
def test_a_zero_model_digest_reverts(registry, accounts, expect_revert, name):
    args = (ZERO_DIGEST, CONFIG_1, URI_1) + (() if name is None else (name,))
    expect_revert(registry.functions.register(*args), accounts[1], ZERO_MODEL_DIGEST)
    assert registry.functions.anchorCount().call() == 0
    assert registry.functions.registrantVersionCount(accounts[1]).call() == 0


def test_names_and_uris_at_their_limits(registry, accounts, send, revert_data):
    long_name = "n" * 128
    long_uri = "data:text/plain;charset=utf-8,é✓" + "x" * (256 - len("data:text/plain;charset=utf-8,é✓".encode()))
    assert len(long_uri.encode()) == 256
    register(registry, send, accounts[1], name=long_name, uri=long_uri)
    assert registry.functions.latest(long_name).call()[2] == long_uri
    assert registry.functions.anchorOf(MANIFEST_1).call()[3] == long_uri
    assert registry.functions.nameOf(keccak(text=long_name)).call() == long_name
    # one byte over: Vyper's ABI decoder rejects the call with empty revert data
    too_long_name = registry.functions.register(MANIFEST_2, CONFIG_1, URI_1, "n" * 129)
    too_long_uri = registry.functions.register(MANIFEST_2, CONFIG_1, long_uri + "x", NAME)
    too_long_own_uri = registry.functions.register(MANIFEST_2, CONFIG_1, long_uri + "x")
    for call in (too_long_name, too_long_uri, too_long_own_uri):
        assert revert_data(call, accounts[1]) == b""
        with pytest.raises(REVERT_ERRORS):
            call.transact({"from": accounts[1]})
    assert registry.functions.anchorCount().call() == 1


def test_transfer_name_hands_on_the_right_to_append(registry, accounts, send, expect_revert):
    register(registry, send, accounts[1])
    receipt = send(registry.functions.transferName(NAME, accounts[3]), accounts[1])
    assert events(registry, "NameTransferred", receipt) == [
        {"name": keccak(text=NAME), "previous_owner": accounts[1], "new_owner": accounts[3]}
    ]
    assert registry.functions.nameOwner(NAME).call() == accounts[3]
    expect_revert(
        registry.functions.register(MANIFEST_2, CONFIG_2, URI_2, NAME), accounts[1], NOT_OWNER
    )
    receipt = register(registry, send, accounts[3], model=MANIFEST_2, metadata=CONFIG_2, uri=URI_2)
    assert events(registry, "ModelRegistered", receipt)[0]["version"] == 2
    # earlier versions keep their registrant
    assert registry.functions.versionAt(NAME, 1).call()[3] == accounts[1]
    assert registry.functions.versionAt(NAME, 2).call()[3] == accounts[3]


def test_transfer_name_rules(registry, accounts, send, expect_revert):
    expect_revert(registry.functions.transferName(NAME, accounts[2]), accounts[1], UNKNOWN_NAME)
    register(registry, send, accounts[1])
    expect_revert(registry.functions.transferName(NAME, accounts[2]), accounts[2], NOT_OWNER)
    expect_revert(
        registry.functions.transferName(NAME, ZERO_ADDRESS),
        accounts[1],
        "ModelRegistry: new owner is the zero address",
    )
    assert registry.functions.nameOwner(NAME).call() == accounts[1]


# The 3-argument form: register(modelDigest, metadataDigest, uri) appends to the caller's own list.


def test_registering_without_a_name_anchors_and_starts_the_callers_list(registry, accounts, send, w3):
    assert registry.get_function_by_signature(REGISTER_OWN)(MANIFEST_1, CONFIG_1, URI_1).call(
        {"from": accounts[1]}
    ) == 1
    receipt = register_own(registry, send, accounts[1])
    number, timestamp = block_of(w3, receipt)

    # no name is claimed
    assert events(registry, "NameTransferred", receipt) == []
    assert events(registry, "ModelRegistered", receipt) == [
        {
            "name": EMPTY_NAME_TOPIC,
            "model_digest": MANIFEST_1,
            "owner": accounts[1],
            "version": 1,
            "metadata_digest": CONFIG_1,
            "uri": URI_1,
        }
    ]
    assert registry.functions.isAnchored(MANIFEST_1).call() is True
    assert registry.functions.anchorOf(MANIFEST_1).call() == [accounts[1], number, CONFIG_1, URI_1]
    # an empty name: the version is in the owner's own list
    assert registry.functions.anchorDetails(MANIFEST_1).call() == ["", 1, timestamp]
    assert registry.functions.anchorCount().call() == 1

    assert registry.functions.registrantVersionCount(accounts[1]).call() == 1
    assert registry.functions.registrantVersionOf(accounts[1], MANIFEST_1).call() == 1
    assert registry.functions.registrantVersionAt(accounts[1], 1).call() == (
        MANIFEST_1, CONFIG_1, URI_1, accounts[1], number, timestamp
    )
    assert registry.functions.registrantLatest(accounts[1]).call() == (
        registry.functions.registrantVersionAt(accounts[1], 1).call()
    )
    # nothing under any name, and no one else's list
    assert registry.functions.versionCount("").call() == 0
    assert registry.functions.nameOwner("").call() == ZERO_ADDRESS
    assert registry.functions.registrantVersionCount(accounts[2]).call() == 0


def test_model_registered_log_layout_without_a_name(registry, accounts, send):
    """One log, no NameTransferred: topics keccak(""), the digest, the registrant."""
    receipt = register_own(registry, send, accounts[1], metadata=ZERO_DIGEST, uri="")
    (registered,) = receipt.logs
    assert registered.topics[0] == keccak(text=MODEL_REGISTERED)
    assert registered.topics[1:] == [EMPTY_NAME_TOPIC, MANIFEST_1, address_topic(accounts[1])]
    assert decode(["uint256", "bytes32", "string"], registered.data) == (1, ZERO_DIGEST, "")


def test_each_registrants_versions_append_in_their_own_list(registry, accounts, send, w3):
    first = register_own(registry, send, accounts[1])
    second = register_own(registry, send, accounts[1], model=MANIFEST_2, metadata=CONFIG_2, uri=URI_2)
    theirs = register_own(registry, send, accounts[2], model=MANIFEST_3, metadata=ZERO_DIGEST, uri="")
    # the same bytes in a second list: version 2 there, the anchor stays with accounts[1]
    copy = register_own(registry, send, accounts[2], metadata=CONFIG_2, uri="ipfs://copy")

    assert [events(registry, "ModelRegistered", r)[0]["version"] for r in (first, second, theirs, copy)] == [
        1, 2, 1, 2
    ]
    assert [events(registry, "ModelRegistered", r)[0]["owner"] for r in (first, second, theirs, copy)] == [
        accounts[1], accounts[1], accounts[2], accounts[2]
    ]
    assert registry.functions.registrantVersionCount(accounts[1]).call() == 2
    assert registry.functions.registrantVersionCount(accounts[2]).call() == 2
    assert [registry.functions.registrantVersionAt(accounts[1], v).call()[0] for v in (1, 2)] == [
        MANIFEST_1, MANIFEST_2
    ]
    assert [registry.functions.registrantVersionAt(accounts[2], v).call()[0] for v in (1, 2)] == [
        MANIFEST_3, MANIFEST_1
    ]
    number, timestamp = block_of(w3, second)
    assert registry.functions.registrantVersionAt(accounts[1], 2).call() == (
        MANIFEST_2, CONFIG_2, URI_2, accounts[1], number, timestamp
    )
    assert registry.functions.registrantLatest(accounts[2]).call()[:4] == (
        MANIFEST_1, CONFIG_2, "ipfs://copy", accounts[2]
    )
    assert registry.functions.registrantVersionOf(accounts[2], MANIFEST_1).call() == 2
    assert registry.functions.registrantVersionOf(accounts[1], MANIFEST_3).call() == 0

    first_number, first_timestamp = block_of(w3, first)
    assert registry.functions.anchorOf(MANIFEST_1).call() == [accounts[1], first_number, CONFIG_1, URI_1]
    assert registry.functions.anchorDetails(MANIFEST_1).call() == ["", 1, first_timestamp]
    assert registry.functions.anchorOf(MANIFEST_3).call()[0] == accounts[2]
    assert registry.functions.anchorCount().call() == 3


def test_the_same_digest_twice_in_ones_own_list_reverts(registry, accounts, send, expect_revert):
    register_own(registry, send, accounts[1])
    for metadata, uri in ((CONFIG_1, URI_1), (CONFIG_2, "ipfs://elsewhere")):
        expect_revert(
            registry.functions.register(MANIFEST_1, metadata, uri), accounts[1], DUPLICATE_FOR_REGISTRANT
        )
    assert registry.functions.registrantVersionCount(accounts[1]).call() == 1


def test_an_empty_name_is_the_three_argument_form(registry, accounts, send, expect_revert):
    receipt = send(registry.functions.register(MANIFEST_1, CONFIG_1, URI_1, ""), accounts[1])
    assert events(registry, "NameTransferred", receipt) == []
    assert events(registry, "ModelRegistered", receipt)[0]["name"] == EMPTY_NAME_TOPIC
    assert registry.functions.registrantVersionOf(accounts[1], MANIFEST_1).call() == 1
    expect_revert(
        registry.get_function_by_signature(REGISTER_OWN)(MANIFEST_1, CONFIG_2, URI_2),
        accounts[1],
        DUPLICATE_FOR_REGISTRANT,
    )
    # the empty name cannot be transferred: it is no one's
    expect_revert(registry.functions.transferName("", accounts[2]), accounts[1], UNKNOWN_NAME)


def test_own_and_named_lists_are_separate(registry, accounts, send, w3):
    own = register_own(registry, send, accounts[1])
    named = register(registry, send, accounts[1])  # the same digest under NAME
    register(registry, send, accounts[1], model=MANIFEST_2)  # only under NAME

    assert events(registry, "ModelRegistered", named)[0]["version"] == 1
    assert events(registry, "NameTransferred", named)[0]["new_owner"] == accounts[1]
    assert registry.functions.registrantVersionCount(accounts[1]).call() == 1
    assert registry.functions.registrantVersionOf(accounts[1], MANIFEST_2).call() == 0
    assert registry.functions.versionCount(NAME).call() == 2
    assert registry.functions.versionOf(NAME, MANIFEST_1).call() == 1
    # the anchor is the first registration, the one without a name
    _, timestamp = block_of(w3, own)
    assert registry.functions.anchorDetails(MANIFEST_1).call() == ["", 1, timestamp]
    assert registry.functions.anchorDetails(MANIFEST_2).call()[:2] == [NAME, 2]


def test_a_name_spelling_an_address_is_just_a_name(registry, accounts, send):
    """Registrant lists are keyed by the address itself, not by a name: another account
    claiming the name "0x<accounts[1]>" neither reaches nor blocks accounts[1]'s list."""
    address_name = accounts[1].lower()
    register(registry, send, accounts[2], name=address_name)
    assert registry.functions.nameOwner(address_name).call() == accounts[2]
    assert registry.functions.registrantVersionCount(accounts[1]).call() == 0

    receipt = register_own(registry, send, accounts[1], model=MANIFEST_2)
    assert events(registry, "ModelRegistered", receipt)[0]["version"] == 1
    assert registry.functions.versionCount(address_name).call() == 1
    assert registry.functions.registrantVersionCount(accounts[2]).call() == 0


def test_unknown_registrant_versions_revert(registry, accounts, send, expect_revert):
    expect_revert(registry.functions.registrantLatest(accounts[1]), accounts[0], NO_REGISTRANT_VERSIONS)
    expect_revert(registry.functions.registrantVersionAt(accounts[1], 1), accounts[0], NO_VERSION)
    register_own(registry, send, accounts[1])
    for version in (0, 2, 2**256 - 1):
        expect_revert(registry.functions.registrantVersionAt(accounts[1], version), accounts[0], NO_VERSION)
    # a named registration does not start a registrant's list
    register(registry, send, accounts[2], model=MANIFEST_2)
    expect_revert(registry.functions.registrantLatest(accounts[2]), accounts[0], NO_REGISTRANT_VERSIONS)
