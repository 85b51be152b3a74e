import Testing
@testable import InferenceEngine

@Suite("Tensor ops against numpy")
struct TensorOpsTests {
    static let opNames = ["matmul", "add", "mul", "relu", "gelu", "softmax", "layer_norm"]

    static func apply(_ op: String, _ inputs: [Tensor], options: ExecutionOptions = .default) throws -> Tensor {
        switch op {
        case "matmul": try inputs[0].matmul(inputs[1], options: options)
        case "add": try inputs[0].adding(inputs[1])
        case "mul": try inputs[0].multiplying(inputs[1])
        case "relu": try inputs[0].relu()
        case "gelu": try inputs[0].gelu()
        case "softmax": try inputs[0].softmax()
        case "layer_norm": try inputs[0].layerNorm(scale: inputs[1], bias: inputs[2])
        default: throw TensorError(.invalidShape, "unknown op \(op)")
        }
    }

    @Test("op matches numpy's float64 result within f32 tolerance", arguments: opNames)
    func matchesNumpy(op: String) throws {
        let cases = EngineVectors.opCases(op)
        try #require(!cases.isEmpty)
        for testCase in cases {
            let output = try Self.apply(op, testCase.inputs.map { try $0.tensor() })
            #expect(output.shape == testCase.output.shape)
            let ratio = toleranceRatio(try output.scalars(as: Float.self), testCase.output.data, atol: 1e-5, rtol: 1e-5)
            #expect(ratio <= 1, "\(op) \(testCase.inputs.map(\.shape)): error ratio \(ratio)")
        }
    }

    @Test("a 2-layer MLP forward pass matches numpy in default and deterministic mode")
    func mlpForward() throws {
        let mlp = EngineVectors.shared.mlp
        let t = try mlp.inputs.map { try $0.tensor() }
        try #require(t.count == 5)
        for options in [ExecutionOptions.default, .reproducible, ExecutionOptions(threads: 2, gemmBackend: .cblas)] {
            let hidden = try t[0].matmul(t[1], options: options).adding(t[2]).gelu()
            let output = try hidden.matmul(t[3], options: options).adding(t[4]).softmax()
            #expect(output.shape == [4, 8])
            #expect(toleranceRatio(try output.scalars(as: Float.self), mlp.output.data, atol: 1e-6, rtol: 1e-5) <= 1)
        }
    }

    @Test("matmul reads transposed and sliced views in place and equals the copied version")
    func matmulOnViews() throws {
        var random = SeededFloats(state: 3)
        let a = try Tensor(shape: [40, 30], scalars: random.array(1200))
        let b = try Tensor(shape: [25, 40], scalars: random.array(1000))
        let viewProduct = try a.transposed().matmul(b.transposed())               // [30,40] x [40,25]
        let copyProduct = try a.transposed().contiguous().matmul(b.transposed().contiguous())
        #expect(try viewProduct.scalars(as: Float.self) == copyProduct.scalars(as: Float.self))
        let strided = try a.sliced(axis: 1, start: 0, end: 30, step: 2)              // [40, 15], stride 2
        let slicedProduct = try strided.transposed().matmul(a)
        let slicedCopy = try strided.contiguous().transposed().matmul(a)
        #expect(try slicedProduct.scalars(as: Float.self) == slicedCopy.scalars(as: Float.self))
        #expect(throws: TensorError.self) { try a.matmul(a) }
    }

    @Test("deterministic mode gives identical bits for every thread count and a stable digest")
    func deterministicMode() throws {
        var random = SeededFloats(state: 11)
        let a = try Tensor(shape: [3, 70, 90], scalars: random.array(3 * 70 * 90))
        let b = try Tensor(shape: [90, 50], scalars: random.array(90 * 50))
        let one = try a.matmul(b, options: ExecutionOptions(deterministic: true, threads: 1)).softmax()
        let two = try a.matmul(b, options: ExecutionOptions(deterministic: true, threads: 2)).softmax()
        #expect(try one.digest() == two.digest())
        #expect(try one.scalars(as: Float.self).map(\.bitPattern) == two.scalars(as: Float.self).map(\.bitPattern))
    }

    @Test("digest covers dtype, shape and every bit, and not the memory layout")
    func digest() throws {
        let base = try Tensor(shape: [2, 3], scalars: [Float](arrayLiteral: 1, 2, 3, 4, 5, 6))
        let digest = try base.digest()
        // eth_hash keccak(b"aiplat.tensor.v1" b"f32" + pack("<QQQ", 2, 2, 3) + pack("<6f", 1...6))
        #expect(digest == "92adb445f1151deb95ac932e8702525f41cee201378b4499c77a478180695d82")
        #expect(try base.transposed().contiguous().transposed().digest() == digest)
        #expect(try base.reshaped([3, 2]).digest() != digest)
        #expect(try base.converted(to: .float64).digest() != digest)
        var changed = base
        try changed.setScalar(Float(bitPattern: Float(6).bitPattern + 1), at: [1, 2])
        #expect(try changed.digest() != digest)
        #expect(try Tensor(zeros: [0]).digest() == "2459e8ef373c90a379fcc8f15a6f0e9395a7359fa612790c9ae5833c569b36d3")
    }

    @Test("shape errors name the op and the shapes")
    func shapeErrors() throws {
        let a = try Tensor(zeros: [2, 3]), b = try Tensor(zeros: [4])
        let error = try #require(throws: TensorError.self) { try a.adding(b) }
        #expect(error.description == "cannot broadcast shapes [2, 3] and [4]")
        #expect(throws: TensorError.self) { try Tensor(zeros: [2], dtype: .int32).relu() }
        #expect(throws: TensorError.self) { try a.layerNorm(scale: b) }
    }
}
