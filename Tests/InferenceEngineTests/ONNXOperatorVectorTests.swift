import Foundation
import Testing
@testable import InferenceEngine

/// Decoded `Vectors/onnx_ops/onnx_ops.json` (scripts/vectors/gen_onnx_ml_quant.py): small ai.onnx.ml
/// and quantization models with inputs and the outputs onnxruntime produced for them.
struct OperatorVectors: Decodable {
    struct Value: Decodable {
        /// Absent on the elements of a sequence.
        let name: String?
        let kind: String
        let dtype: String?
        let shape: [Int]?
        let data: [Element]?
        let keyDtype: String?
        let keys: [Element]?
        let values: [Element]?
        let valueDtype: String?
        let items: [Value]?

        enum CodingKeys: String, CodingKey {
            case name, kind, dtype, shape, data, keys, values, items
            case keyDtype = "key_dtype", valueDtype = "value_dtype"
        }
    }

    /// A JSON number (null means NaN), bool or string.
    enum Element: Decodable {
        case number(Double)
        case string(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .number(.nan); return }
            if let b = try? container.decode(Bool.self) { self = .number(b ? 1 : 0); return }
            if let d = try? container.decode(Double.self) { self = .number(d); return }
            self = .string(try container.decode(String.self))
        }

        var double: Double { if case let .number(d) = self { d } else { .nan } }
        var string: String { if case let .string(s) = self { s } else { String(double) } }
    }

    struct Case: Decodable, CustomStringConvertible {
        let name: String
        let rtol: Double
        let atol: Double
        let exact: [String]
        let inputs: [Value]
        let outputs: [Value]
        var description: String { name }
    }

    let cases: [Case]

    static let shared: OperatorVectors = {
        guard let url = Bundle.module.url(forResource: "onnx_ops", withExtension: "json", subdirectory: "Vectors/onnx_ops"),
              let data = try? Data(contentsOf: url),
              let vectors = try? JSONDecoder().decode(OperatorVectors.self, from: data)
        else { return OperatorVectors(cases: []) }
        return vectors
    }()

    static func tensor(dtype: String, shape: [Int], data: [Element]) throws -> Tensor {
        let d = data.map(\.double)
        switch dtype {
        case "float32": return try Tensor(shape: shape, scalars: d.map { Float($0) })
        case "float64": return try Tensor(shape: shape, scalars: d)
        case "int64": return try Tensor(shape: shape, scalars: d.map { Int64($0) })
        case "int32": return try Tensor(shape: shape, scalars: d.map { Int32($0) })
        case "int16": return try Tensor(shape: shape, scalars: d.map { Int16($0) })
        case "int8": return try Tensor(shape: shape, scalars: d.map { Int8($0) })
        case "uint8": return try Tensor(shape: shape, scalars: d.map { UInt8($0) })
        case "bool": return try Tensor(shape: shape, scalars: d.map { $0 != 0 })
        default: return try Tensor(shape: shape, strings: data.map(\.string))
        }
    }

    static func value(_ v: Value) throws -> ONNXValue {
        switch v.kind {
        case "map":
            let keys = v.keys ?? [], values = v.values ?? []
            return .map(keys: try tensor(dtype: v.keyDtype ?? "int64", shape: [keys.count], data: keys),
                        values: try tensor(dtype: v.valueDtype ?? "float32", shape: [values.count], data: values))
        case "sequence":
            return .sequence(try (v.items ?? []).map(value))
        default:
            return .tensor(try tensor(dtype: v.dtype ?? "float32", shape: v.shape ?? [], data: v.data ?? []))
        }
    }
}

@Suite struct ONNXOperatorVectorTests {
    static let cases = OperatorVectors.shared.cases

    @Test func vectorsArePresent() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func matchesOnnxruntime(_ vector: OperatorVectors.Case) throws {
        let url = try #require(Bundle.module.url(forResource: vector.name, withExtension: "onnx", subdirectory: "Vectors/onnx_ops"))
        let session = try InferenceSession(contentsOf: url)
        var feeds = [String: ONNXValue]()
        for input in vector.inputs { feeds[input.name ?? ""] = try OperatorVectors.value(input) }
        let result = try session.run(feeds)
        for output in vector.outputs {
            let name = output.name ?? ""
            let actual = try #require(result[name], "output \(name) missing")
            let expected = try OperatorVectors.value(output)
            let exact = vector.exact.contains(name)
            let mismatch = ValueComparison.mismatch(actual, expected, rtol: exact ? 0 : vector.rtol, atol: exact ? 0 : vector.atol)
            #expect(mismatch == nil, "\(vector.name) output \(name): \(mismatch ?? "")")
        }
    }

    @Test("stride-1 convolution on the padded width matches the direct formula (pads, dilation, groups, batch)",
          arguments: [([1, 1, 1, 1], [1, 1], 1), ([0, 2, 1, 0], [1, 1], 1), ([2, 2, 2, 2], [2, 2], 1), ([1, 0, 1, 2], [1, 2], 2), ([0, 0, 0, 0], [1, 1], 2)])
    func convStride1(pads: [Int], dilations: [Int], group: Int) throws {
        let (n, channels, height, width, m, kh, kw) = (2, 4, 7, 9, 6, 3, 2)
        func values(_ count: Int, _ seed: Double) -> [Float] { (0..<count).map { Float(sin(Double($0) * seed + 0.3)) } }
        let x = try Tensor(shape: [n, channels, height, width], scalars: values(n * channels * height * width, 0.71))
        let w = try Tensor(shape: [m, channels / group, kh, kw], scalars: values(m * channels / group * kh * kw, 1.37))
        let bias = try Tensor(shape: [m], scalars: values(m, 2.1))
        let node = ONNXNode(name: "conv", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"], attributes: [
            "kernel_shape": .ints([kh, kw]), "pads": .ints(pads), "dilations": .ints(dilations), "group": .int(group),
        ])
        let c = OperatorContext(node: node, opset: 17, inputs: [.tensor(x), .tensor(w), .tensor(bias)], options: .default)
        let fast = try NeuralNetworkOperators.conv(c)
        let window = try NeuralNetworkOperators.Window(c, input: [height, width], kernel: [kh, kw])
        let reference = try NeuralNetworkOperators.convGeneral(c, x: x, w: w, group: group, window: window)
        #expect(fast.shape == reference.shape)
        let a = try fast.scalars(as: Float.self), b = try reference.scalars(as: Float.self)
        #expect(a.count == b.count && a.count > 0)
        let worst = zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5, "max difference \(worst)")
    }

    @Test("2x2 stride-2 MaxPool (eight outputs per vector, scalar tail) matches the window maximum, NaN propagating")
    func maxPool2x2() throws {
        let (n, channels, height, width) = (2, 3, 6, 21)  // 10 outputs per row: 8 by vector, 2 by scalar
        var values = (0..<(n * channels * height * width)).map { Float(sin(Double($0) * 0.37) * 5) }
        values[5] = .nan
        values[2 * width + 17] = .nan
        let x = try Tensor(shape: [n, channels, height, width], scalars: values)
        let node = ONNXNode(name: "pool", opType: "MaxPool", inputs: ["x"], outputs: ["y"], attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
        let results = try NeuralNetworkOperators.pool(OperatorContext(node: node, opset: 12, inputs: [.tensor(x)], options: .default), max: true, global: false)
        let y = try #require(results.first??.tensor)
        #expect(y.shape == [n, channels, 3, 10])
        let got = try y.scalars(as: Float.self)
        var index = 0
        for plane in 0..<(n * channels) {
            for oy in 0..<3 {
                for ox in 0..<10 {
                    let taps = [(0, 0), (0, 1), (1, 0), (1, 1)].map { values[plane * height * width + (2 * oy + $0.0) * width + 2 * ox + $0.1] }
                    let expected = taps.contains { $0.isNaN } ? Float.nan : taps.max()!
                    #expect(got[index].bitPattern == expected.bitPattern || (got[index].isNaN && expected.isNaN), "plane \(plane) (\(oy), \(ox))")
                    index += 1
                }
            }
        }
        #expect(got.filter(\.isNaN).count == 2)
    }
}
