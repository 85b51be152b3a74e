import Foundation
@testable import InferenceEngine

/// Decoded `Vectors/engine.json` (see scripts/vectors/gen_engine.py).
struct EngineVectors: Decodable {
    struct TensorData: Decodable {
        let shape: [Int]
        let data: [Double]

        func tensor() throws -> Tensor { try Tensor(shape: shape, scalars: data.map { Float($0) }) }
    }

    struct OpCase: Decodable {
        let op: String
        let inputs: [TensorData]
        let output: TensorData
    }

    struct MLP: Decodable {
        let inputs: [TensorData]
        let output: TensorData
    }

    let f16: [[UInt32]]
    let bf16: [[UInt32]]
    let ops: [OpCase]
    let mlp: MLP

    static let shared: EngineVectors = {
        // a missing or corrupt resource is a broken checkout: let the failing test say so loudly
        guard let url = Bundle.module.url(forResource: "engine", withExtension: "json", subdirectory: "Vectors"),
              let data = try? Data(contentsOf: url),
              let vectors = try? JSONDecoder().decode(EngineVectors.self, from: data)
        else { return EngineVectors(f16: [], bf16: [], ops: [], mlp: MLP(inputs: [], output: TensorData(shape: [], data: []))) }
        return vectors
    }()

    static func opCases(_ op: String) -> [OpCase] { shared.ops.filter { $0.op == op } }
}

/// Largest |a - b| / (atol + rtol |b|) over two equal-length arrays; <= 1 means within tolerance.
func toleranceRatio(_ actual: [Float], _ expected: [Double], atol: Double = 1e-6, rtol: Double = 1e-5) -> Double {
    guard actual.count == expected.count else { return .infinity }
    var worst = 0.0
    for (a, e) in zip(actual, expected) {
        let ratio = abs(Double(a) - e) / (atol + rtol * abs(e))
        if !(ratio <= worst) { worst = ratio.isNaN ? .infinity : ratio }
    }
    return worst
}
