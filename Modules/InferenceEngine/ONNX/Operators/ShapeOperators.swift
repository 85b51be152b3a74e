import Foundation

/// Element moves that work for every dtype (strings included): gather by flat index, scatter.
enum ElementCopy {
    /// A new tensor of `shape` whose element `i` is `source`'s row-major element `positions[i]`.
    static func take(_ source: Tensor, positions: [Int], shape: [Int]) throws -> Tensor {
        let flat = try source.contiguous()
        if flat.dtype == .string {
            let strings = try flat.strings()
            return try Tensor(shape: shape, strings: positions.map { strings[$0] })
        }
        let result = try Tensor(zeros: shape, dtype: flat.dtype)
        let size = flat.dtype.byteSize
        let from = flat.storage.bytes + flat.offset * size, to = result.storage.bytes
        switch size {
        case 4:
            let s = from.assumingMemoryBound(to: UInt32.self), d = to.assumingMemoryBound(to: UInt32.self)
            for (i, p) in positions.enumerated() { d[i] = s[p] }
        case 8:
            let s = from.assumingMemoryBound(to: UInt64.self), d = to.assumingMemoryBound(to: UInt64.self)
            for (i, p) in positions.enumerated() { d[i] = s[p] }
        default:
            for (i, p) in positions.enumerated() { memcpy(to + i * size, from + p * size, size) }
        }
        return result
    }

    /// `data` with element `positions[i]` replaced by `updates`' element `i` (optionally reduced).
    static func put(_ data: Tensor, positions: [Int], updates: Tensor, reduction: String = "none") throws -> Tensor {
        if reduction != "none" {
            var values = try Numbers(data).doubles
            let update = try Numbers(updates).doubles
            for (i, p) in positions.enumerated() {
                switch reduction {
                case "add": values[p] += update[i]
                case "mul": values[p] *= update[i]
                case "max": values[p] = max(values[p], update[i])
                case "min": values[p] = min(values[p], update[i])
                default: throw TensorError(.invalidShape, "unknown reduction \(reduction)")
                }
            }
            if case .int = try Numbers(data) {
                return try Numbers.int(values.map { Int64($0) }).tensor(shape: data.shape, dtype: data.dtype)
            }
            return try Numbers.double(values).tensor(shape: data.shape, dtype: data.dtype)
        }
        let result = try data.contiguous(forceCopy: true)
        let source = try updates.contiguous()
        if data.dtype == .string {
            var strings = try result.strings()
            let new = try source.strings()
            for (i, p) in positions.enumerated() { strings[p] = new[i] }
            return try Tensor(shape: data.shape, strings: strings)
        }
        let size = data.dtype.byteSize
        for (i, p) in positions.enumerated() {
            memcpy(result.storage.bytes + p * size, source.storage.bytes + (source.offset + i) * size, size)
        }
        return result
    }
}

enum ShapeOperators {
    static func normalize(_ index: Int, _ size: Int, _ context: OperatorContext) throws -> Int {
        let resolved = index < 0 ? index + size : index
        guard resolved >= 0, resolved < size else { throw context.fail("index \(index) is out of range for size \(size)") }
        return resolved
    }

    static func reshapeTarget(_ input: [Int], _ requested: [Int], allowZero: Bool, _ c: OperatorContext) throws -> [Int] {
        var shape = requested
        for (i, d) in shape.enumerated() where d == 0 && !allowZero {
            guard i < input.count else { throw c.fail("shape \(requested) copies axis \(i) that the input \(input) lacks") }
            shape[i] = input[i]
        }
        let total = input.reduce(1, *)
        if let unknown = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
            guard known > 0, total % known == 0 else { throw c.fail("cannot reshape \(input) to \(requested)") }
            shape[unknown] = total / known
        }
        guard shape.reduce(1, *) == total, shape.allSatisfy({ $0 >= 0 }) else { throw c.fail("cannot reshape \(input) to \(requested)") }
        return shape
    }

    static func unsqueezed(_ shape: [Int], axes: [Int], _ c: OperatorContext) throws -> [Int] {
        let rank = shape.count + axes.count
        let resolved = try Set(axes.map { try c.axis($0, rank: rank) })
        guard resolved.count == axes.count else { throw c.fail("repeated axes \(axes)") }
        var result = [Int]()
        var source = shape.makeIterator()
        for axis in 0..<rank { result.append(resolved.contains(axis) ? 1 : (source.next() ?? 1)) }
        return result
    }

    /// Row-major flat positions of every element of a tensor of `shape` (strides `strides`).
    static func positions(shape: [Int], strides: [Int], offset: Int = 0) -> [Int] {
        let count = shape.reduce(1, *)
        var result = [Int](repeating: 0, count: count)
        guard count > 0 else { return result }
        var index = [Int](repeating: 0, count: shape.count)
        var position = offset
        for i in 0..<count {
            result[i] = position
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                position += strides[axis]
                if index[axis] < shape[axis] { break }
                position -= strides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    static let definitions: [OperatorDefinition] = [
        OperatorDefinition("Reshape") { c in
            let x = try c.tensor(0)
            let requested = c.opset < 5 ? (c.ints("shape") ?? []) : (try c.intValues(1) ?? [])
            return [.tensor(try x.contiguous().reshaped(reshapeTarget(x.shape, requested, allowZero: c.int("allowzero", default: 0) == 1, c)))]
        },
        OperatorDefinition("Flatten") { c in
            let x = try c.tensor(0)
            // Flatten's axis may equal the rank (everything in the outer dimension): range [-r, r].
            let raw = c.int("axis", default: 1)
            let axis = raw < 0 ? raw + x.rank : raw
            guard axis >= 0, axis <= x.rank else { throw c.fail("axis \(raw) is out of range for rank \(x.rank)") }
            let outer = x.shape[..<axis].reduce(1, *)
            return [.tensor(try x.contiguous().reshaped([outer, x.count / max(outer, 1)]))]
        },
        OperatorDefinition("Squeeze") { c in
            let x = try c.tensor(0)
            let axes = c.opset < 13 ? c.ints("axes") : try c.intValues(1)
            var shape = x.shape
            if let axes {
                let resolved = try Set(axes.map { try c.axis($0, rank: x.rank) })
                for axis in resolved where x.shape[axis] != 1 { throw c.fail("cannot squeeze axis \(axis) of size \(x.shape[axis])") }
                shape = x.shape.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
            } else {
                shape = x.shape.filter { $0 != 1 }
            }
            return [.tensor(try x.contiguous().reshaped(shape))]
        },
        OperatorDefinition("Unsqueeze") { c in
            let x = try c.tensor(0)
            guard let axes = c.opset < 13 ? c.ints("axes") : try c.intValues(1) else { throw c.fail("axes are required") }
            return [.tensor(try x.contiguous().reshaped(unsqueezed(x.shape, axes: axes, c)))]
        },
        OperatorDefinition("Transpose") { c in
            let x = try c.tensor(0)
            let perm = c.ints("perm") ?? Array((0..<x.rank).reversed())
            return [.tensor(try x.permuted(perm).contiguous())]
        },
        OperatorDefinition("Concat", single: { c in
            let parts = try (0..<c.inputCount).map { try c.tensor($0) }
            guard let first = parts.first else { throw c.fail("needs at least one input") }
            let axis = try c.axis(c.int("axis", default: 0), rank: first.rank)
            var shape = first.shape
            shape[axis] = 0
            for part in parts {
                guard part.rank == first.rank, part.dtype == first.dtype else { throw c.fail("inputs differ in rank or dtype") }
                for d in 0..<part.rank where d != axis && part.shape[d] != first.shape[d] {
                    throw c.fail("input shapes \(first.shape) and \(part.shape) differ outside axis \(axis)")
                }
                shape[axis] += part.shape[axis]
            }
            if first.dtype == .string {
                let outer = shape[..<axis].reduce(1, *)
                var strings = [String]()
                let blocks = try parts.map { try $0.strings() }
                for o in 0..<outer {
                    for (i, part) in parts.enumerated() {
                        let inner = part.shape[axis...].reduce(1, *)
                        strings += blocks[i][(o * inner)..<((o + 1) * inner)]
                    }
                }
                return .tensor(try Tensor(shape: shape, strings: strings))
            }
            // every byte is written below (the parts tile the output along the axis)
            let result = try Tensor(uninitialized: shape, dtype: first.dtype)
            let size = first.dtype.byteSize
            let outer = shape[..<axis].reduce(1, *)
            let innerOut = shape[axis...].reduce(1, *) * size
            var column = 0
            for part in parts {
                let flat = try part.contiguous()
                let inner = part.shape[axis...].reduce(1, *) * size
                for o in 0..<outer where inner > 0 {
                    memcpy(result.storage.bytes + o * innerOut + column, flat.storage.bytes + flat.offset * size + o * inner, inner)
                }
                column += inner
            }
            return .tensor(result)
        }),
        OperatorDefinition("Split") { c in
            let x = try c.tensor(0)
            let axis = try c.axis(c.int("axis", default: 0), rank: x.rank)
            var sizes = c.opset < 13 ? c.ints("split") : try c.intValues(1)
            let count = c.outputCount
            if sizes == nil {
                let parts = c.int("num_outputs") ?? count
                let chunk = (x.shape[axis] + parts - 1) / max(parts, 1)
                sizes = (0..<parts).map { min(chunk, max(x.shape[axis] - $0 * chunk, 0)) }
            }
            guard let sizes, sizes.reduce(0, +) == x.shape[axis] else { throw c.fail("split sizes do not add up to \(x.shape[axis])") }
            var start = 0
            var outputs = [ONNXValue?]()
            for size in sizes {
                outputs.append(.tensor(try x.sliced(axis: axis, start: start, end: start + size).contiguous(forceCopy: true)))
                start += size
            }
            return outputs
        },
        OperatorDefinition("Slice") { c in
            let x = try c.tensor(0)
            let starts: [Int], ends: [Int], axesIn: [Int]?, stepsIn: [Int]?
            if c.opset < 10 {
                starts = c.ints("starts") ?? []; ends = c.ints("ends") ?? []; axesIn = c.ints("axes"); stepsIn = nil
            } else {
                starts = try c.intValues(1) ?? []; ends = try c.intValues(2) ?? []; axesIn = try c.intValues(3); stepsIn = try c.intValues(4)
            }
            let axes = axesIn ?? Array(0..<starts.count)
            let steps = stepsIn ?? [Int](repeating: 1, count: starts.count)
            guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else { throw c.fail("starts, ends, axes and steps differ in length") }
            var view = x
            for i in 0..<axes.count {
                let axis = try c.axis(axes[i], rank: x.rank)
                let size = x.shape[axis], step = steps[i]
                guard step != 0 else { throw c.fail("step 0") }
                func clampStart(_ v: Int) -> Int {
                    let r = v < 0 ? v + size : v
                    return step > 0 ? min(max(r, 0), size) : min(max(r, -1), size - 1)
                }
                let begin = clampStart(starts[i]), end = clampStart(ends[i] < -size - 1 && step < 0 ? -size - 1 : ends[i])
                if step > 0 {
                    view = try view.sliced(axis: axis, start: begin, end: max(end, begin), step: step)
                } else {
                    // Negative steps: build positions explicitly.
                    let picks = Swift.stride(from: begin, to: end, by: step).map { $0 }
                    view = try gather(view, axis: axis, indices: picks)
                }
            }
            return [.tensor(try view.contiguous(forceCopy: true))]
        },
        OperatorDefinition("Gather") { c in
            let x = try c.tensor(0), indicesTensor = try c.tensor(1)
            let axis = try c.axis(c.int("axis", default: 0), rank: x.rank)
            let indices = try CoreIndices.values(indicesTensor, size: x.shape[axis], c)
            let gathered = try gather(x, axis: axis, indices: indices)
            var shape = Array(x.shape[..<axis]) + indicesTensor.shape + Array(x.shape[(axis + 1)...])
            if shape.isEmpty { shape = [] }
            return [.tensor(try gathered.reshaped(shape))]
        },
        OperatorDefinition("GatherElements") { c in
            let x = try c.tensor(0), indicesTensor = try c.tensor(1)
            let axis = try c.axis(c.int("axis", default: 0), rank: x.rank)
            let indices = try CoreIndices.values(indicesTensor, size: x.shape[axis], c)
            let positions = elementPositions(indices, indicesShape: indicesTensor.shape, dataShape: x.shape, axis: axis)
            return [.tensor(try ElementCopy.take(x, positions: positions, shape: indicesTensor.shape))]
        },
        OperatorDefinition("ScatterElements") { c in
            let x = try c.tensor(0), indicesTensor = try c.tensor(1), updates = try c.tensor(2)
            let axis = try c.axis(c.int("axis", default: 0), rank: x.rank)
            let indices = try CoreIndices.values(indicesTensor, size: x.shape[axis], c)
            let positions = elementPositions(indices, indicesShape: indicesTensor.shape, dataShape: x.shape, axis: axis)
            return [.tensor(try ElementCopy.put(x, positions: positions, updates: updates, reduction: c.string("reduction", default: "none")))]
        },
        OperatorDefinition("Scatter") { c in
            let x = try c.tensor(0), indicesTensor = try c.tensor(1), updates = try c.tensor(2)
            let axis = try c.axis(c.int("axis", default: 0), rank: x.rank)
            let indices = try CoreIndices.values(indicesTensor, size: x.shape[axis], c)
            let positions = elementPositions(indices, indicesShape: indicesTensor.shape, dataShape: x.shape, axis: axis)
            return [.tensor(try ElementCopy.put(x, positions: positions, updates: updates))]
        },
        OperatorDefinition("GatherND") { c in
            let x = try c.tensor(0), indicesTensor = try c.tensor(1)
            let batchDims = c.int("batch_dims", default: 0)
            let k = indicesTensor.shape.last ?? 0
            let raw = try CoreIndices.raw(indicesTensor, c)
            let batchShape = Array(x.shape[..<batchDims])
            let batch = batchShape.reduce(1, *)
            let sliceShape = Array(x.shape[(batchDims + k)...])
            let slice = sliceShape.reduce(1, *)
            let xStrides = Tensor.contiguousStrides(for: x.shape)
            let tuples = raw.count / max(k, 1)
            let perBatch = tuples / max(batch, 1)
            var positions = [Int]()
            positions.reserveCapacity(tuples * slice)
            for t in 0..<tuples {
                let b = t / max(perBatch, 1)
                var base = 0, rest = b
                for d in stride(from: batchDims - 1, through: 0, by: -1) {
                    base += (rest % x.shape[d]) * xStrides[d]
                    rest /= x.shape[d]
                }
                for j in 0..<k {
                    let axis = batchDims + j
                    base += try normalize(raw[t * k + j], x.shape[axis], c) * xStrides[axis]
                }
                for s in 0..<slice { positions.append(base + s) }
            }
            let shape = Array(indicesTensor.shape.dropLast()) + sliceShape
            return [.tensor(try ElementCopy.take(x, positions: positions, shape: shape))]
        },
        OperatorDefinition("ScatterND") { c in
            let x = try c.tensor(0), indicesTensor = try c.tensor(1), updates = try c.tensor(2)
            let k = indicesTensor.shape.last ?? 0
            let raw = try CoreIndices.raw(indicesTensor, c)
            let slice = x.shape[k...].reduce(1, *)
            let xStrides = Tensor.contiguousStrides(for: x.shape)
            var positions = [Int]()
            for t in 0..<(raw.count / max(k, 1)) {
                var base = 0
                for j in 0..<k { base += try normalize(raw[t * k + j], x.shape[j], c) * xStrides[j] }
                for s in 0..<slice { positions.append(base + s) }
            }
            return [.tensor(try ElementCopy.put(x, positions: positions, updates: updates, reduction: c.string("reduction", default: "none")))]
        },
        OperatorDefinition("Shape") { c in
            let x = try c.tensor(0)
            let rank = x.rank
            func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
            let start = clamp(c.int("start", default: 0)), end = clamp(c.int("end", default: rank))
            let dims = start < end ? Array(x.shape[start..<end]) : []
            return [.tensor(try Tensor(shape: [dims.count], scalars: dims.map { Int64($0) }))]
        },
        OperatorDefinition("Size") { c in [.tensor(try Tensor(shape: [], scalars: [Int64(c.tensor(0).count)]))] },
        OperatorDefinition("Expand") { c in
            let x = try c.tensor(0)
            let shape = try Broadcasting.shape([x.shape, c.intValues(1) ?? []])
            return [.tensor(try x.broadcast(to: shape).contiguous())]
        },
        OperatorDefinition("Tile") { c in
            let x = try c.tensor(0)
            guard let repeats = try c.intValues(1), repeats.count == x.rank else { throw c.fail("repeats must have one value per axis") }
            let shape = zip(x.shape, repeats).map { $0 * $1 }
            let xStrides = Tensor.contiguousStrides(for: x.shape)
            let positions = ShapeOperators.positions(shape: shape, strides: Tensor.contiguousStrides(for: shape)).map { flat -> Int in
                var rest = flat, position = 0
                let outStrides = Tensor.contiguousStrides(for: shape)
                for d in 0..<shape.count {
                    position += ((rest / outStrides[d]) % x.shape[d]) * xStrides[d]
                    rest %= outStrides[d]
                }
                return position
            }
            return [.tensor(try ElementCopy.take(x, positions: positions, shape: shape))]
        },
        OperatorDefinition("Range") { c in
            let start = try c.tensor(0), limit = try c.tensor(1), delta = try c.tensor(2)
            let s = try Numbers(start).doubles[0], l = try Numbers(limit).doubles[0], d = try Numbers(delta).doubles[0]
            guard d != 0 else { throw c.fail("delta is 0") }
            let count = max(Int((((l - s) / d)).rounded(.up)), 0)
            if case .int = try Numbers(start) {
                let si = try Numbers(start).int64s[0], di = try Numbers(delta).int64s[0]
                return [.tensor(try Numbers.int((0..<count).map { si + Int64($0) * di }).tensor(shape: [count], dtype: start.dtype))]
            }
            if start.dtype == .float32 {
                let sf = Float(s), df = Float(d)
                var values = [Float](), v = sf
                for _ in 0..<count { values.append(v); v += df }
                return [.tensor(try Tensor(shape: [count], scalars: values))]
            }
            return [.tensor(try Numbers.double((0..<count).map { s + Double($0) * d }).tensor(shape: [count], dtype: start.dtype))]
        },
        OperatorDefinition("ConstantOfShape") { c in
            let shape = try c.intValues(0) ?? []
            let value = try c.tensorAttribute("value") ?? Tensor(shape: [1], scalars: [Float(0)])
            return [.tensor(try value.reshaped([]).broadcast(to: shape).contiguous(forceCopy: true))]
        },
        OperatorDefinition("Constant") { c in
            if let t = c.tensorAttribute("value") { return [.tensor(t)] }
            if let v = c.float("value_float"), c.node.attributes["value_float"] != nil { return [.tensor(try Tensor(shape: [], scalars: [v]))] }
            if let v = c.floats("value_floats") { return [.tensor(try Tensor(shape: [v.count], scalars: v))] }
            if let v = c.int("value_int") { return [.tensor(try Tensor(shape: [], scalars: [Int64(v)]))] }
            if let v = c.ints("value_ints") { return [.tensor(try Tensor(shape: [v.count], scalars: v.map { Int64($0) }))] }
            if let v = c.string("value_string") { return [.tensor(try Tensor(shape: [], strings: [v]))] }
            if let v = c.strings("value_strings") { return [.tensor(try Tensor(shape: [v.count], strings: v))] }
            throw c.fail("has no value attribute")
        },
        OperatorDefinition("Pad") { c in
            let x = try c.tensor(0)
            let mode = c.string("mode", default: "constant")
            var pads = c.opset < 11 ? (c.ints("pads") ?? c.ints("paddings") ?? []) : (try c.intValues(1) ?? [])
            let constant = c.opset < 11 ? Double(c.float("value", default: 0)) : (try c.optionalTensor(2).map { try Numbers($0).doubles.first ?? 0 } ?? 0)
            if let axes = c.opset >= 18 ? try c.intValues(3) : nil {
                var full = [Int](repeating: 0, count: 2 * x.rank)
                for (i, a) in axes.enumerated() {
                    let axis = try c.axis(a, rank: x.rank)
                    full[axis] = pads[i]; full[axis + x.rank] = pads[i + axes.count]
                }
                pads = full
            }
            guard pads.count == 2 * x.rank else { throw c.fail("pads must have 2 x rank values") }
            let shape = (0..<x.rank).map { x.shape[$0] + pads[$0] + pads[$0 + x.rank] }
            let xStrides = Tensor.contiguousStrides(for: x.shape)
            let values = try Numbers(x).doubles
            var out = [Double](repeating: constant, count: shape.reduce(1, *))
            let outStrides = Tensor.contiguousStrides(for: shape)
            for flat in 0..<out.count {
                var rest = flat, source = 0, inside = true
                for d in 0..<shape.count {
                    var i = rest / outStrides[d] - pads[d]
                    rest %= outStrides[d]
                    let n = x.shape[d]
                    if i < 0 || i >= n {
                        switch mode {
                        case "reflect": guard n > 1 else { i = 0; break }
                            while i < 0 || i >= n { i = i < 0 ? -i : 2 * (n - 1) - i }
                        case "edge": i = min(max(i, 0), n - 1)
                        case "wrap": i = ((i % n) + n) % n
                        default: inside = false
                        }
                    }
                    source += i * xStrides[d]
                }
                if inside, source >= 0, source < values.count { out[flat] = values[source] }
            }
            return [.tensor(try Numbers.double(out).tensor(shape: shape, dtype: x.dtype))]
        },
        OperatorDefinition("OneHot") { c in
            let indices = try Numbers(c.tensor(0)).doubles
            let depth = Int(try Numbers(c.tensor(1)).doubles[0])
            let values = try c.tensor(2)
            let pair = try Numbers(values).doubles
            let inShape = try c.tensor(0).shape
            let axis = try c.axis(c.int("axis", default: -1), rank: inShape.count + 1)
            let shape = Array(inShape[..<axis]) + [depth] + Array(inShape[axis...])
            let inner = inShape[axis...].reduce(1, *)
            var out = [Double](repeating: pair[0], count: shape.reduce(1, *))
            for (flat, raw) in indices.enumerated() {
                var index = Int(raw)
                if index < 0 { index += depth }
                guard index >= 0, index < depth else { continue }
                let outer = flat / max(inner, 1), rest = flat % max(inner, 1)
                out[(outer * depth + index) * inner + rest] = pair[1]
            }
            return [.tensor(try Numbers.double(out).tensor(shape: shape, dtype: values.dtype))]
        },
        OperatorDefinition("NonZero") { c in
            let x = try c.tensor(0)
            let values = try Numbers(x).doubles
            let strides = Tensor.contiguousStrides(for: x.shape)
            let hits = values.indices.filter { values[$0] != 0 }
            var out = [Int64](repeating: 0, count: x.rank * hits.count)
            for (j, flat) in hits.enumerated() {
                var rest = flat
                for d in 0..<x.rank { out[d * hits.count + j] = Int64(rest / strides[d]); rest %= strides[d] }
            }
            return [.tensor(try Tensor(shape: [x.rank, hits.count], scalars: out))]
        },
        OperatorDefinition("Trilu") { c in
            let x = try c.tensor(0)
            let k = try c.intValues(1)?.first ?? 0
            let upper = c.int("upper", default: 1) == 1
            let rows = x.shape[x.rank - 2], cols = x.shape[x.rank - 1]
            var kept = [Int]()
            for flat in 0..<x.count {
                let i = (flat / cols) % rows, j = flat % cols
                if upper ? j - i >= k : j - i <= k { kept.append(flat) }
            }
            let values = try ElementCopy.take(x, positions: kept, shape: [kept.count])
            let zero = try Tensor(zeros: x.shape, dtype: x.dtype)
            let result = try ElementCopy.put(zero, positions: kept, updates: values)
            return [.tensor(result)]
        },
    ]

    /// Flat positions in a row-major tensor of `dataShape` for GatherElements/ScatterElements:
    /// element `i` of the index tensor addresses its own coordinates with `axis` replaced by its value.
    static func elementPositions(_ indices: [Int], indicesShape: [Int], dataShape: [Int], axis: Int) -> [Int] {
        let xStrides = Tensor.contiguousStrides(for: dataShape), iStrides = Tensor.contiguousStrides(for: indicesShape)
        return indices.enumerated().map { flat, index -> Int in
            var position = 0, rest = flat
            for d in 0..<indicesShape.count {
                let coordinate = rest / iStrides[d]
                rest %= iStrides[d]
                position += (d == axis ? index : coordinate) * xStrides[d]
            }
            return position
        }
    }

    /// `x` with `indices` picked along `axis` (the axis keeps its place, sized `indices.count`).
    static func gather(_ x: Tensor, axis: Int, indices: [Int]) throws -> Tensor {
        let outer = x.shape[..<axis].reduce(1, *)
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let size = x.shape[axis]
        var positions = [Int]()
        positions.reserveCapacity(outer * indices.count * inner)
        for o in 0..<outer {
            for index in indices {
                let base = (o * size + index) * inner
                for i in 0..<inner { positions.append(base + i) }
            }
        }
        var shape = x.shape
        shape[axis] = indices.count
        return try ElementCopy.take(x, positions: positions, shape: shape)
    }
}

/// Index tensors (int32/int64) read and range-checked, negative values wrapped.
enum CoreIndices {
    static func raw(_ t: Tensor, _ c: OperatorContext) throws -> [Int] {
        try OperatorContext.ints(of: t, fail: c.fail)
    }

    static func values(_ t: Tensor, size: Int, _ c: OperatorContext) throws -> [Int] {
        try raw(t, c).map { try ShapeOperators.normalize($0, size, c) }
    }
}
