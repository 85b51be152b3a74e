# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title ERC20
@license MIT
@notice A standard ERC-20 token with an owner who may mint new supply.
@dev The constructor mints `initial_supply` base units (not whole tokens)
     to the deployer, who also becomes the owner. Every rejected call
     reverts with an `Error(string)` reason prefixed "ERC20: ".
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed

implements: IERC20
implements: IERC20Detailed


event OwnershipTransferred:
    previous_owner: indexed(address)
    new_owner: indexed(address)


name: public(String[64])
symbol: public(String[32])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
owner: public(address)


@deploy
def __init__(
    name: String[64], symbol: String[32], decimals: uint8, initial_supply: uint256
):
    self.name = name
    self.symbol = symbol
    self.decimals = decimals
    self.owner = msg.sender
    log OwnershipTransferred(previous_owner=empty(address), new_owner=msg.sender)
    if initial_supply > 0:
        self._mint(msg.sender, initial_supply)


@external
def transfer(to: address, amount: uint256) -> bool:
    """
    @notice Moves `amount` base units from the caller to `to`.
    """
    self._transfer(msg.sender, to, amount)
    return True


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    """
    @notice Moves `amount` base units from `owner` to `to` using the caller's allowance.
    @dev An allowance of max_value(uint256) is treated as unlimited and never decreases.
    """
    allowed: uint256 = self.allowance[owner][msg.sender]
    if allowed != max_value(uint256):
        assert allowed >= amount, "ERC20: insufficient allowance"
        self._approve(owner, msg.sender, allowed - amount)
    self._transfer(owner, to, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    """
    @notice Lets `spender` move up to `amount` of the caller's base units.
    """
    self._approve(msg.sender, spender, amount)
    return True


@external
def mint(to: address, amount: uint256):
    """
    @notice Creates `amount` new base units owned by `to`. Owner only.
    """
    assert msg.sender == self.owner, "ERC20: caller is not the owner"
    self._mint(to, amount)


@external
def transferOwnership(new_owner: address):
    """
    @notice Hands the minting right to `new_owner`. Owner only.
    """
    assert msg.sender == self.owner, "ERC20: caller is not the owner"
    assert new_owner != empty(address), "ERC20: new owner is the zero address"
    log OwnershipTransferred(previous_owner=self.owner, new_owner=new_owner)
    self.owner = new_owner


@internal
def _transfer(owner: address, to: address, amount: uint256):
    assert to != empty(address), "ERC20: transfer to the zero address"
    balance: uint256 = self.balanceOf[owner]
    assert balance >= amount, "ERC20: insufficient balance"
    self.balanceOf[owner] = balance - amount
    # cannot overflow: the sum of all balances is totalSupply
    self.balanceOf[to] = unsafe_add(self.balanceOf[to], amount)
    log IERC20.Transfer(sender=owner, receiver=to, value=amount)


@internal
def _approve(owner: address, spender: address, amount: uint256):
    assert spender != empty(address), "ERC20: approve to the zero address"
    self.allowance[owner][spender] = amount
    log IERC20.Approval(owner=owner, spender=spender, value=amount)


@internal
def _mint(to: address, amount: uint256):
    assert to != empty(address), "ERC20: mint to the zero address"
    supply: uint256 = self.totalSupply
    assert amount <= max_value(uint256) - supply, "ERC20: total supply overflow"
    self.totalSupply = supply + amount
    # cannot overflow: bounded by totalSupply, checked above
    self.balanceOf[to] = unsafe_add(self.balanceOf[to], amount)
    log IERC20.Transfer(sender=empty(address), receiver=to, value=amount)
