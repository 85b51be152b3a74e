/// Static shape inference: the dtype and shape of every value in a graph, from the declared input
/// shapes (symbolic axes such as a batch `N` stay symbols) and the constants, before anything runs.
///
/// Small integer tensors that describe shapes are tracked by content too (`Shape -> Gather ->
/// Unsqueeze -> Concat -> Reshape`, as PyTorch exports a reshape with a dynamic batch), so a
/// `Reshape` to `[N, 8, 4, 8]` is known to produce exactly that. A value whose shape cannot be
/// derived statically is absent from the result rather than guessed. The pre-flight report uses it
/// for its memory estimate (peak of the live activations at batch 1).
public struct ShapeInference: Sendable {
    /// A value's element type (nil when not derived) and axes.
    public struct ValueShape: Sendable, Equatable {
        public var dtype: DType?
        public var dims: [ONNXDimension]
    }

    /// Every value whose shape was derived: graph inputs, initializers, and node outputs.
    public private(set) var shapes: [String: ValueShape] = [:]
    /// Contents of small int64 values known statically, axis by axis (shape arithmetic).
    private var contents: [String: [ONNXDimension]] = [:]

    public init(model: ONNXModel) {
        let graph = model.graph
        for (name, tensor) in graph.initializers {
            shapes[name] = ValueShape(dtype: tensor.dtype, dims: tensor.shape.map { .value($0) })
            if tensor.rank <= 1, tensor.count <= 64, let values = try? OperatorContext.ints(of: tensor, fail: { ONNXError(.invalidModel, $0) }) {
                contents[name] = values.map { .value($0) }
            }
        }
        for input in graph.inputs {
            guard case let .tensor(_, dtype, shape?) = input.type else { continue }
            shapes[input.name] = ValueShape(dtype: dtype, dims: shape)
        }
        let available = Set(graph.initializers.keys).union(graph.inputs.map(\.name))
        let ordered = (try? ExecutionPlan.topologicalOrder(graph.nodes, available: available)) ?? graph.nodes
        for node in ordered { infer(node, opset: model.opsets[node.domain] ?? 1) }
    }

    public subscript(name: String) -> ValueShape? { shapes[name] }

    // MARK: Rules

    private mutating func infer(_ node: ONNXNode, opset: Int) {
        let inputs = node.inputs.map { $0.isEmpty ? nil : shapes[$0] }
        let first = inputs.first ?? nil
        func set(_ index: Int, _ dtype: DType?, _ dims: [ONNXDimension]?) {
            guard index < node.outputs.count, !node.outputs[index].isEmpty, let dims else { return }
            shapes[node.outputs[index]] = ValueShape(dtype: dtype, dims: dims)
        }
        func int(_ name: String) -> Int? { node.int(name) }
        func ints(_ name: String) -> [Int]? { node.ints(name) }
        func content(_ index: Int) -> [ONNXDimension]? {
            index < node.inputs.count && !node.inputs[index].isEmpty ? contents[node.inputs[index]] : nil
        }
        func numbers(_ index: Int) -> [Int]? {
            guard let dims = content(index) else { return nil }
            var values = [Int]()
            for dim in dims {
                guard case let .value(v) = dim else { return nil }
                values.append(v)
            }
            return values
        }
        func axis(_ value: Int, rank: Int) -> Int? {
            let resolved = value < 0 ? value + rank : value
            return resolved >= 0 && resolved <= rank ? resolved : nil
        }

        guard node.domain.isEmpty || node.domain == "ai.onnx.ml" else { return }
        switch node.opType {
        case "Relu", "Sigmoid", "Tanh", "Erf", "Exp", "Log", "Sqrt", "Neg", "Abs", "Reciprocal", "Identity", "Softmax",
             "LogSoftmax", "LeakyRelu", "Gelu", "Clip", "Dropout", "BatchNormalization", "LayerNormalization", "Floor",
             "Ceil", "Round", "Sign", "HardSigmoid", "HardSwish", "Elu", "Selu", "Softplus", "Softsign", "Sin", "Cos",
             "LRN", "InstanceNormalization", "MeanVarianceNormalization", "Normalizer", "Scaler", "Imputer", "Binarizer":
            set(0, ["Normalizer", "Scaler"].contains(node.opType) ? .float32 : first?.dtype, first?.dims)
            if node.opType == "Identity" { contents[node.outputs[0]] = content(0) }
        case "Not", "IsNaN", "IsInf":
            set(0, .bool, first?.dims)
        case "Cast":
            set(0, int("to").flatMap(ONNXElementType.dtype(for:)), first?.dims)
            if node.outputs.count > 0 { contents[node.outputs[0]] = content(0) }
        case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Mod", "PRelu", "And", "Or", "Xor",
             "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Where":
            guard inputs.allSatisfy({ $0 != nil }), let dims = Self.broadcast(inputs.compactMap { $0?.dims }) else { return }
            let comparison = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"].contains(node.opType)
            set(0, comparison ? .bool : (node.opType == "Where" ? inputs[1]?.dtype : first?.dtype), dims)
        case "MatMul", "MatMulInteger":
            guard inputs.count >= 2, let a = inputs[0]?.dims, let b = inputs[1]?.dims, let dims = Self.matmul(a, b) else { return }
            set(0, node.opType == "MatMulInteger" ? .int32 : first?.dtype, dims)
        case "Gemm":
            guard inputs.count >= 2, let a = inputs[0]?.dims, let b = inputs[1]?.dims, a.count == 2, b.count == 2 else { return }
            set(0, first?.dtype, [int("transA") == 1 ? a[1] : a[0], int("transB") == 1 ? b[0] : b[1]])
        case "Conv", "ConvInteger", "MaxPool", "AveragePool", "LpPool":
            guard let x = first?.dims, x.count >= 3 else { return }
            let weights = node.opType.hasPrefix("Conv") ? (inputs.count > 1 ? inputs[1]?.dims : nil) : nil
            let kernel = ints("kernel_shape") ?? weights.map { Array($0.dropFirst(2)).compactMap { if case let .value(v) = $0 { v } else { nil } } }
            guard let kernel, kernel.count == x.count - 2 else { return }
            let channels: ONNXDimension = weights.map { $0[0] } ?? x[1]
            var spatial = [ONNXDimension]()
            let strides = ints("strides") ?? [Int](repeating: 1, count: kernel.count)
            let dilations = ints("dilations") ?? [Int](repeating: 1, count: kernel.count)
            let pads = ints("pads") ?? [Int](repeating: 0, count: 2 * kernel.count)
            let autoPad = node.string("auto_pad") ?? "NOTSET"
            let ceil = int("ceil_mode") == 1
            for d in 0..<kernel.count {
                guard case let .value(size) = x[d + 2], strides.count == kernel.count, pads.count == 2 * kernel.count else { spatial.append(.unknown); continue }
                let extent = (kernel[d] - 1) * dilations[d] + 1
                switch autoPad {
                case "SAME_UPPER", "SAME_LOWER": spatial.append(.value((size + strides[d] - 1) / strides[d]))
                case "VALID": spatial.append(.value((size - extent) / strides[d] + 1))
                default:
                    let span = size + pads[d] + pads[d + kernel.count] - extent
                    var out = (ceil ? (span + strides[d] - 1) / strides[d] : span / strides[d]) + 1
                    if ceil, (out - 1) * strides[d] >= size + pads[d] { out -= 1 }
                    spatial.append(.value(out))
                }
            }
            set(0, node.opType == "ConvInteger" ? .int32 : first?.dtype, [x[0], channels] + spatial)
        case "GlobalAveragePool", "GlobalMaxPool":
            guard let x = first?.dims, x.count >= 3 else { return }
            set(0, first?.dtype, Array(x.prefix(2)) + [ONNXDimension](repeating: .value(1), count: x.count - 2))
        case "Flatten":
            guard let x = first?.dims, let split = axis(int("axis") ?? 1, rank: x.count) else { return }
            set(0, first?.dtype, [Self.product(Array(x[..<split])), Self.product(Array(x[split...]))])
        case "Transpose":
            guard let x = first?.dims else { return }
            let perm = ints("perm") ?? Array((0..<x.count).reversed())
            guard perm.count == x.count, perm.allSatisfy({ $0 >= 0 && $0 < x.count }) else { return }
            set(0, first?.dtype, perm.map { x[$0] })
        case "Reshape":
            guard let x = first?.dims, let target = content(1) else { return }
            set(0, first?.dtype, Self.reshape(x, to: target, allowZero: int("allowzero") == 1))
        case "Shape":
            guard let x = first?.dims else { return }
            let start = axis(int("start") ?? 0, rank: x.count) ?? 0, end = axis(int("end") ?? x.count, rank: x.count) ?? x.count
            let slice = start < end ? Array(x[start..<end]) : []
            set(0, .int64, [.value(slice.count)])
            contents[node.outputs[0]] = slice
        case "Gather":
            guard inputs.count >= 2, let data = inputs[0]?.dims, let indices = inputs[1]?.dims,
                  let at = axis(int("axis") ?? 0, rank: data.count), at < data.count else { return }
            set(0, first?.dtype, Array(data[..<at]) + indices + Array(data[(at + 1)...]))
            if let values = content(0), at == 0, let picks = numbers(1) {
                let resolved = picks.map { $0 < 0 ? $0 + values.count : $0 }
                if resolved.allSatisfy({ $0 >= 0 && $0 < values.count }) { contents[node.outputs[0]] = resolved.map { values[$0] } }
            }
        case "Unsqueeze", "Squeeze":
            guard let x = first?.dims else { return }
            let axes = opset >= 13 ? numbers(1) : ints("axes")
            if node.opType == "Unsqueeze" {
                guard let axes else { return }
                let rank = x.count + axes.count
                let resolved = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
                guard resolved.count == axes.count, resolved.allSatisfy({ $0 >= 0 && $0 < rank }) else { return }
                var dims = [ONNXDimension](), source = x.makeIterator()
                for d in 0..<rank { dims.append(resolved.contains(d) ? .value(1) : (source.next() ?? .unknown)) }
                set(0, first?.dtype, dims)
                contents[node.outputs[0]] = content(0)
            } else {
                let drop = axes.map { Set($0.compactMap { axis($0, rank: x.count) }) } ?? Set(x.indices.filter { x[$0] == .value(1) })
                set(0, first?.dtype, x.indices.filter { !drop.contains($0) }.map { x[$0] })
                contents[node.outputs[0]] = content(0)
            }
        case "Concat":
            guard inputs.allSatisfy({ $0 != nil }), let x = first?.dims, let at = axis(int("axis") ?? 0, rank: x.count), at < x.count else { return }
            var dims = x
            dims[at] = Self.sum(inputs.compactMap { $0?.dims[at] })
            set(0, first?.dtype, dims)
            let parts = node.inputs.indices.map(content)
            if parts.allSatisfy({ $0 != nil }) { contents[node.outputs[0]] = parts.flatMap { $0! } }
        case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare",
             "ReduceLogSum", "ReduceLogSumExp", "ArgMax", "ArgMin":
            guard let x = first?.dims else { return }
            let arg = node.opType.hasPrefix("Arg")
            let axesInput = !arg && ((node.opType == "ReduceSum" && opset >= 13) || opset >= 18)
            let axes = arg ? [int("axis") ?? 0] : (axesInput ? (node.inputs.count > 1 ? numbers(1) : []) : (ints("axes") ?? []))
            guard let axes else { return }
            let resolved = Set(axes.compactMap { axis($0, rank: x.count) })
            let all = resolved.isEmpty && !arg && int("noop_with_empty_axes") != 1
            let keep = (int("keepdims") ?? 1) == 1
            var dims = [ONNXDimension]()
            for d in x.indices {
                if all || resolved.contains(d) { if keep { dims.append(.value(1)) } } else { dims.append(x[d]) }
            }
            set(0, arg ? .int64 : first?.dtype, dims)
        case "DynamicQuantizeLinear":
            set(0, .uint8, first?.dims)
            set(1, .float32, [])
            set(2, .uint8, [])
        case "QuantizeLinear":
            set(0, (inputs.count > 2 ? inputs[2]?.dtype : nil) ?? .uint8, first?.dims)
        case "DequantizeLinear":
            set(0, .float32, first?.dims)
        case "LinearClassifier", "SVMClassifier", "TreeEnsembleClassifier":
            guard let x = first?.dims, let rows = x.first else { return }
            let strings = node.strings("classlabels_strings")
            let classes = strings?.count ?? ints("classlabels_ints")?.count ?? 0
            set(0, strings == nil ? .int64 : .string, [rows])
            if classes > 0 { set(1, .float32, [rows, .value(classes)]) }
        case "LinearRegressor", "SVMRegressor", "TreeEnsembleRegressor":
            guard let x = first?.dims, let rows = x.first else { return }
            set(0, .float32, [rows, .value(int("targets") ?? int("n_targets") ?? 1)])
        default:
            return
        }
    }

    // MARK: Dimension arithmetic

    /// numpy broadcasting of several shapes; nil when two known sizes conflict.
    static func broadcast(_ shapes: [[ONNXDimension]]) -> [ONNXDimension]? {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [ONNXDimension]()
        for d in 0..<rank {
            var dim: ONNXDimension = .value(1)
            for shape in shapes {
                let offset = d - (rank - shape.count)
                guard offset >= 0 else { continue }
                let other = shape[offset]
                switch (dim, other) {
                case (.value(1), _): dim = other
                case (_, .value(1)): break
                case let (.value(a), .value(b)): if a != b { return nil }
                case let (.symbol(a), .symbol(b)): if a != b { dim = .unknown }
                case (.value, .symbol), (.value, .unknown): break
                case (.symbol, .value), (.unknown, .value): dim = other
                default: dim = .unknown
                }
            }
            result.append(dim)
        }
        return result
    }

    static func matmul(_ a: [ONNXDimension], _ b: [ONNXDimension]) -> [ONNXDimension]? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let left = a.count == 1 ? [.value(1)] + a : a, right = b.count == 1 ? b + [.value(1)] : b
        guard let batch = broadcast([Array(left.dropLast(2)), Array(right.dropLast(2))]) else { return nil }
        var dims = batch + [left[left.count - 2], right[right.count - 1]]
        if b.count == 1 { dims.removeLast() }
        if a.count == 1 { dims.remove(at: dims.count - (b.count == 1 ? 1 : 2)) }
        return dims
    }

    /// Product of dimensions: known sizes multiply; one symbol times ones stays that symbol.
    static func product(_ dims: [ONNXDimension]) -> ONNXDimension {
        var total = 1, symbol: ONNXDimension? = nil
        for dim in dims {
            switch dim {
            case let .value(v): total *= v
            case .symbol: if symbol != nil { return .unknown }; symbol = dim
            case .unknown: return .unknown
            }
        }
        guard let symbol else { return .value(total) }
        return total == 1 ? symbol : .unknown
    }

    static func sum(_ dims: [ONNXDimension]) -> ONNXDimension {
        var total = 0
        for dim in dims { guard case let .value(v) = dim else { return .unknown }; total += v }
        return .value(total)
    }

    /// Reshape's output: `0` copies the input axis (unless `allowzero`), one `-1` is solved by
    /// cancelling equal symbols between input and target and dividing the known sizes.
    static func reshape(_ input: [ONNXDimension], to target: [ONNXDimension], allowZero: Bool) -> [ONNXDimension]? {
        var dims = target.enumerated().map { index, dim -> ONNXDimension in
            if case .value(0) = dim, !allowZero { return index < input.count ? input[index] : .unknown }
            return dim
        }
        guard let hole = dims.firstIndex(of: .value(-1)) else { return dims }
        var inputSymbols = [String](), inputTotal = 1
        for dim in input {
            switch dim {
            case let .value(v): inputTotal *= v
            case let .symbol(s): inputSymbols.append(s)
            case .unknown: dims[hole] = .unknown; return dims
            }
        }
        var known = 1
        for (index, dim) in dims.enumerated() where index != hole {
            switch dim {
            case let .value(v): known *= v
            case let .symbol(s):
                guard let found = inputSymbols.firstIndex(of: s) else { dims[hole] = .unknown; return dims }
                inputSymbols.remove(at: found)
            case .unknown: dims[hole] = .unknown; return dims
            }
        }
        guard known > 0, inputTotal % known == 0 else { return nil }
        let ratio = inputTotal / known
        if inputSymbols.isEmpty { dims[hole] = .value(ratio) } else if inputSymbols.count == 1, ratio == 1 { dims[hole] = .symbol(inputSymbols[0]) } else { dims[hole] = .unknown }
        return dims
    }
}
