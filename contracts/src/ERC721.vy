# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title ERC721
@license MIT
@notice An ERC-721 collection with per-token metadata URIs, minted by one minter.
@dev Token ids start at 1 and increase by one per mint; there is no burn.
     The deployer is both owner and minter; the owner may appoint another
     minter (for example a coordinator contract that mints in a callback).
     transferFrom, safeTransferFrom and approve are nonpayable: EIP-721
     allows implementations to tighten `payable` to nonpayable, and this
     contract has no way to pay out ether it would otherwise accept.
     Every rejected call reverts with an `Error(string)` reason prefixed
     "ERC721: ", except that a receiver's own revert data is passed on.
"""

from ethereum.ercs import IERC165

implements: IERC165


interface IERC721Receiver:
    def onERC721Received(
        operator: address, owner: address, token_id: uint256, data: Bytes[1024]
    ) -> bytes4: nonpayable


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    token_id: indexed(uint256)


event Approval:
    owner: indexed(address)
    approved: indexed(address)
    token_id: indexed(uint256)


event ApprovalForAll:
    owner: indexed(address)
    operator: indexed(address)
    approved: bool


event MinterChanged:
    previous_minter: indexed(address)
    new_minter: indexed(address)


event OwnershipTransferred:
    previous_owner: indexed(address)
    new_owner: indexed(address)


INTERFACE_ID_ERC165: constant(bytes4) = 0x01ffc9a7
INTERFACE_ID_ERC721: constant(bytes4) = 0x80ac58cd
INTERFACE_ID_ERC721_METADATA: constant(bytes4) = 0x5b5e139f
ERC721_RECEIVED: constant(bytes4) = method_id(
    "onERC721Received(address,address,uint256,bytes)", output_type=bytes4
)
MAX_DATA: constant(uint256) = 1024
MAX_URI: constant(uint256) = 512

name: public(String[64])
symbol: public(String[32])
totalSupply: public(uint256)
owner: public(address)
minter: public(address)

_owner_of: HashMap[uint256, address]
_balance_of: HashMap[address, uint256]
_token_approval: HashMap[uint256, address]
_operator_approval: HashMap[address, HashMap[address, bool]]
_token_uri: HashMap[uint256, String[MAX_URI]]


@deploy
def __init__(name: String[64], symbol: String[32]):
    self.name = name
    self.symbol = symbol
    self.owner = msg.sender
    self.minter = msg.sender
    log OwnershipTransferred(previous_owner=empty(address), new_owner=msg.sender)
    log MinterChanged(previous_minter=empty(address), new_minter=msg.sender)


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165: true for ERC-165, ERC-721 and ERC-721 Metadata.
    """
    return interface_id in [
        INTERFACE_ID_ERC165, INTERFACE_ID_ERC721, INTERFACE_ID_ERC721_METADATA
    ]


@external
@view
def balanceOf(owner: address) -> uint256:
    assert owner != empty(address), "ERC721: address zero is not a valid owner"
    return self._balance_of[owner]


@external
@view
def ownerOf(token_id: uint256) -> address:
    return self._require_owned(token_id)


@external
@view
def tokenURI(token_id: uint256) -> String[MAX_URI]:
    self._require_owned(token_id)
    return self._token_uri[token_id]


@external
@view
def getApproved(token_id: uint256) -> address:
    self._require_owned(token_id)
    return self._token_approval[token_id]


@external
@view
def isApprovedForAll(owner: address, operator: address) -> bool:
    return self._operator_approval[owner][operator]


@external
def approve(approved: address, token_id: uint256):
    """
    @notice Lets `approved` transfer `token_id` (empty(address) clears the approval).
    @dev Callable by the token's owner or one of the owner's operators.
    """
    token_owner: address = self._require_owned(token_id)
    assert approved != token_owner, "ERC721: approval to current owner"
    assert (
        msg.sender == token_owner or self._operator_approval[token_owner][msg.sender]
    ), "ERC721: approve caller is not token owner or approved for all"
    self._token_approval[token_id] = approved
    log Approval(owner=token_owner, approved=approved, token_id=token_id)


@external
def setApprovalForAll(operator: address, approved: bool):
    """
    @notice Lets `operator` transfer and approve every token of the caller.
    """
    assert operator != msg.sender, "ERC721: approve to caller"
    assert operator != empty(address), "ERC721: invalid operator"
    self._operator_approval[msg.sender][operator] = approved
    log ApprovalForAll(owner=msg.sender, operator=operator, approved=approved)


@external
def transferFrom(owner: address, to: address, token_id: uint256):
    """
    @notice Moves `token_id` from `owner` to `to` without a receiver check.
    """
    self._transfer(owner, to, token_id)


@external
def safeTransferFrom(
    owner: address, to: address, token_id: uint256, data: Bytes[MAX_DATA] = b""
):
    """
    @notice Moves `token_id` from `owner` to `to`; a contract `to` must answer
            onERC721Received with its selector.
    @dev Compiles to both overloads: (address,address,uint256) and
         (address,address,uint256,bytes).
    """
    self._transfer(owner, to, token_id)
    self._check_on_received(owner, to, token_id, data)


@external
def mint(to: address, uri: String[MAX_URI]) -> uint256:
    """
    @notice Mints the next token id to `to` with metadata `uri`. Minter only.
    @dev No receiver check: minting to a contract never calls it back.
    @return The new token id.
    """
    assert msg.sender == self.minter, "ERC721: caller is not the minter"
    assert to != empty(address), "ERC721: mint to the zero address"
    token_id: uint256 = self.totalSupply + 1
    self.totalSupply = token_id
    self._owner_of[token_id] = to
    self._balance_of[to] += 1
    self._token_uri[token_id] = uri
    log Transfer(sender=empty(address), receiver=to, token_id=token_id)
    return token_id


@external
def setMinter(new_minter: address):
    """
    @notice Appoints the only account allowed to mint. Owner only.
    """
    assert msg.sender == self.owner, "ERC721: caller is not the owner"
    assert new_minter != empty(address), "ERC721: new minter is the zero address"
    log MinterChanged(previous_minter=self.minter, new_minter=new_minter)
    self.minter = new_minter


@external
def transferOwnership(new_owner: address):
    """
    @notice Hands the right to appoint the minter to `new_owner`. Owner only.
    """
    assert msg.sender == self.owner, "ERC721: caller is not the owner"
    assert new_owner != empty(address), "ERC721: new owner is the zero address"
    log OwnershipTransferred(previous_owner=self.owner, new_owner=new_owner)
    self.owner = new_owner


@internal
@view
def _require_owned(token_id: uint256) -> address:
    token_owner: address = self._owner_of[token_id]
    assert token_owner != empty(address), "ERC721: invalid token ID"
    return token_owner


@internal
def _transfer(owner: address, to: address, token_id: uint256):
    token_owner: address = self._require_owned(token_id)
    assert token_owner == owner, "ERC721: transfer from incorrect owner"
    assert to != empty(address), "ERC721: transfer to the zero address"
    assert (
        msg.sender == token_owner
        or self._operator_approval[token_owner][msg.sender]
        or self._token_approval[token_id] == msg.sender
    ), "ERC721: caller is not token owner or approved"
    # EIP-721: a Transfer event also signals that the approval is reset
    self._token_approval[token_id] = empty(address)
    self._balance_of[owner] -= 1
    self._balance_of[to] += 1
    self._owner_of[token_id] = to
    log Transfer(sender=owner, receiver=to, token_id=token_id)


@internal
def _check_on_received(
    owner: address, to: address, token_id: uint256, data: Bytes[MAX_DATA]
):
    if not to.is_contract:
        return
    success: bool = False
    response: Bytes[MAX_DATA] = b""
    success, response = raw_call(
        to,
        abi_encode(
            msg.sender, owner, token_id, data, method_id=method_id(
                "onERC721Received(address,address,uint256,bytes)"
            )
        ),
        max_outsize=MAX_DATA,
        revert_on_failure=False,
    )
    if not success:
        if len(response) > 0:
            # pass the receiver's own revert data on, as OpenZeppelin does
            raw_revert(response)
        raise "ERC721: transfer to non ERC721Receiver implementer"
    assert len(response) >= 32, "ERC721: transfer to non ERC721Receiver implementer"
    assert (
        convert(slice(response, 0, 4), bytes4) == ERC721_RECEIVED
    ), "ERC721: transfer to non ERC721Receiver implementer"
