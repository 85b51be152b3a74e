import Testing
@testable import InferenceEngine

@Suite("DType storage and conversions")
struct DTypeConversionTests {
    @Test("f32 -> f16 rounds to nearest even exactly as numpy (random, subnormal, overflow, ties)")
    func float16MatchesNumpy() throws {
        let pairs = EngineVectors.shared.f16
        try #require(pairs.count > 500)
        let source = try Tensor(shape: [pairs.count], scalars: pairs.map { Float(bitPattern: $0[0]) })
        let half = try source.converted(to: .float16).scalars(as: Float16.self)
        #expect(zip(half, pairs).filter { $0.0.bitPattern != UInt16($0.1[1]) }.count == 0)
        // f16 -> f32 is exact, so converting back and forth again is stable
        let back = try source.converted(to: .float16).converted(to: .float32).converted(to: .float16)
        #expect(try back.scalars(as: Float16.self).map(\.bitPattern) == half.map(\.bitPattern))
    }

    @Test("f32 -> bf16 rounds to nearest even exactly as ml_dtypes")
    func bfloat16MatchesMLDtypes() throws {
        let pairs = EngineVectors.shared.bf16
        try #require(pairs.count > 500)
        let source = try Tensor(shape: [pairs.count], scalars: pairs.map { Float(bitPattern: $0[0]) })
        let converted = try source.converted(to: .bfloat16).scalars(as: BFloat16.self)
        let mismatches = zip(converted, pairs).filter { $0.0.bitPattern != UInt16($0.1[1]) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
        let widened = try source.converted(to: .bfloat16).converted(to: .float32).scalars(as: Float.self)
        #expect(zip(widened, converted).allSatisfy { $0.bitPattern == UInt32($1.bitPattern) << 16 })
    }

    @Test("NaN survives f16 and bf16 as NaN")
    func nanStaysNaN() throws {
        let source = try Tensor(shape: [2], scalars: [Float.nan, -Float.nan])
        #expect(try source.converted(to: .bfloat16).converted(to: .float32).scalars(as: Float.self).allSatisfy(\.isNaN))
        #expect(try source.converted(to: .float16).converted(to: .float32).scalars(as: Float.self).allSatisfy(\.isNaN))
    }

    @Test("float -> integer conversion truncates toward zero and saturates; NaN becomes 0", arguments: [
        (DType.int8, [-128.0, 127.0, -2.0, 2.0, 0.0]),
        (DType.uint8, [0.0, 255.0, 0.0, 2.0, 0.0]),
        (DType.int16, [-32768.0, 32767.0, -2.0, 2.0, 0.0]),
        (DType.int32, [-1e9, 1e9, -2.0, 2.0, 0.0]),
        (DType.int64, [-1e9, 1e9, -2.0, 2.0, 0.0]),
    ])
    func integerConversion(dtype: DType, expected: [Double]) throws {
        let source = try Tensor(shape: [5], scalars: [-1e9, 1e9, -2.7, 2.7, .nan] as [Double])
        let converted = try source.converted(to: dtype).converted(to: .float64)
        #expect(try converted.scalars(as: Double.self) == expected)
        #expect(try source.converted(to: dtype).dtype == dtype)
    }

    @Test("every numeric dtype stores and reads back its own scalars", arguments: DType.allCases.filter { $0 != .string })
    func storageRoundTrip(dtype: DType) throws {
        let values: [Double] = [0, 1, 2, 3, 100, 5]
        let tensor = try Tensor(shape: [2, 3], scalars: values).converted(to: dtype)
        #expect(tensor.dtype == dtype)
        let expected = dtype == .bool ? values.map { $0 != 0 ? 1.0 : 0.0 } : values
        #expect(try tensor.transposed().contiguous().transposed().converted(to: .float64).scalars(as: Double.self) == expected)
        #expect(Int(bitPattern: tensor.storage.bytes) % 64 == 0)
    }

    @Test("byte sizes of the numeric dtypes")
    func byteSizes() {
        #expect(DType.allCases.map(\.byteSize) == [4, 2, 2, 8, 1, 1, 2, 4, 8, 1, 0])
        #expect(MemoryLayout<BFloat16>.size == 2 && MemoryLayout<Float16>.size == 2 && MemoryLayout<Bool>.size == 1)
    }
}
