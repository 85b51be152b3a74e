# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title ModelRegistry
@license MIT
@notice On-chain anchors for models in aiplat's registry: a model's manifest
        digest, the digest of its metadata (the model config) and where to
        fetch it, recorded with who registered it and when.
@dev Three views of the same records:
     - per name (a repository name such as "org/sentiment"), written by
       `register(model_digest, metadata_digest, uri, name)`: an append-only
       list of versions numbered 1, 2, 3, ...; the first registration of a
       name makes the caller its owner, and only the owner appends versions
       (ownership can be handed on with transferName). A digest appears at
       most once per name.
     - per registrant, written by `register(model_digest, metadata_digest,
       uri)` (the name left out, or passed empty): each address has its own
       append-only list of versions numbered 1, 2, 3, ..., which only that
       address appends to and which cannot be transferred. A digest appears
       at most once per registrant. Read it with registrantVersionCount,
       registrantVersionAt, registrantLatest and registrantVersionOf.
     - per digest: the anchor, set by the first registration of that digest
       in either form and never changed afterwards, so `anchorOf` answers
       "who anchored these exact bytes first, and when".
     Internally both lists live in the same maps: a name's under
     keccak256(name), a registrant's under convert(registrant, bytes32) (the
     address left-padded with 12 zero bytes). No name can reach a
     registrant's list: its keccak256 would have to start with 12 zero bytes.
     `aiplat models anchor NAME:TAG` registers the manifest digest under NAME;
     `aiplat models verify NAME:TAG` checks the pulled manifest's digest with
     isAnchored/anchorOf (and versionOf for the name).
     Every rejected call reverts with an `Error(string)` reason prefixed
     "ModelRegistry: ". Vyper's own ABI checks (a name over 128 bytes, a uri
     over 256 bytes) revert with empty data.
"""

MAX_NAME: constant(uint256) = 128
MAX_URI: constant(uint256) = 256


struct ModelVersion:
    model_digest: bytes32
    metadata_digest: bytes32
    uri: String[MAX_URI]
    registrant: address
    block_number: uint256
    timestamp: uint256


struct Anchor:
    owner: address
    block_number: uint256
    timestamp: uint256
    metadata_digest: bytes32
    uri: String[MAX_URI]
    # keccak256(name), or convert(owner, bytes32) for a registrant's list
    name_hash: bytes32
    version: uint256


# `name` is empty (topic keccak256("")) for a version of the registrant's own
# list (the 3-argument register); `version` is then its number in that list.
event ModelRegistered:
    name: indexed(String[MAX_NAME])
    model_digest: indexed(bytes32)
    owner: indexed(address)
    version: uint256
    metadata_digest: bytes32
    uri: String[MAX_URI]


event NameTransferred:
    name: indexed(String[MAX_NAME])
    previous_owner: indexed(address)
    new_owner: indexed(address)


# number of distinct model digests anchored
anchorCount: public(uint256)

# keyed by keccak256(name); _version_count, _versions and _version_of also
# hold each registrant's own list, keyed by convert(registrant, bytes32)
_name_owner: HashMap[bytes32, address]
_name: HashMap[bytes32, String[MAX_NAME]]
_version_count: HashMap[bytes32, uint256]
_versions: HashMap[bytes32, HashMap[uint256, ModelVersion]]
# name hash -> model digest -> its version under that name (0: none)
_version_of: HashMap[bytes32, HashMap[bytes32, uint256]]
# model digest -> its first registration
_anchors: HashMap[bytes32, Anchor]


@external
def register(
    model_digest: bytes32,
    metadata_digest: bytes32,
    uri: String[MAX_URI],
    name: String[MAX_NAME] = "",
) -> uint256:
    """
    @notice Appends `model_digest` as the next version of `name` (or, with no
            name, of the caller's own list), and anchors the digest if no one
            has before.
    @dev Two ABI entries: register(bytes32,bytes32,string) and
         register(bytes32,bytes32,string,string); an empty `name` is the
         3-argument form.
         With a name: the first registration of a name makes the caller its
         owner; later ones must come from the owner. A digest already
         registered under this name reverts.
         Without: the version goes to the caller's registrant list
         (registrantVersionAt(msg.sender, version)); a digest the caller
         already registered that way reverts.
         `metadata_digest` may be zero (no metadata).
    @return The new version's number (1 for a list's first version).
    """
    assert model_digest != empty(bytes32), "ModelRegistry: zero model digest"
    key: bytes32 = empty(bytes32)
    if len(name) == 0:
        key = convert(msg.sender, bytes32)
        assert (
            self._version_of[key][model_digest] == 0
        ), "ModelRegistry: digest already registered by this registrant"
    else:
        key = keccak256(name)
        name_owner: address = self._name_owner[key]
        if name_owner == empty(address):
            self._name_owner[key] = msg.sender
            self._name[key] = name
            log NameTransferred(name=name, previous_owner=empty(address), new_owner=msg.sender)
        else:
            assert name_owner == msg.sender, "ModelRegistry: caller is not the name's owner"
        assert (
            self._version_of[key][model_digest] == 0
        ), "ModelRegistry: digest already registered under this name"

    version: uint256 = self._version_count[key] + 1
    self._version_count[key] = version
    self._version_of[key][model_digest] = version
    self._versions[key][version] = ModelVersion(
        model_digest=model_digest,
        metadata_digest=metadata_digest,
        uri=uri,
        registrant=msg.sender,
        block_number=block.number,
        timestamp=block.timestamp,
    )
    if self._anchors[model_digest].owner == empty(address):
        self._anchors[model_digest] = Anchor(
            owner=msg.sender,
            block_number=block.number,
            timestamp=block.timestamp,
            metadata_digest=metadata_digest,
            uri=uri,
            name_hash=key,
            version=version,
        )
        self.anchorCount += 1
    log ModelRegistered(
        name=name,
        model_digest=model_digest,
        owner=msg.sender,
        version=version,
        metadata_digest=metadata_digest,
        uri=uri,
    )
    return version


@external
def transferName(name: String[MAX_NAME], new_owner: address):
    """
    @notice Hands the right to append versions of `name` to `new_owner`.
            Name owner only. Existing versions and anchors are unchanged.
    """
    name_hash: bytes32 = keccak256(name)
    name_owner: address = self._name_owner[name_hash]
    assert name_owner != empty(address), "ModelRegistry: unknown name"
    assert name_owner == msg.sender, "ModelRegistry: caller is not the name's owner"
    assert new_owner != empty(address), "ModelRegistry: new owner is the zero address"
    self._name_owner[name_hash] = new_owner
    log NameTransferred(name=name, previous_owner=msg.sender, new_owner=new_owner)


@external
@view
def isAnchored(model_digest: bytes32) -> bool:
    """
    @notice True once `model_digest` has been registered, in either form.
    """
    return self._anchors[model_digest].owner != empty(address)


@external
@view
def anchorOf(model_digest: bytes32) -> (address, uint256, bytes32, String[MAX_URI]):
    """
    @notice The first registration of `model_digest`: (owner, block number,
            metadata digest, uri). Reverts when it is not anchored.
    """
    anchor: Anchor = self._require_anchor(model_digest)
    return anchor.owner, anchor.block_number, anchor.metadata_digest, anchor.uri


@external
@view
def anchorDetails(model_digest: bytes32) -> (String[MAX_NAME], uint256, uint256):
    """
    @notice Where `model_digest` was first registered: (name, version,
            block timestamp). Reverts when it is not anchored.
    @dev An empty name: the first registration had no name, and `version`
         is its number in the anchor owner's registrant list
         (registrantVersionAt(owner, version), owner from anchorOf).
    """
    anchor: Anchor = self._require_anchor(model_digest)
    return self._name[anchor.name_hash], anchor.version, anchor.timestamp


@external
@view
def nameOwner(name: String[MAX_NAME]) -> address:
    """
    @notice Who may append versions of `name`; the zero address for a name
            never registered.
    """
    return self._name_owner[keccak256(name)]


@external
@view
def nameOf(name_hash: bytes32) -> String[MAX_NAME]:
    """
    @notice The name whose keccak256 is `name_hash` (what ModelRegistered and
            NameTransferred index); empty for a name never registered.
    """
    return self._name[name_hash]


@external
@view
def versionCount(name: String[MAX_NAME]) -> uint256:
    """
    @notice How many versions `name` has (0 for a name never registered).
    """
    return self._version_count[keccak256(name)]


@external
@view
def versionAt(name: String[MAX_NAME], version: uint256) -> ModelVersion:
    """
    @notice Version `version` (1 .. versionCount) of `name`.
    """
    name_hash: bytes32 = keccak256(name)
    assert (
        version >= 1 and version <= self._version_count[name_hash]
    ), "ModelRegistry: no such version"
    return self._versions[name_hash][version]


@external
@view
def latest(name: String[MAX_NAME]) -> ModelVersion:
    """
    @notice The newest version of `name`. Reverts for a name never registered.
    """
    name_hash: bytes32 = keccak256(name)
    count: uint256 = self._version_count[name_hash]
    assert count > 0, "ModelRegistry: unknown name"
    return self._versions[name_hash][count]


@external
@view
def versionOf(name: String[MAX_NAME], model_digest: bytes32) -> uint256:
    """
    @notice The version number of `model_digest` under `name`, 0 when the
            digest was never registered under that name.
    """
    return self._version_of[keccak256(name)][model_digest]


@external
@view
def registrantVersionCount(registrant: address) -> uint256:
    """
    @notice How many versions `registrant` has registered without a name
            (the 3-argument register); 0 for none.
    """
    return self._version_count[convert(registrant, bytes32)]


@external
@view
def registrantVersionAt(registrant: address, version: uint256) -> ModelVersion:
    """
    @notice Version `version` (1 .. registrantVersionCount) of the list
            `registrant` appends to with the 3-argument register.
    """
    key: bytes32 = convert(registrant, bytes32)
    assert (
        version >= 1 and version <= self._version_count[key]
    ), "ModelRegistry: no such version"
    return self._versions[key][version]


@external
@view
def registrantLatest(registrant: address) -> ModelVersion:
    """
    @notice The newest version `registrant` registered without a name.
            Reverts when there is none.
    """
    key: bytes32 = convert(registrant, bytes32)
    count: uint256 = self._version_count[key]
    assert count > 0, "ModelRegistry: registrant has no versions"
    return self._versions[key][count]


@external
@view
def registrantVersionOf(registrant: address, model_digest: bytes32) -> uint256:
    """
    @notice The version number of `model_digest` in `registrant`'s list, 0
            when `registrant` never registered it without a name.
    """
    return self._version_of[convert(registrant, bytes32)][model_digest]


@internal
@view
def _require_anchor(model_digest: bytes32) -> Anchor:
    anchor: Anchor = self._anchors[model_digest]
    assert anchor.owner != empty(address), "ModelRegistry: model digest is not anchored"
    return anchor
