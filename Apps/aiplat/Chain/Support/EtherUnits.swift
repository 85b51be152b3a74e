import BigInt

/// Wei as ether text, as cast's `--ether` prints it: all 18 decimals (`1.500000000000000000`).
enum EtherUnits {
    static let weiPerEther = BigUInt(10).power(18)

    static func format(_ wei: BigUInt) -> String {
        let (whole, fraction) = wei.quotientAndRemainder(dividingBy: weiPerEther)
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 18 - digits.count) + digits
    }
}
