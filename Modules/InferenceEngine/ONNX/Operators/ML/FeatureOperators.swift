import Foundation

/// The ONNX-ML preprocessing and plumbing operators: scaling, normalizing, imputing, encoding,
/// feature selection, and the map/sequence conversions around classifiers.
enum FeatureOperators {
    /// Per-column parameters given as one value for all columns or one per column.
    static func perColumn(_ values: [Double], width: Int, name: String, c: OperatorContext) throws -> [Double] {
        if values.count == width { return values }
        if values.count == 1 { return [Double](repeating: values[0], count: width) }
        throw c.fail("\(name) has \(values.count) values for \(width) features")
    }

    static func lastAxis(_ t: Tensor) -> Int { t.rank == 0 ? 1 : (t.shape.last ?? 1) }

    static func scaler(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let values = try Numbers(x).doubles
        let width = lastAxis(x)
        let offset = try perColumn(try c.mlDoubles("offset") ?? [0], width: width, name: "offset", c: c)
        let scale = try perColumn(try c.mlDoubles("scale") ?? [1], width: width, name: "scale", c: c)
        // onnxruntime computes in f32: (x - offset) * scale
        let out = values.enumerated().map { i, v in (Float(v) - Float(offset[i % width])) * Float(scale[i % width]) }
        return [.tensor(try Tensor(shape: x.shape, scalars: out))]
    }

    static func normalizer(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let values = try Numbers(x).doubles
        let width = lastAxis(x)
        let norm = c.string("norm", default: "MAX")
        guard ["MAX", "L1", "L2"].contains(norm) else { throw c.fail("unknown norm \"\(norm)\"") }
        var out = values.map { Float($0) }
        guard width > 0 else { return [.tensor(try Tensor(shape: x.shape, scalars: out))] }
        for r in 0..<(values.count / width) {
            let range = (r * width)..<((r + 1) * width)
            // onnxruntime: MAX divides by the largest (signed) value, and a zero divisor leaves the row as is
            let divisor: Float = switch norm {
            case "MAX": out[range].max() ?? 0
            case "L1": out[range].reduce(0) { $0 + Swift.abs($1) }
            default: out[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
            }
            if divisor != 0 { for i in range { out[i] /= divisor } }
        }
        return [.tensor(try Tensor(shape: x.shape, scalars: out))]
    }

    static func imputer(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let width = lastAxis(x)
        if let floats = try c.mlDoubles("imputed_value_floats"), !floats.isEmpty {
            guard x.dtype.isFloatingPoint else { throw c.fail("imputed_value_floats needs a floating-point input, got \(x.dtype)") }
            let fill = try perColumn(floats, width: width, name: "imputed_value_floats", c: c)
            let replaced = Double(c.float("replaced_value_float", default: 0))
            var values = try Numbers(x).doubles
            for i in values.indices where replaced.isNaN ? values[i].isNaN : values[i] == replaced { values[i] = fill[i % width] }
            return [.tensor(try Numbers.double(values).tensor(shape: x.shape, dtype: x.dtype))]
        }
        if let ints = c.ints("imputed_value_int64s"), !ints.isEmpty {
            guard case let .int(values) = try Numbers(x) else { throw c.fail("imputed_value_int64s needs an integer input, got \(x.dtype)") }
            let fill = try perColumn(ints.map(Double.init), width: width, name: "imputed_value_int64s", c: c)
            let replaced = Int64(c.int("replaced_value_int64", default: 0))
            let out = values.enumerated().map { i, v in v == replaced ? Int64(fill[i % width]) : v }
            return [.tensor(try Numbers.int(out).tensor(shape: x.shape, dtype: x.dtype))]
        }
        throw c.fail("imputed_value_floats or imputed_value_int64s is required")
    }

    static func binarizer(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let threshold = Double(c.float("threshold", default: 0))
        let out = try Numbers(x).doubles.map { $0 > threshold ? 1.0 : 0.0 }
        return [.tensor(try Numbers.double(out).tensor(shape: x.shape, dtype: x.dtype))]
    }

    static func oneHotEncoder(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let zeros = c.int("zeros", default: 1) != 0
        var positions = [Int]()
        let categories: Int
        if x.dtype == .string {
            let cats = c.strings("cats_strings") ?? []
            guard !cats.isEmpty else { throw c.fail("cats_strings is required for string input") }
            var index = [String: Int]()
            for (i, v) in cats.enumerated() where index[v] == nil { index[v] = i }
            positions = try x.strings().map { index[$0] ?? -1 }
            categories = cats.count
        } else {
            let cats = c.ints("cats_int64s") ?? []
            guard !cats.isEmpty else { throw c.fail("cats_int64s is required for numeric input") }
            var index = [Int64: Int]()
            for (i, v) in cats.enumerated() where index[Int64(v)] == nil { index[Int64(v)] = i }
            positions = try Numbers(x).int64s.map { index[$0] ?? -1 }
            categories = cats.count
        }
        var out = [Float](repeating: 0, count: positions.count * categories)
        for (i, p) in positions.enumerated() {
            if p >= 0 { out[i * categories + p] = 1 } else if !zeros { throw c.fail("value at index \(i) is not one of the categories") }
        }
        return [.tensor(try Tensor(shape: x.shape + [categories], scalars: out))]
    }

    /// ArrayFeatureExtractor's indices when they are a constant (skl2onnx's always are).
    final class ConstantIndices: Sendable {
        let values: [Int]?

        init(values: [Int]?) {
            self.values = values
        }

        /// Bad indices are left for the run to report, as when they are computed.
        static func prepare(_ c: OperatorContext) throws -> any Sendable {
            ConstantIndices(values: (try? c.optionalTensor(1)).flatMap { try? OperatorContext.ints(of: $0, fail: c.fail) })
        }
    }

    static func arrayFeatureExtractor(_ c: OperatorContext) throws -> ONNXValue {
        let x = try c.tensor(0)
        let indices = try (c.prepared as? ConstantIndices)?.values ?? OperatorContext.ints(of: c.tensor(1), fail: c.fail)
        let width = lastAxis(x)
        for i in indices where i < 0 || i >= width { throw c.fail("index \(i) is out of range for the last axis of size \(width)") }
        let shape = x.rank <= 1 ? [1, indices.count] : Array(x.shape.dropLast()) + [indices.count]
        let rows = width == 0 ? 0 : x.count / width
        if x.dtype == .float32, x.isContiguous {
            // f32 (what skl2onnx graphs pass around): gather straight into the output.
            let out = try Tensor(uninitialized: shape, dtype: .float32)
            let source = Float32Kernels.pointer(x), destination = Float32Kernels.pointer(out)
            var position = 0
            for r in 0..<rows {
                for i in indices {
                    destination[position] = source[r * width + i]
                    position += 1
                }
            }
            return .tensor(out)
        }
        var order = [Int]()
        order.reserveCapacity(rows * indices.count)
        for r in 0..<rows { for i in indices { order.append(r * width + i) } }
        switch try Numbers(x) {
        case let .float(v): return .tensor(try Tensor(shape: shape, scalars: order.map { v[$0] }))
        case let .string(v): return .tensor(try Tensor(shape: shape, strings: order.map { v[$0] }))
        case let .bool(v): return .tensor(try Tensor(shape: shape, scalars: order.map { v[$0] }))
        case let .int(v): return .tensor(try Numbers.int(order.map { v[$0] }).tensor(shape: shape, dtype: x.dtype))
        case let .double(v): return .tensor(try Numbers.double(order.map { v[$0] }).tensor(shape: shape, dtype: x.dtype))
        }
    }

    static func zipMap(_ c: OperatorContext) throws -> [ONNXValue?] {
        let x = try c.tensor(0)
        let scores = try Numbers(x).doubles.map { Float($0) }
        let keys: Tensor
        let count: Int
        if let ints = c.ints("classlabels_int64s"), !ints.isEmpty {
            keys = try Tensor(shape: [ints.count], scalars: ints.map { Int64($0) })
            count = ints.count
        } else if let strings = c.strings("classlabels_strings"), !strings.isEmpty {
            keys = try Tensor(shape: [strings.count], strings: strings)
            count = strings.count
        } else {
            throw c.fail("classlabels_int64s or classlabels_strings is required")
        }
        guard lastAxis(x) == count, x.rank <= 2 else { throw c.fail("input \(x.shape) must be [N, \(count)]") }
        let rows = scores.count / count
        let maps: [ONNXValue] = try (0..<rows).map { r in
            .map(keys: keys, values: try Tensor(shape: [count], scalars: Array(scores[(r * count)..<((r + 1) * count)])))
        }
        return [.sequence(maps)]
    }

    /// Keys of a map in ascending order with their values.
    static func sortedEntries(keys: Tensor, values: Tensor, c: OperatorContext) throws -> (keys: Numbers, order: [Int], values: Numbers) {
        let k = try Numbers(keys), v = try Numbers(values)
        guard k.count == v.count else { throw c.fail("map has \(k.count) keys and \(v.count) values") }
        let order: [Int]
        switch k {
        case let .string(s): order = s.indices.sorted { s[$0] < s[$1] }
        case let .int(i): order = i.indices.sorted { i[$0] < i[$1] }
        default: throw c.fail("map keys must be int64 or string")
        }
        return (k, order, v)
    }

    static func castMap(_ c: OperatorContext) throws -> [ONNXValue?] {
        guard case let .map(keyTensor, valueTensor) = try c.value(0) else { throw c.fail("input must be a map") }
        let (keys, order, values) = try sortedEntries(keys: keyTensor, values: valueTensor, c: c)
        guard case let .int(intKeys) = keys else { throw c.fail("CastMap needs int64 keys") }
        let castTo = c.string("cast_to", default: "TO_FLOAT")
        let dense = c.string("map_form", default: "DENSE") == "DENSE"
        let maxMap = c.int("max_map", default: 1)
        guard dense || (maxMap >= 0 && maxMap <= TreeEnsembleOperators.maxTargets) else { throw c.fail("max_map \(maxMap) is out of range") }
        let count = dense ? order.count : maxMap
        var slots = [Int](repeating: -1, count: count)
        if dense {
            for (position, entry) in order.enumerated() { slots[position] = entry }
        } else {
            for entry in order {
                let key = Int(intKeys[entry])
                guard key >= 0, key < count else { throw c.fail("key \(key) is outside max_map \(count)") }
                slots[key] = entry
            }
        }
        let shape = [1, count]
        switch castTo {
        case "TO_STRING":
            let strings: [String] = switch values {
            case let .string(s): slots.map { $0 < 0 ? "0" : s[$0] }
            default: slots.map { $0 < 0 ? "0" : String(values.doubles[$0]) }
            }
            return [.tensor(try Tensor(shape: shape, strings: strings))]
        case "TO_INT64":
            let v = values.doubles
            return [.tensor(try Tensor(shape: shape, scalars: Numbers.double(slots.map { $0 < 0 ? 0 : v[$0] }).int64s))]
        case "TO_FLOAT":
            let v = values.doubles
            return [.tensor(try Tensor(shape: shape, scalars: slots.map { $0 < 0 ? Float(0) : Float(v[$0]) }))]
        default:
            throw c.fail("unknown cast_to \"\(castTo)\"")
        }
    }

    static func dictVectorizer(_ c: OperatorContext) throws -> [ONNXValue?] {
        let input = try c.value(0)
        let maps: [ONNXValue]
        switch input {
        case .map: maps = [input]
        case let .sequence(items): maps = items
        case .tensor: throw c.fail("input must be a map or a sequence of maps")
        }
        let stringVocabulary = c.strings("string_vocabulary") ?? [], intVocabulary = c.ints("int64_vocabulary") ?? []
        let width = stringVocabulary.isEmpty ? intVocabulary.count : stringVocabulary.count
        guard width > 0 else { throw c.fail("string_vocabulary or int64_vocabulary is required") }
        var stringIndex = [String: Int](), intIndex = [Int64: Int]()
        for (i, s) in stringVocabulary.enumerated() where stringIndex[s] == nil { stringIndex[s] = i }
        for (i, v) in intVocabulary.enumerated() where intIndex[Int64(v)] == nil { intIndex[Int64(v)] = i }
        var out = [Double](repeating: 0, count: maps.count * width)
        var stringOut = [String](repeating: "", count: maps.count * width)
        var valueType: DType = .float32
        for (r, map) in maps.enumerated() {
            guard case let .map(keys, values) = map else { throw c.fail("sequence element \(r) is not a map") }
            valueType = values.dtype
            let k = try Numbers(keys), v = try Numbers(values)
            guard k.count == v.count else { throw c.fail("map has \(k.count) keys and \(v.count) values") }
            for i in 0..<k.count {
                let column: Int?
                switch k {
                case let .string(s): column = stringIndex[s[i]]
                case let .int(n): column = intIndex[n[i]]
                default: column = nil
                }
                guard let column else { continue }
                if case let .string(s) = v { stringOut[r * width + column] = s[i] } else { out[r * width + column] = v.doubles[i] }
            }
        }
        let shape = [maps.count, width]
        if valueType == .string { return [.tensor(try Tensor(shape: shape, strings: stringOut))] }
        return [.tensor(try Numbers.double(out).tensor(shape: shape, dtype: valueType))]
    }

    static func featureVectorizer(_ c: OperatorContext) throws -> [ONNXValue?] {
        let dimensions = c.ints("inputdimensions") ?? []
        guard dimensions.count == c.inputCount else { throw c.fail("inputdimensions must have one entry per input") }
        guard dimensions.allSatisfy({ $0 >= 0 && $0 <= TreeEnsembleOperators.maxTargets }) else { throw c.fail("inputdimensions \(dimensions) are out of range") }
        var blocks = [(values: [Double], width: Int, take: Int)]()
        var rows = -1
        for (i, take) in dimensions.enumerated() {
            let t = try c.tensor(i)
            let values = try Numbers(t).doubles
            let width = t.rank <= 1 ? 1 : t.shape[1...].reduce(1, *)
            let r = t.rank == 0 ? 1 : t.shape[0]
            if rows < 0 { rows = r } else if rows != r { throw c.fail("inputs have different batch sizes") }
            blocks.append((values, width, take))
        }
        let total = dimensions.reduce(0, +)
        var out = [Float](repeating: 0, count: max(rows, 0) * total)
        for r in 0..<max(rows, 0) {
            var column = 0
            for block in blocks {
                for k in 0..<min(block.take, block.width) { out[r * total + column + k] = Float(block.values[r * block.width + k]) }
                column += block.take
            }
        }
        return [.tensor(try Tensor(shape: [max(rows, 0), total], scalars: out))]
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("Scaler", domain: "ai.onnx.ml", prepare: MLAttributeCache.prepare) { c in try scaler(c) },
        OperatorDefinition("Normalizer", domain: "ai.onnx.ml", prepare: MLAttributeCache.prepare) { c in try normalizer(c) },
        OperatorDefinition("Imputer", domain: "ai.onnx.ml", prepare: MLAttributeCache.prepare) { c in try imputer(c) },
        OperatorDefinition("Binarizer", domain: "ai.onnx.ml") { c in try binarizer(c) },
        OperatorDefinition("OneHotEncoder", domain: "ai.onnx.ml") { c in try oneHotEncoder(c) },
        OperatorDefinition("ArrayFeatureExtractor", domain: "ai.onnx.ml", prepare: ConstantIndices.prepare, single: { c in try arrayFeatureExtractor(c) }),
        OperatorDefinition("ZipMap", domain: "ai.onnx.ml") { c in try zipMap(c) },
        OperatorDefinition("CastMap", domain: "ai.onnx.ml") { c in try castMap(c) },
        OperatorDefinition("DictVectorizer", domain: "ai.onnx.ml") { c in try dictVectorizer(c) },
        OperatorDefinition("FeatureVectorizer", domain: "ai.onnx.ml") { c in try featureVectorizer(c) },
        OperatorDefinition("LabelEncoder", domain: "ai.onnx.ml") { c in try LabelEncoding.run(c) },
    ]
}
