import Foundation

/// The JSON header of a `.safetensors` file: an 8-byte little-endian length, then that many bytes
/// of JSON mapping tensor names to `{dtype, shape, data_offsets}` (plus `__metadata__`).
public struct SafetensorsHeader: Sendable, Equatable {
    public struct Tensor: Sendable, Equatable {
        public let dtype: String
        public let shape: [Int]
        public let dataOffsets: (start: Int, end: Int)

        public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
            lhs.dtype == rhs.dtype && lhs.shape == rhs.shape && lhs.dataOffsets == rhs.dataOffsets
        }
    }

    /// Tensors by name.
    public let tensors: [String: Tensor]
    public let metadata: [String: String]
    /// Bytes of header (length prefix included): where tensor data starts.
    public let dataStart: Int

    /// Header size limit (the format's reference implementation refuses more than 100 MB).
    public static let maxHeaderBytes = 100_000_000

    /// Elements over the weight tensors (see ``weights(of:)``).
    public var parameterCount: Int { Self.weights(of: [self]).parameterCount }
    /// Distinct dtypes of the weight tensors, sorted.
    public var dtypes: [String] { Self.weights(of: [self]).dtypes }

    /// Floating-point dtypes: what the weights of a model that has any are stored as.
    static let floatingDtypes: Set<String> = ["F64", "F32", "F16", "BF16", "F8_E5M2", "F8_E4M3"]

    /// Parameter count and precision over `headers` (the shards of one model): the floating-point
    /// tensors when there are any, since integer tensors beside them are buffers, not parameters
    /// (BERT's `embeddings.position_ids`, I64, which Hugging Face's `num_parameters()` leaves out
    /// too); every tensor when there are none (an integer-quantized model).
    public static func weights(of headers: [SafetensorsHeader]) -> (parameterCount: Int, dtypes: [String]) {
        let all = headers.flatMap(\.tensors.values)
        let floating = all.filter { floatingDtypes.contains($0.dtype) }
        let weights = floating.isEmpty ? all : floating
        return (weights.reduce(0) { $0 + $1.shape.reduce(1, *) }, Set(weights.map(\.dtype)).sorted())
    }

    /// Bytes per element of each safetensors dtype.
    static let dtypeBytes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8,
    ]

    /// Reads and checks the header of the file at `url`: the JSON parses, every tensor's offsets match
    /// its dtype and shape, and the data section the offsets describe fits in the file.
    public init(contentsOf url: URL, name: String) throws {
        let fail = { (reason: String) in ModelFormatError(file: name, format: .safetensors, reason: reason) }
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch { throw fail("cannot open: \(error.localizedDescription)") }
        defer { try? handle.close() }
        let fileSize = Int((try? handle.seekToEnd()) ?? 0)
        try? handle.seek(toOffset: 0)
        let prefix = (try? handle.read(upToCount: 8)) ?? Data()
        guard prefix.count == 8 else { throw fail("shorter than the 8-byte header length") }
        let length = prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(Self.maxHeaderBytes) else { throw fail("header length \(length) is over the 100 MB limit") }
        guard Int(length) + 8 <= fileSize else { throw fail("header length \(length) runs past the end of the file (\(fileSize) bytes)") }
        let json = (try? handle.read(upToCount: Int(length))) ?? Data()
        try self.init(headerJSON: json, fileSize: fileSize, name: name)
    }

    /// Parses header JSON; `fileSize` (when known) bounds the data section.
    public init(headerJSON json: Data, fileSize: Int?, name: String) throws {
        let fail = { (reason: String) in ModelFormatError(file: name, format: .safetensors, reason: reason) }
        guard let object = try? JSONSerialization.jsonObject(with: json), let entries = object as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        dataStart = 8 + json.count
        var tensors = [String: Tensor]()
        var metadata = [String: String]()
        var dataEnd = 0
        for (key, value) in entries {
            if key == "__metadata__" {
                guard let values = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in values { metadata[k] = (v as? String) ?? "\(v)" }
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("tensor \(key) lacks dtype, shape or data_offsets") }
            guard let width = Self.dtypeBytes[dtype] else { throw fail("tensor \(key) has unknown dtype \(dtype)") }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0] else {
                throw fail("tensor \(key) has a negative dimension or reversed offsets")
            }
            let (elements, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            guard !overflow, elements.multipliedReportingOverflow(by: width).overflow == false,
                elements * width == offsets[1] - offsets[0]
            else { throw fail("tensor \(key) spans \(offsets[1] - offsets[0]) bytes, its \(dtype) shape \(shape) needs \(elements &* width)") }
            dataEnd = max(dataEnd, offsets[1])
            tensors[key] = Tensor(dtype: dtype, shape: shape, dataOffsets: (offsets[0], offsets[1]))
        }
        if let fileSize, dataStart + dataEnd > fileSize {
            throw fail("tensor data needs \(dataStart + dataEnd) bytes, the file has \(fileSize) (truncated?)")
        }
        self.tensors = tensors
        self.metadata = metadata
    }
}
