// Keccak-256 lives in PlatformCore so that layers which must not import EthereumKit (the inference
// engine digests its outputs with it) share the one implementation; EthereumKit users keep seeing it.
@_exported import struct PlatformCore.Keccak256
