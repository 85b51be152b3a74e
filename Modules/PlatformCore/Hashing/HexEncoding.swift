/// Lowercase hexadecimal text of bytes, without a prefix: how digests (SHA-256 blobs, Keccak-256
/// tensor and output digests) are written everywhere below EthereumKit.
public enum HexEncoding {
    public static func lowercase(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
