/// An n-dimensional array: a dtype, a shape, per-axis strides (in elements, may be 0 for broadcast
/// or any positive step for views) and an offset into shared ``TensorStorage``.
///
/// A value type with copy-on-write storage: views (``reshaped(_:)``, ``transposed()``,
/// ``permuted(_:)``, ``sliced(axis:start:end:step:)``) share memory without copying; mutating a
/// tensor whose storage is shared copies it first.
public struct Tensor: Sendable {
    /// Element type.
    public let dtype: DType
    /// Size of each axis; `[]` is a scalar.
    public internal(set) var shape: [Int]
    /// Distance in elements between neighbours along each axis.
    public internal(set) var strides: [Int]
    /// Index of element `[0, 0, ...]` in the storage, in elements.
    public internal(set) var offset: Int
    /// The shared buffer.
    public internal(set) var storage: TensorStorage

    /// Row-major strides for `shape`.
    public static func contiguousStrides(for shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= max(shape[axis], 1)
        }
        return strides
    }

    static func elementCount(_ shape: [Int], operation: String) throws -> Int {
        var count = 1
        for dim in shape {
            guard dim >= 0 else { throw TensorError(.invalidShape, "\(operation): negative dimension in shape \(shape)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw TensorError(.invalidShape, "\(operation): shape \(shape) has too many elements") }
            count = product
        }
        return count
    }

    init(dtype: DType, shape: [Int], strides: [Int], offset: Int, storage: TensorStorage) {
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.storage = storage
    }

    /// A contiguous tensor of zeros (`false`, `""`).
    public init(zeros shape: [Int], dtype: DType = .float32) throws {
        let count = try Self.elementCount(shape, operation: "zeros")
        let storage = dtype == .string
            ? TensorStorage(strings: [String](repeating: "", count: count))
            : try TensorStorage(byteCount: count * dtype.byteSize)
        self.init(dtype: dtype, shape: shape, strides: Self.contiguousStrides(for: shape), offset: 0, storage: storage)
    }

    /// A contiguous numeric tensor whose elements the caller writes, every one, before it is read
    /// (kernel outputs: skips zeroing memory that is overwritten anyway).
    init(uninitialized shape: [Int], dtype: DType) throws {
        precondition(dtype != .string, "string tensors are always initialized")
        let count = try Self.elementCount(shape, operation: "uninitialized")
        self.init(dtype: dtype, shape: shape, strides: Self.contiguousStrides(for: shape), offset: 0,
                  storage: try TensorStorage(byteCount: count * dtype.byteSize, zeroed: false))
    }

    /// A contiguous, uninitialized tensor of `like`'s shape. When `like` is contiguous its shape
    /// and strides arrays are shared (its strides describe a contiguous layout of that shape), so
    /// an elementwise kernel's output costs one allocation fewer.
    init(uninitializedLike like: Tensor, dtype: DType) throws {
        guard like.isContiguous else {
            try self.init(uninitialized: like.shape, dtype: dtype)
            return
        }
        precondition(dtype != .string, "string tensors are always initialized")
        self.init(dtype: dtype, shape: like.shape, strides: like.strides, offset: 0,
                  storage: try TensorStorage(byteCount: like.count * dtype.byteSize, zeroed: false))
    }

    /// A contiguous tensor holding `scalars` in row-major order.
    public init<Scalar: TensorScalar>(shape: [Int], scalars: [Scalar]) throws {
        let count = try Self.elementCount(shape, operation: "init(shape:scalars:)")
        guard count == scalars.count else {
            throw TensorError(.shapeMismatch, "init(shape:scalars:): shape \(shape) needs \(count) elements, got \(scalars.count)")
        }
        try self.init(uninitialized: shape, dtype: Scalar.dtype)
        scalars.withUnsafeBytes { source in
            if let base = source.baseAddress { storage.bytes.copyMemory(from: base, byteCount: source.count) }
        }
    }

    /// A contiguous `.string` tensor.
    public init(shape: [Int], strings: [String]) throws {
        let count = try Self.elementCount(shape, operation: "init(shape:strings:)")
        guard count == strings.count else {
            throw TensorError(.shapeMismatch, "init(shape:strings:): shape \(shape) needs \(count) elements, got \(strings.count)")
        }
        self.init(dtype: .string, shape: shape, strides: Self.contiguousStrides(for: shape), offset: 0,
                  storage: TensorStorage(strings: strings))
    }

    /// A rank-1 f32 tensor.
    public init(_ scalars: [Float]) {
        // cannot fail: the shape is the array's own count
        self = (try? Tensor(shape: [scalars.count], scalars: scalars)) ?? Tensor.emptyFloat
    }

    private static var emptyFloat: Tensor {
        Tensor(dtype: .float32, shape: [0], strides: [1], offset: 0, storage: TensorStorage(strings: []))
    }

    /// Number of axes.
    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Whether elements are laid out row-major without gaps, starting at ``offset``.
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Storage index (in elements) of a multi-index, after bounds checks.
    func storageIndex(_ indices: [Int], operation: String) throws -> Int {
        guard indices.count == rank else {
            throw TensorError(.indexOutOfRange, "\(operation): index \(indices) has \(indices.count) axes, tensor has \(rank)")
        }
        var position = offset
        for axis in 0..<rank {
            guard indices[axis] >= 0, indices[axis] < shape[axis] else {
                throw TensorError(.indexOutOfRange, "\(operation): index \(indices) is outside shape \(shape)")
            }
            position += indices[axis] * strides[axis]
        }
        return position
    }

    /// Storage indices of every element in row-major logical order.
    func storageIndices() -> [Int] {
        var result = [Int]()
        result.reserveCapacity(count)
        guard count > 0 else { return result }
        if isContiguous { return Array(offset..<(offset + count)) }
        var index = [Int](repeating: 0, count: rank)
        var position = offset
        while true {
            result.append(position)
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                position += strides[axis]
                if index[axis] < shape[axis] { break }
                position -= strides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return result }
        }
    }

    /// The element at `indices`, which must be of `Scalar`'s dtype.
    public func scalar<Scalar: TensorScalar>(at indices: [Int], as type: Scalar.Type = Scalar.self) throws -> Scalar {
        guard dtype == Scalar.dtype else {
            throw TensorError(.dtypeMismatch, "scalar(at:): tensor is \(dtype), asked for \(Scalar.dtype)")
        }
        let position = try storageIndex(indices, operation: "scalar(at:)")
        return storage.bytes.load(fromByteOffset: position * dtype.byteSize, as: Scalar.self)
    }

    /// The string at `indices` of a `.string` tensor.
    public func string(at indices: [Int]) throws -> String {
        guard dtype == .string else { throw TensorError(.dtypeMismatch, "string(at:): tensor is \(dtype), not string") }
        return storage.strings[try storageIndex(indices, operation: "string(at:)")]
    }

    /// Replaces the element at `indices` (copying shared storage first).
    public mutating func setScalar<Scalar: TensorScalar>(_ value: Scalar, at indices: [Int]) throws {
        guard dtype == Scalar.dtype else {
            throw TensorError(.dtypeMismatch, "setScalar(_:at:): tensor is \(dtype), value is \(Scalar.dtype)")
        }
        _ = try storageIndex(indices, operation: "setScalar(_:at:)")
        try makeUniqueContiguous()
        let position = try storageIndex(indices, operation: "setScalar(_:at:)")
        storage.bytes.storeBytes(of: value, toByteOffset: position * dtype.byteSize, as: Scalar.self)
    }

    /// Gives this tensor its own contiguous storage unless it already has it alone.
    mutating func makeUniqueContiguous() throws {
        if !isKnownUniquelyReferenced(&storage) || !isContiguous || offset != 0 {
            self = try contiguous(forceCopy: true)
        }
    }

    /// All elements in row-major logical order, as `Scalar` (which must be the dtype).
    public func scalars<Scalar: TensorScalar>(as type: Scalar.Type = Scalar.self) throws -> [Scalar] {
        guard dtype == Scalar.dtype else {
            throw TensorError(.dtypeMismatch, "scalars(as:): tensor is \(dtype), asked for \(Scalar.dtype)")
        }
        let size = dtype.byteSize
        let bytes = storage.bytes
        if isContiguous {
            return Array(UnsafeBufferPointer(start: (bytes + offset * size).assumingMemoryBound(to: Scalar.self), count: count))
        }
        return storageIndices().map { bytes.load(fromByteOffset: $0 * size, as: Scalar.self) }
    }

    /// All strings in row-major logical order.
    public func strings() throws -> [String] {
        guard dtype == .string else { throw TensorError(.dtypeMismatch, "strings(): tensor is \(dtype), not string") }
        return storageIndices().map { storage.strings[$0] }
    }

    /// Element `position` (a storage index) as Double, for dtype-generic code.
    func loadDouble(_ position: Int) -> Double {
        let bytes = storage.bytes
        switch dtype {
        case .float32: return Double(bytes.load(fromByteOffset: position * 4, as: Float.self))
        case .float16: return bytes.load(fromByteOffset: position * 2, as: Float16.self).doubleValue
        case .bfloat16: return bytes.load(fromByteOffset: position * 2, as: BFloat16.self).doubleValue
        case .float64: return bytes.load(fromByteOffset: position * 8, as: Double.self)
        case .int8: return Double(bytes.load(fromByteOffset: position, as: Int8.self))
        case .uint8: return Double(bytes.load(fromByteOffset: position, as: UInt8.self))
        case .int16: return Double(bytes.load(fromByteOffset: position * 2, as: Int16.self))
        case .int32: return Double(bytes.load(fromByteOffset: position * 4, as: Int32.self))
        case .int64: return Double(bytes.load(fromByteOffset: position * 8, as: Int64.self))
        case .bool: return bytes.load(fromByteOffset: position, as: Bool.self) ? 1 : 0
        case .string: return Double(storage.strings[position]) ?? .nan
        }
    }
}
