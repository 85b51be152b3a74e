#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Zero-copy views: each returns a tensor sharing `storage`, with new shape/strides/offset.
extension Tensor {
    /// Same elements with a new shape (one dimension may be -1). A view when the layout allows
    /// it (contiguous), otherwise a contiguous copy.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let inferred = newShape.filter { $0 == -1 }.count
        guard inferred <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError(.invalidShape, "reshaped: invalid shape \(newShape)")
        }
        var resolved = newShape
        if inferred == 1 {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw TensorError(.shapeMismatch, "reshaped: cannot reshape \(shape) into \(newShape)")
            }
            resolved = newShape.map { $0 == -1 ? count / known : $0 }
        }
        guard try Self.elementCount(resolved, operation: "reshaped") == count else {
            throw TensorError(.shapeMismatch, "reshaped: cannot reshape \(shape) (\(count) elements) into \(newShape)")
        }
        let source = isContiguous ? self : try contiguous()
        return Tensor(dtype: dtype, shape: resolved, strides: Self.contiguousStrides(for: resolved),
                      offset: source.offset, storage: source.storage)
    }

    /// Axes reordered: axis `i` of the result is axis `axes[i]` of this tensor.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw TensorError(.invalidShape, "permuted: \(axes) is not a permutation of the \(rank) axes")
        }
        return Tensor(dtype: dtype, shape: axes.map { shape[$0] }, strides: axes.map { strides[$0] },
                      offset: offset, storage: storage)
    }

    /// The last two axes swapped (a rank-1 tensor is returned unchanged).
    public func transposed() -> Tensor {
        guard rank >= 2 else { return self }
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return Tensor(dtype: dtype, shape: axes.map { shape[$0] }, strides: axes.map { strides[$0] },
                      offset: offset, storage: storage)
    }

    /// Elements `start..<end` by `step` along `axis` (Python slice semantics for negative
    /// `start`/`end`, clamped to the axis; `step` must be positive).
    public func sliced(axis: Int, start: Int, end: Int, step: Int = 1) throws -> Tensor {
        guard axis >= 0, axis < rank else { throw TensorError(.indexOutOfRange, "sliced: axis \(axis) out of range for rank \(rank)") }
        guard step > 0 else { throw TensorError(.invalidShape, "sliced: step must be positive, got \(step)") }
        let size = shape[axis]
        func clamp(_ value: Int) -> Int { min(max(value < 0 ? value + size : value, 0), size) }
        let lower = clamp(start), upper = clamp(end)
        let length = upper > lower ? (upper - lower + step - 1) / step : 0
        var view = self
        view.shape[axis] = length
        view.strides[axis] = strides[axis] * step
        if length > 0 { view.offset += lower * strides[axis] }
        return view
    }

    /// A view that repeats size-1 axes (stride 0) to `targetShape` (numpy broadcasting rules).
    public func broadcast(to targetShape: [Int]) throws -> Tensor {
        guard targetShape.count >= rank else {
            throw TensorError(.shapeMismatch, "broadcast: cannot broadcast \(shape) to \(targetShape)")
        }
        let lead = targetShape.count - rank
        var newStrides = [Int](repeating: 0, count: targetShape.count)
        for axis in 0..<rank {
            if shape[axis] == targetShape[lead + axis] {
                newStrides[lead + axis] = strides[axis]
            } else if shape[axis] != 1 {
                throw TensorError(.shapeMismatch, "broadcast: cannot broadcast \(shape) to \(targetShape)")
            }
        }
        return Tensor(dtype: dtype, shape: targetShape, strides: newStrides, offset: offset, storage: storage)
    }

    /// A row-major copy with its own storage, or `self` if it already is contiguous (unless
    /// `forceCopy`).
    public func contiguous(forceCopy: Bool = false) throws -> Tensor {
        if !forceCopy, isContiguous { return self }
        if dtype == .string {
            let result = try Tensor(zeros: shape, dtype: dtype)
            result.storage.strings = try strings()
            return result
        }
        // Every element is written below: no zero fill first.
        let result = try Tensor(uninitialized: shape, dtype: dtype)
        let size = dtype.byteSize
        let source = storage.bytes, destination = result.storage.bytes
        if isContiguous {
            memcpy(destination, source + offset * size, count * size)
        } else if size == 4 || size == 8 || size == 2 || size == 1 {
            stridedCopy(to: destination, elementSize: size)
        } else {
            for (index, position) in storageIndices().enumerated() {
                memcpy(destination + index * size, source + position * size, size)
            }
        }
        return result
    }

    /// A contiguous copy in another dtype. Floats round to nearest even (f32 -> f16/bf16 exactly
    /// as numpy and ml_dtypes do); integers truncate toward zero and saturate; NaN -> 0 for
    /// integers; strings parse as numbers (unparsable -> NaN) and numbers print as strings.
    public func converted(to target: DType) throws -> Tensor {
        if target == dtype { return try contiguous(forceCopy: true) }
        let positions = storageIndices()
        if target == .string {
            return try Tensor(shape: shape, strings: positions.map { String(describing: loadDouble($0)) })
        }
        var result = try Tensor(zeros: shape, dtype: target)
        let out = result.storage.bytes
        // f32 <-> f16/bf16 directly (the hot conversions for weights)
        if dtype == .float32, target == .float16 || target == .bfloat16 {
            for (index, position) in positions.enumerated() {
                let value = storage.bytes.load(fromByteOffset: position * 4, as: Float.self)
                if target == .float16 { out.storeBytes(of: Float16(value), toByteOffset: index * 2, as: Float16.self) }
                else { out.storeBytes(of: BFloat16(value), toByteOffset: index * 2, as: BFloat16.self) }
            }
            return result
        }
        func fill<Scalar: TensorScalar>(_: Scalar.Type) {
            let typed = out.assumingMemoryBound(to: Scalar.self)
            for (index, position) in positions.enumerated() { typed[index] = Scalar(convertingDouble: loadDouble(position)) }
        }
        switch target {
        case .float32: fill(Float.self)
        case .float16: fill(Float16.self)
        case .bfloat16: fill(BFloat16.self)
        case .float64: fill(Double.self)
        case .int8: fill(Int8.self)
        case .uint8: fill(UInt8.self)
        case .int16: fill(Int16.self)
        case .int32: fill(Int32.self)
        case .int64: fill(Int64.self)
        case .bool: fill(Bool.self)
        case .string: break
        }
        result.shape = shape
        return result
    }
}

extension Tensor {
    /// Row-major gather of a strided view: an odometer over the outer axes and a tight loop over
    /// the innermost one (no index array, one typed load/store per element).
    func stridedCopy(to destination: UnsafeMutableRawPointer, elementSize size: Int) {
        guard count > 0 else { return }
        if rank > 0, rank <= 4, strides[rank - 1] == 1 {
            // The common case (a head split/merge transpose, a slice of rows): whole inner rows
            // by three plain loops, none of the odometer's index arrays.
            @inline(__always) func axis(_ a: Int) -> (Int, Int) { a < 4 - rank ? (1, 0) : (shape[a - 4 + rank], strides[a - 4 + rank]) }
            let (n0, s0) = axis(0), (n1, s1) = axis(1), (n2, s2) = axis(2)
            let inner = shape[rank - 1] * size
            let source = UnsafeRawPointer(storage.bytes + offset * size)
            var target = destination
            for i0 in 0..<n0 {
                for i1 in 0..<n1 {
                    var from = source + (i0 * s0 + i1 * s1) * size
                    for _ in 0..<n2 {
                        target.copyMemory(from: from, byteCount: inner)
                        target += inner
                        from += s2 * size
                    }
                }
            }
            return
        }
        let inner = shape[rank - 1], innerStride = strides[rank - 1]
        let outerShape = Array(shape.dropLast()), outerStrides = Array(strides.dropLast())
        let rows = outerShape.reduce(1, *)
        var index = [Int](repeating: 0, count: outerShape.count)
        var base = offset
        func copyRow<T>(_: T.Type, row: Int, from start: Int) {
            let src = storage.bytes.assumingMemoryBound(to: T.self), dst = destination.assumingMemoryBound(to: T.self) + row * inner
            var position = start
            for i in 0..<inner { dst[i] = src[position]; position += innerStride }
        }
        for row in 0..<rows {
            if innerStride == 1 {
                memcpy(destination + row * inner * size, storage.bytes + base * size, inner * size)
            } else {
                switch size {
                case 4: copyRow(UInt32.self, row: row, from: base)
                case 8: copyRow(UInt64.self, row: row, from: base)
                case 2: copyRow(UInt16.self, row: row, from: base)
                default: copyRow(UInt8.self, row: row, from: base)
                }
            }
            var axis = outerShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                base += outerStrides[axis]
                if index[axis] < outerShape[axis] { break }
                base -= outerStrides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
