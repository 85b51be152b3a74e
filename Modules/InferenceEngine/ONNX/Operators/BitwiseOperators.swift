/// BitShift and the Bitwise* family on integer tensors (numpy broadcasting, wrapping to the dtype).
enum BitwiseOperators {
    static func bits(_ c: OperatorContext, _ f: @escaping (UInt64, UInt64) -> UInt64) throws -> [ONNXValue?] {
        let a = try c.tensor(0), b = try c.tensor(1)
        guard a.dtype == b.dtype, !a.dtype.isFloatingPoint, a.dtype != .string, a.dtype != .bool else {
            throw c.fail("inputs must be integers of one dtype, got \(a.dtype) and \(b.dtype)")
        }
        let shape = try Broadcasting.shape([a.shape, b.shape])
        let x = try Broadcasting.expand(a, to: shape).int64s, y = try Broadcasting.expand(b, to: shape).int64s
        let width = UInt64(a.dtype.byteSize * 8)
        let mask: UInt64 = width == 64 ? .max : (1 << width) - 1
        let out = zip(x, y).map { Int64(bitPattern: f(UInt64(bitPattern: $0) & mask, UInt64(bitPattern: $1) & mask) & mask) }
        return [.tensor(try Numbers.int(out).tensor(shape: shape, dtype: a.dtype))]
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("BitwiseAnd", since: 18) { c in try bits(c) { $0 & $1 } },
        OperatorDefinition("BitwiseOr", since: 18) { c in try bits(c) { $0 | $1 } },
        OperatorDefinition("BitwiseXor", since: 18) { c in try bits(c) { $0 ^ $1 } },
        OperatorDefinition("BitShift", since: 11) { c in
            let left = c.string("direction", default: "LEFT") == "LEFT"
            let a = try c.tensor(0), b = try c.tensor(1)
            let signed = a.dtype != .uint8
            guard signed, !left else {
                return try bits(c) { value, shift in shift >= 64 ? 0 : (left ? value << shift : value >> shift) }
            }
            // Signed right shift is arithmetic; counts outside [0, width) fill with the sign.
            let shape = try Broadcasting.shape([a.shape, b.shape])
            let x = try Broadcasting.expand(a, to: shape).int64s, y = try Broadcasting.expand(b, to: shape).int64s
            let width = Int64(a.dtype.byteSize * 8)
            let out = zip(x, y).map { value, shift in shift < 0 || shift >= width ? (value < 0 ? -1 : 0) : value >> shift }
            return [.tensor(try Numbers.int(out).tensor(shape: shape, dtype: a.dtype))]
        },
        OperatorDefinition("BitwiseNot", since: 18) { c in
            let x = try c.tensor(0)
            guard !x.dtype.isFloatingPoint, x.dtype != .string, x.dtype != .bool else { throw c.fail("input must be an integer tensor") }
            return [.tensor(try Numbers.int(Numbers(x).int64s.map { ~$0 }).tensor(shape: x.shape, dtype: x.dtype))]
        },
    ]
}
